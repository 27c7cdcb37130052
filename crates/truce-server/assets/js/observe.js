// Signs and submits the observation form, once: the form is disabled until the answer comes; the
// key field is cleared as soon as the entry is signed; the signed entry is kept until the log
// answers, so that sending it again after a lost answer is a replay, shown as already recorded,
// never a second observation; the answer links to the entry's page.
//
// Runs after signing.js on the same page (loadKey, signEntry, submitEntry).

(function () {
  // The reader's words (templates whose `{name}` is filled in here) and the gazetteer's places.
  const W = JSON.parse(document.getElementById('observe-words').textContent);
  const t = (key, vars) =>
    W.t[key].replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
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
      button.textContent = t('submit');
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
      out.textContent = t('sending');
      let index;
      try {
        index = await submitEntry(pending.text);
      } catch (e) {
        if (e.status === 409 && /replay/i.test(e.message)) {
          pending = null;
          form.reset();
          out.dataset.state = 'replayed';
          out.textContent = t('already');
          idle(t('submit'));
          return;
        }
        if (e.status === undefined || e.status === 408 || e.status === 429 || e.status >= 500) {
          out.dataset.state = 'unsent';
          out.textContent = t('notYet', {
            why:
              e.status === undefined ? t('networkFailed') : t('serverAnswered', { status: e.status }),
            error: e.message,
          });
          idle(t('again'));
          return;
        }
        throw e;
      }
      const name = pending.name;
      pending = null;
      form.reset();
      out.textContent = '';
      out.append(t('appended', { name, index }) + ' ');
      const a = document.createElement('a');
      a.href = '/ui/entries/' + index;
      a.textContent = t('seeEntry', { index });
      out.append(a, '.');
      out.dataset.index = index;
      out.dataset.state = 'recorded';
      idle(t('submit'));
    } catch (e) {
      pending = null;
      out.dataset.state = 'refused';
      out.textContent =
        t('notRecorded', { error: e.message }) + (keyfile.value === '' ? ' ' + t('pasteAgain') : '');
      idle(t('submit'));
    }
  });
  // The time defaults to now (UTC, to the minute), five minutes long.
  const now = new Date();
  const start = document.getElementById('start'),
    end = document.getElementById('end');
  if (!start.value) start.value = now.toISOString().slice(0, 16);
  if (!end.value) end.value = new Date(now.getTime() + 5 * 60000).toISOString().slice(0, 16);
  // A place found by its name in any of the three languages fills in the position.
  document.getElementById('place-find').addEventListener('click', () => {
    const q = document.getElementById('place').value.trim().toLowerCase(),
      said = document.getElementById('place-status');
    if (!q) return;
    const hit = W.places
      .filter((p) => [p[3], ...p[5]].some((n) => n.toLowerCase().startsWith(q)))
      .sort((a, b) => b[4] - a[4])[0];
    if (!hit) {
      said.textContent = W.t.none;
      return;
    }
    document.getElementById('lat').value = hit[1].toFixed(6);
    document.getElementById('lon').value = hit[2].toFixed(6);
    said.textContent = t('placed', { place: hit[3] });
  });
})();
