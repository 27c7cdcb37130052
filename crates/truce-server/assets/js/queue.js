// Signs and submits a verification when a queue button is pressed.
//
// Runs after signing.js on the same page (loadKey, signEntry, submitEntry).

document.getElementById('queue').addEventListener('click', async (ev) => {
  const b = ev.target.closest('button');
  if (!b) return;
  const out = document.getElementById('result');
  try {
    const k = await loadKey(document.getElementById('keyfile').value);
    const to = b.dataset.to;
    const body = { kind: 'verification', of: parseInt(b.dataset.of, 10), to };
    if (to === 'unverifiable' || to === 'rejected') {
      const r = prompt('Why?');
      if (!r) return;
      body.reason = r;
    }
    const index = await submitEntry(await signEntry(k, body));
    out.textContent = 'Entry ' + b.dataset.of + ' is now ' + to + ' (log entry ' + index + ').';
    b.closest('td').textContent = to;
  } catch (e) {
    out.textContent = 'Not submitted: ' + e.message;
  }
});
