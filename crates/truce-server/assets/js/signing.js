// In-browser signing of entries, exactly as `truce_watch::entry` encodes them: canonical JSON
// (keys sorted, no whitespace), Ed25519 (WebCrypto) over `truce.entry/v2\n` + canonical {author,
// body, seq}, with the key's next sequence number from `/v1/keys/{key}/sequence`. The key file
// (`truce-key/v1`, name, base64 seed) never leaves the page.
//
// Loaded before observe.js, queue.js and annotate.js, and as the first part of /field/app.js.

// The canonical JSON of `truce_watch::entry`: object keys sorted, no whitespace, every other
// value as JSON.stringify writes it (the entries hold integers and strings only).
function canon(v) {
  if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
  if (v !== null && typeof v === 'object')
    return (
      '{' +
      Object.keys(v)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canon(v[k]))
        .join(',') +
      '}'
    );
  return JSON.stringify(v);
}
// Base64url (JWK's alphabet, unpadded) to standard base64, for atob.
function b64url(s) {
  return s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
}
// Opens a `truce-key/v1` key file (three lines: the format, the key's name, the base64 seed) as a
// WebCrypto Ed25519 key, with the public key in hex: the entry's author.
async function loadKey(text) {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== 'truce-key/v1' || lines.length < 3)
    throw new Error('not a truce-key/v1 key file');
  const seed = Uint8Array.from(atob(lines[2].trim()), (c) => c.charCodeAt(0));
  if (seed.length !== 32) throw new Error('the key file does not hold a 32-byte seed');
  // WebCrypto imports a raw Ed25519 seed only as PKCS #8: this fixed 16-byte header (RFC 8410's
  // OneAsymmetricKey for id-Ed25519), then the 32-byte seed.
  const pkcs8 = new Uint8Array(48);
  pkcs8.set([
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
  ]);
  pkcs8.set(seed, 16);
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', key);
  const pub = Uint8Array.from(atob(b64url(jwk.x)), (c) => c.charCodeAt(0));
  return {
    name: lines[1],
    key,
    author: [...pub].map((b) => b.toString(16).padStart(2, '0')).join(''),
  };
}
// Signs `body` with the key's next sequence number (asked of the server, which refuses a number
// already used), and returns the entry's canonical text, ready to submit.
async function signEntry(k, body) {
  const r = await fetch('/v1/keys/' + k.author + '/sequence', { credentials: 'same-origin' });
  if (!r.ok) throw new Error("cannot read the key's sequence number: HTTP " + r.status);
  const seq = (await r.json()).next;
  const msg = new TextEncoder().encode('truce.entry/v2\n' + canon({ author: k.author, body, seq }));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, k.key, msg));
  return canon({ author: k.author, body, seq, sig: btoa(String.fromCharCode(...sig)) });
}
// Submits a signed entry with the page's CSRF token; resolves to its index in the log, or throws
// the server's reason with its HTTP status (`e.status`).
async function submitEntry(text) {
  const csrf = document.querySelector('meta[name=csrf-token]').content;
  const r = await fetch('/v1/entries', {
    method: 'POST',
    body: text,
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrf },
  });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) {
    const e = new Error(j.error || (j.diagnostics || []).join('; ') || 'HTTP ' + r.status);
    e.status = r.status;
    throw e;
  }
  return j.index;
}
