// A waiting rehearsal page asks how its job stands every second, and reloads once it is done.

(function () {
  const el = document.getElementById('job-state');
  async function poll() {
    try {
      const r = await fetch(el.dataset.poll, { credentials: 'same-origin' });
      const j = await r.json();
      if (j.status === 'running' && el.dataset.state !== 'running') {
        el.dataset.state = 'running';
        el.textContent = 'The rehearsal is running; this page shows it when it is done.';
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
