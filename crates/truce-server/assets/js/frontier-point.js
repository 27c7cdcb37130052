// Shows a frontier point's package and utilities when it is clicked. Its words come from the page's
// data island `frontier-words`, in the reader's language.

(function () {
  const d = JSON.parse(document.getElementById('frontier-data').textContent),
    t = JSON.parse(document.getElementById('frontier-words').textContent),
    fill = (s, vars) => s.replace(/%(\w+)%/g, (_, k) => (k in vars ? vars[k] : '')),
    out = document.getElementById('frontier-point');
  document.getElementById('frontier-plot').addEventListener('click', (ev) => {
    const c = ev.target.closest('circle[data-point]');
    if (!c) return;
    const p = d.points[Number(c.dataset.point)];
    if (!p) return;
    out.replaceChildren();
    const h = document.createElement('h3');
    h.textContent =
      (p.efficient ? fill(t.efficient, { parties: d.parties.join(', ') }) : t.whole) +
      (p.packages > 1 ? ' \u2014 ' + fill(t['one-of'], { count: p.packages }) : '');
    out.append(h);
    const u = document.createElement('p');
    u.textContent = d.parties
      .map(
        (x, i) =>
          x +
          ' ' +
          p.utilities[i].toFixed(3) +
          (d.disagreement[i] > 0
            ? ' (' + fill(t['walks-away'], { value: d.disagreement[i].toFixed(2) }) + ')'
            : ''),
      )
      .join(' \u00b7 ');
    out.append(u);
    const ul = document.createElement('ul');
    for (const o of p.package) {
      const li = document.createElement('li');
      li.textContent = o;
      ul.append(li);
    }
    out.append(ul);
    out.dataset.point = c.dataset.point;
  });
  // The same from the keyboard: a list of the efficient points.
  const sel = document.getElementById('frontier-select');
  d.points.forEach((p, k) => {
    if (!p.efficient) return;
    const o = document.createElement('option');
    o.value = k;
    o.textContent = d.parties.map((x, i) => x + ' ' + p.utilities[i].toFixed(2)).join(', ');
    sel.append(o);
  });
  sel.addEventListener('change', () => {
    const c = document.querySelector('#frontier-plot circle[data-point="' + sel.value + '"]');
    if (c) c.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
})();
