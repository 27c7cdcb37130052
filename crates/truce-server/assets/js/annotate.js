// Signs and submits a party's annotation of an observation from the entry page.
//
// Runs after signing.js on the same page (loadKey, signEntry, submitEntry).

document.getElementById('annotate').addEventListener('click', async (ev) => {
  const b = ev.target.closest('button');
  if (!b) return;
  const out = document.getElementById('annotated');
  try {
    const f = document.getElementById('annotate');
    const k = await loadKey(document.getElementById('keyfile').value);
    const body = {
      kind: 'annotation',
      of: parseInt(f.dataset.of, 10),
      party: document.getElementById('party').value,
      stance: b.dataset.stance,
      text: document.getElementById('note').value,
    };
    const index = await submitEntry(await signEntry(k, body));
    out.textContent =
      body.party +
      ' ' +
      (b.dataset.stance === 'concur'
        ? 'concurs'
        : b.dataset.stance === 'dispute'
          ? 'disputes'
          : 'clarifies') +
      ': log entry ' +
      index +
      ', signed by ' +
      k.name +
      '.';
    out.dataset.index = index;
  } catch (e) {
    out.textContent = 'Not submitted: ' + e.message;
  }
});
