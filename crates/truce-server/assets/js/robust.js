// Runs robustness in the background over server-sent events, shows its progress, then its report.
// Its words, and the scenario's labels for option and issue ids, come from the page's data island
// `robust-words`, in the reader's language.

(function () {
  const words = JSON.parse(document.getElementById('robust-words').textContent),
    say = words.text,
    fill = (s, vars) => s.replace(/%(\w+)%/g, (_, k) => (k in vars ? vars[k] : '')),
    option = (id) => words.options[id] || id,
    issue = (id) => words.issues[id] || id;
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
    w.tabIndex = 0;
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
    status.textContent = say.starting;
    out.dataset.state = 'running';
    source = new EventSource(
      '/v1/scenarios/' + encodeURIComponent(form.dataset.slug) + '/robust/stream?' + q,
    );
    source.addEventListener('progress', (e) => {
      const d = JSON.parse(e.data);
      bar.max = d.draws;
      bar.value = d.done;
      status.textContent = fill(say.progress, { done: d.done, draws: d.draws });
    });
    source.addEventListener('error', (e) => {
      if (e.data) {
        status.textContent = say.stopped + ': ' + e.data;
        out.dataset.state = 'failed';
      }
      source.close();
    });
    source.addEventListener('result', (e) => {
      source.close();
      const r = JSON.parse(e.data);
      bar.value = bar.max;
      status.textContent = fill(say.done, { draws: r.draws, seed: r.seed });
      out.append(
        el('p', say.method + ': ' + fill(say['method-text'], { p: r.unknown_red_line }) + '.'),
        el('p', fill(say.feasible, { share: pct(r.feasible_share) })),
      );
      if (r.blocked.length)
        out.append(
          table(
            say.blocked,
            [say.issue, say.share],
            r.blocked.map((b) => [issue(b.issue), pct(b.share)]),
          ),
        );
      out.append(
        table(
          say.nash,
          [say.package, say['nash-column'], say.frontier, say['feasible-column']],
          r.nash.map((f) => [
            f.package.map(option).join('; '),
            pct(f.nash),
            pct(f.frontier),
            pct(f.feasible),
          ]),
        ),
      );
      out.append(
        el('p', fill(say.distinct, { count: r.frontier_distinct })),
      );
      out.dataset.state = 'done';
    });
  });
})();
