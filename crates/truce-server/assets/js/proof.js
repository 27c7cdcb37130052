// The entry page's proof check, on proof-core.js: checks at once, and again on demand.
//
// Runs after proof-core.js on the same page (truceProof).

(function () {
  const out = document.getElementById('proof-result');
  async function check() {
    out.dataset.state = 'pending';
    out.textContent = 'Checking the proof in your browser…';
    try {
      const d = JSON.parse(document.getElementById('proof-data').textContent);
      const { size, signature } = await truceProof.verify(d, d.vkey);
      out.dataset.state = 'verified';
      out.textContent =
        'Verified: entry ' +
        d.index +
        ' is in the log at the checkpoint of size ' +
        size +
        (signature === true
          ? ', whose log signature also verified.'
          : ' (this browser cannot check Ed25519 signatures; the command below does).');
    } catch (e) {
      out.dataset.state = 'failed';
      out.textContent =
        'FAILED: ' + e.message + '. Do not rely on this entry; tell the mission and your auditor.';
    }
  }
  document.getElementById('verify-again').addEventListener('click', check);
  check();
})();
