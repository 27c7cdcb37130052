// The preferences form's preview and submission (TOML built from the numbers, sent with the page's
// CSRF token). Its words come with the page's data (`words`), in the reader's language.

(function () {
  const d = JSON.parse(document.getElementById('prefs-data').textContent);
  const words = d.words;
  const fill = (s, vars) => s.replace(/%(\w+)%/g, (_, k) => (k in vars ? vars[k] : ''));
  const form = document.getElementById('preferences');
  const num = (el, dflt) => {
    const v = parseFloat(el.value);
    return Number.isFinite(v) ? v : dflt;
  };
  const util = (o) => num(document.getElementById('u-' + o.id), o.default);
  function preview() {
    const ws = d.issues.map((i) => Math.max(0, num(document.getElementById('w-' + i.id), 0)));
    const total = ws.reduce((a, b) => a + b, 0) || 1;
    const body = document.querySelector('#preview tbody');
    body.replaceChildren();
    let nash = 0;
    d.issues.forEach((i, k) => {
      const best = i.options.reduce((a, b) => (util(b) > util(a) ? b : a));
      const inNash = i.options.find((o) => d.nash.includes(o.id));
      const tr = document.createElement('tr');
      for (const t of [
        i.name,
        (ws[k] / total).toFixed(2),
        best.label + ' (' + util(best).toFixed(2) + ')',
        inNash ? inNash.label + ' (' + util(inNash).toFixed(2) + ')' : '\u2014',
      ]) {
        const td = document.createElement('td');
        td.textContent = t;
        tr.append(td);
      }
      body.append(tr);
      if (inNash) nash += (ws[k] / total) * util(inNash);
    });
    const r = num(document.getElementById('reservation'), 0);
    document.getElementById('preview-total').textContent = d.nash.length
      ? fill(words.worth, { nash: nash.toFixed(3), reservation: r.toFixed(2) }) +
        (nash < r ? ': ' + words['walk-away'] + '.' : '.')
      : words['no-nash'];
  }
  form.addEventListener('input', preview);
  preview();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = document.getElementById('submitted');
    let t =
      '[[preferences]]\nparty = ' +
      JSON.stringify(d.party) +
      '\nreservation = ' +
      num(document.getElementById('reservation'), 0) +
      '\n[preferences.weights]\n';
    for (const i of d.issues)
      t +=
        JSON.stringify(i.id) +
        ' = ' +
        Math.max(0, num(document.getElementById('w-' + i.id), 0)) +
        '\n';
    t += '[preferences.utilities]\n';
    for (const i of d.issues)
      for (const o of i.options) {
        const el = document.getElementById('u-' + o.id);
        if (el.value !== '') t += JSON.stringify(o.id) + ' = ' + num(el, 0) + '\n';
      }
    const csrf = document.querySelector('meta[name=csrf-token]').content;
    try {
      const r = await fetch(
        '/v1/scenarios/' + encodeURIComponent(form.dataset.slug) + '/preferences',
        { method: 'POST', body: t, credentials: 'same-origin', headers: { 'x-csrf-token': csrf } },
      );
      const j = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(j.error || (j.diagnostics || []).join('; ') || 'HTTP ' + r.status);
      out.textContent = fill(words.submitted, { party: j.party, id: j.id });
      out.dataset.id = j.id;
    } catch (e) {
      out.textContent = words['not-submitted'] + ': ' + e.message;
    }
  });
})();
