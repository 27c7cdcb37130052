// Signs and submits the observation form, once: the form is disabled until the answer comes; the
// key field is cleared as soon as the entry is signed; the signed entry is kept until the log
// answers, so that sending it again after a lost answer is a replay, shown as already recorded,
// never a second observation; the answer links to the entry's page.
//
// Runs after signing.js on the same page (loadKey, signEntry, submitEntry).

(function () {
  const form = document.getElementById('observe'),
    out = document.getElementById('result'),
    button = form.querySelector('button[type=submit]');
  const keyfile = document.getElementById('keyfile');
  let pending = null,
    busy = false;
  function idle(label) {
    busy = false;
    form.querySelectorAll('fieldset').forEach((f) => (f.disabled = false));
    button.disabled = false;
    button.textContent = label;
    keyfile.required = pending === null;
  }
  form.addEventListener('input', (ev) => {
    if (ev.target !== keyfile && !busy && pending !== null) {
      pending = null;
      button.textContent = 'Sign and submit';
      keyfile.required = true;
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    out.removeAttribute('data-index');
    delete out.dataset.state;
    try {
      if (pending === null) {
        const v = (id) => document.getElementById(id).value;
        const k = await loadKey(v('keyfile'));
        const iso = (s) => new Date(s + 'Z').toISOString().replace('.000Z', 'Z');
        const body = {
          kind: 'observation',
          start: iso(v('start')),
          end: iso(v('end')),
          lat_e6: Math.round(parseFloat(v('lat')) * 1e6),
          lon_e6: Math.round(parseFloat(v('lon')) * 1e6),
          controlled_by: v('controlled_by'),
          sensor: v('sensor'),
          class: v('class'),
          count: parseInt(v('count'), 10),
          approximate: document.getElementById('approximate').checked,
        };
        if (v('bearing') !== '') body.bearing_deg = parseInt(v('bearing'), 10);
        if (v('distance') !== '') body.distance_m = parseInt(v('distance'), 10);
        if (v('weapon') !== '') {
          body.weapon = { class: v('weapon') };
          if (v('calibre') !== '') body.weapon.calibre_mm = parseInt(v('calibre'), 10);
        }
        if (v('note') !== '') body.note = v('note');
        pending = { text: await signEntry(k, body), name: k.name };
        keyfile.value = '';
      }
      form.querySelectorAll('fieldset').forEach((f) => (f.disabled = true));
      out.textContent = 'Sending…';
      let index;
      try {
        index = await submitEntry(pending.text);
      } catch (e) {
        if (e.status === 409 && /replay/i.test(e.message)) {
          pending = null;
          form.reset();
          out.dataset.state = 'replayed';
          out.textContent =
            'Already recorded: the log already holds an entry with this sequence number of your key, most likely this observation, whose first answer was lost on the way (or another device of yours used the number first). Nothing was added; the log page lists what is recorded.';
          idle('Sign and submit');
          return;
        }
        if (e.status === undefined || e.status === 408 || e.status === 429 || e.status >= 500) {
          out.dataset.state = 'unsent';
          out.textContent =
            'Not recorded yet: ' +
            (e.status === undefined ? 'the network failed' : 'the server answered ' + e.status) +
            ' (' +
            e.message +
            '). The signed observation is kept on this page: press "Send again" to send the same one; if it had arrived, the log says so and adds nothing.';
          idle('Send again');
          return;
        }
        throw e;
      }
      const name = pending.name;
      pending = null;
      form.reset();
      out.textContent = '';
      out.append('Signed by ' + name + ' and appended to the log at entry ' + index + ': ');
      const a = document.createElement('a');
      a.href = '/ui/entries/' + index;
      a.textContent = 'see entry ' + index + ' and its proof';
      out.append(a, '.');
      out.dataset.index = index;
      out.dataset.state = 'recorded';
      idle('Sign and submit');
    } catch (e) {
      pending = null;
      out.dataset.state = 'refused';
      out.textContent =
        'Not recorded: ' +
        e.message +
        (keyfile.value === '' ? ' Correct it, paste your key file again, and sign again.' : '');
      idle('Sign and submit');
    }
  });
})();
