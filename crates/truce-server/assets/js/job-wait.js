// A waiting rehearsal page asks how its job stands every second, and reloads once it is done. The
// words it shows come from the page (`data-running`), in the reader's language.

(function () {
  const el = document.getElementById('job-state');
  async function poll() {
    try {
      const r = await fetch(el.dataset.poll, { credentials: 'same-origin' });
      const j = await r.json();
      if (j.status === 'running' && el.dataset.state !== 'running') {
        el.dataset.state = 'running';
        el.textContent = el.dataset.running;
      }
      if (j.status !== 'queued' && j.status !== 'running') {
        location.reload();
        return;
      }
    } catch (e) {}
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
