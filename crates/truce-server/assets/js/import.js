// Reads the chosen domain files in the browser and sends them to `POST
// /v1/scenarios/{slug}/import`. Its words come from the status element's `data-done` and
// `data-failed`, in the reader's language.

document.getElementById('import-domain').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const out = document.getElementById('imported');
  const slug = document.getElementById('import-slug').value.trim();
  try {
    const files = await Promise.all(
      [...document.getElementById('import-files').files].map(async (f) => ({
        name: f.name,
        text: await f.text(),
      })),
    );
    const body = { files };
    const p = document.getElementById('import-profiles').value.trim();
    if (p)
      body.profiles = p
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x);
    const csrf = document.querySelector('meta[name=csrf-token]').content;
    const r = await fetch('/v1/scenarios/' + encodeURIComponent(slug) + '/import', {
      method: 'POST',
      body: JSON.stringify(body),
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    });
    const j = await r.json().catch(() => ({}));
    if (!r.ok)
      throw new Error(
        j.error === 'invalid input'
          ? (j.diagnostics || []).join('; ')
          : j.error || 'HTTP ' + r.status,
      );
    const vars = { version: j.version, slug: j.slug, parties: j.parties, issues: j.issues };
    out.textContent = out.dataset.done.replace(/%(\w+)%/g, (_, k) => (k in vars ? vars[k] : ''));
    location.href = '/ui/scenarios/' + encodeURIComponent(j.slug) + '/versions';
  } catch (e) {
    out.textContent = out.dataset.failed + ': ' + e.message;
  }
});
