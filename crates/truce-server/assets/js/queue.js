// The verification queue: signs and submits a verification when a button is pressed, and updates the
// row in place (its state, and the buttons of the next transitions).
//
// The verifier's key is loaded once per session: the key file pasted once is imported with WebCrypto,
// re-imported as a non-extractable key and kept in IndexedDB, tagged with this session's CSRF token, so
// that a later session (or another user's) finds nothing. The pasted text is cleared at once.
//
// Runs after signing.js on the same page (loadKey, signEntry, submitEntry).

(function () {
  const W = JSON.parse(document.getElementById('queue-words').textContent);
  const t = (key, vars) =>
    W.t[key].replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
  const session = document.querySelector('meta[name=csrf-token]').content;
  const out = document.getElementById('result');
  const status = document.getElementById('key-status');
  const open = () =>
    new Promise((ok, no) => {
      const r = indexedDB.open('truce-verifier', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('keys');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => no(r.error);
    });
  async function stored() {
    try {
      const db = await open();
      return await new Promise((ok) => {
        const g = db.transaction('keys').objectStore('keys').get('key');
        g.onsuccess = () => {
          // A key kept by an earlier session is forgotten, never used.
          if (g.result && g.result.session !== session)
            db.transaction('keys', 'readwrite').objectStore('keys').delete('key');
          ok(g.result && g.result.session === session ? g.result : null);
        };
        g.onerror = () => ok(null);
      });
    } catch (e) {
      return null;
    }
  }
  async function keep(k) {
    const db = await open();
    await new Promise((ok, no) => {
      const tx = db.transaction('keys', 'readwrite');
      tx.objectStore('keys').put(k, 'key');
      tx.oncomplete = ok;
      tx.onerror = () => no(tx.error);
    });
  }
  function shown(k) {
    status.textContent = k ? t('kept', { name: k.name }) : '';
    document.getElementById('key-entry').hidden = !!k;
  }
  async function key() {
    const area = document.getElementById('keyfile');
    if (area.value.trim()) {
      const k = await loadKey(area.value);
      area.value = '';
      const pkcs8 = await crypto.subtle.exportKey('pkcs8', k.key);
      const fixed = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, [
        'sign',
      ]);
      const kept = { session, name: k.name, author: k.author, key: fixed };
      await keep(kept).catch(() => {});
      shown(kept);
      return kept;
    }
    const k = await stored();
    if (!k) throw new Error(t('noKey'));
    return k;
  }
  stored().then(shown);

  function button(index, to, label) {
    const b = document.createElement('button');
    b.dataset.of = index;
    b.dataset.to = to;
    b.textContent = t(label, { index });
    return b;
  }
  // The buttons of an observation now under review: corroborate, or say why it is unverifiable or rejected.
  function reviewing(cell, index) {
    cell.replaceChildren();
    const label = document.createElement('label');
    label.className = 'plain';
    label.htmlFor = 'reason-' + index;
    label.textContent = t('reason', { index });
    const reason = document.createElement('input');
    reason.id = 'reason-' + index;
    reason.type = 'text';
    reason.maxLength = 500;
    cell.append(
      button(index, 'corroborated', 'corroborate'),
      ' ',
      label,
      ' ',
      reason,
      ' ',
      button(index, 'unverifiable', 'unverifiable'),
      ' ',
      button(index, 'rejected', 'rejected'),
    );
  }

  document.getElementById('queue').addEventListener('click', async (ev) => {
    const b = ev.target.closest('button');
    if (!b) return;
    const index = parseInt(b.dataset.of, 10);
    const to = b.dataset.to;
    const body = { kind: 'verification', of: index, to };
    if (to === 'unverifiable' || to === 'rejected') {
      const field = document.getElementById('reason-' + index);
      const why = field ? field.value.trim() : '';
      if (!why) {
        out.textContent = t('needReason', { index });
        if (field) field.focus();
        return;
      }
      body.reason = why;
    }
    try {
      const k = await key();
      const entry = await submitEntry(await signEntry(k, body));
      const word = W.states[to] || to;
      out.textContent = t('now', { index, state: word, entry });
      const row = b.closest('tr');
      row.querySelector('td.state').textContent = word;
      const cell = row.querySelector('td.verify');
      if (to === 'under_review') reviewing(cell, index);
      else cell.textContent = t('done');
    } catch (e) {
      out.textContent = t('failed', { error: e.message });
    }
  });
})();
