// Runs robustness in the background over server-sent events, shows its progress, then its report.

(function () {
  const form = document.getElementById('robust-form'),
    bar = document.getElementById('robust-progress'),
    status = document.getElementById('robust-status'),
    out = document.getElementById('robust-result');
  let source = null;
  const el = (tag, text) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const pct = (x) => (100 * x).toFixed(1) + '%';
  function table(caption, head, rows) {
    const t = el('table'),
      c = el('caption', caption),
      h = el('tr');
    t.append(c);
    for (const x of head) {
      const th = el('th', x);
      th.scope = 'col';
      h.append(th);
    }
    const th = el('thead');
    th.append(h);
    t.append(th);
    const tb = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      for (const x of r) tr.append(el('td', x));
      tb.append(tr);
    }
    t.append(tb);
    const w = el('div');
    w.className = 'wide';
    w.append(t);
    return w;
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (source) source.close();
    out.replaceChildren();
    const q = new URLSearchParams(new FormData(form));
    if (form.dataset.confidential === 'true') q.set('confidential', 'true');
    bar.max = Number(q.get('draws')) || 1;
    bar.value = 0;
    status.textContent = 'Starting…';
    out.dataset.state = 'running';
    source = new EventSource(
      '/v1/scenarios/' + encodeURIComponent(form.dataset.slug) + '/robust/stream?' + q,
    );
    source.addEventListener('progress', (e) => {
      const d = JSON.parse(e.data);
      bar.max = d.draws;
      bar.value = d.done;
      status.textContent = d.done + ' of ' + d.draws + ' draws';
    });
    source.addEventListener('error', (e) => {
      if (e.data) {
        status.textContent = 'Stopped: ' + e.data;
        out.dataset.state = 'failed';
      }
      source.close();
    });
    source.addEventListener('result', (e) => {
      source.close();
      const r = JSON.parse(e.data);
      bar.value = bar.max;
      status.textContent = r.draws + ' draws done (seed ' + r.seed + ').';
      out.append(
        el('p', 'Each draw: ' + r.method + '.'),
        el('p', 'A feasible package exists in ' + pct(r.feasible_share) + ' of the draws.'),
      );
      if (r.blocked.length)
        out.append(
          table(
            'How often each issue was blocked',
            ['Issue', 'Share of draws'],
            r.blocked.map((b) => [b.issue, pct(b.share)]),
          ),
        );
      out.append(
        table(
          'The packages most often the Nash package',
          ['Package', 'Nash', 'On the frontier', 'Feasible'],
          r.nash.map((f) => [f.package.join(', '), pct(f.nash), pct(f.frontier), pct(f.feasible)]),
        ),
      );
      out.append(
        el(
          'p',
          r.frontier_distinct + ' distinct packages were on some draw\u2019s Pareto frontier.',
        ),
      );
      out.dataset.state = 'done';
    });
  });
})();
