// An entry's inclusion proof checked in the browser, with WebCrypto:
// `truceProof.verify({index, entry, proof, checkpoint}, vkey)` hashes the entry as a leaf, walks
// RFC 9162's inclusion path (§2.1.3.2) with SHA-256 to a root, compares it with the checkpoint's
// root, and checks the log's Ed25519 signature on the checkpoint (a C2SP signed note). It resolves
// to `{size, signature}` (`signature` is `true`, or `null` where the browser has no Ed25519) and
// throws on any failure. The entry page and the observer app both use it.
//
// Loaded before proof.js on the entry page, and as part of /field/app.js.

const truceProof = (function () {
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const cat = (...a) => {
    const r = new Uint8Array(a.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of a) {
      r.set(x, o);
      o += x.length;
    }
    return r;
  };
  const sha = async (...a) => new Uint8Array(await crypto.subtle.digest('SHA-256', cat(...a)));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  async function signature(note, vkey) {
    // name+keyid+base64: the base64 may itself hold '+'.
    const v = vkey.trim(),
      i = v.indexOf('+'),
      j = v.indexOf('+', i + 1);
    const name = v.slice(0, i),
      raw = b64(v.slice(j + 1));
    if (raw[0] !== 1) return 'the log key is not Ed25519';
    const at = note.indexOf('\n\n');
    const text = note.slice(0, at + 1);
    const id = (await sha(new TextEncoder().encode(name + '\n'), raw)).slice(0, 4);
    for (const line of note.slice(at + 2).split('\n')) {
      const m = line.match(/^\u2014 (\S+) (\S+)$/);
      if (!m || m[1] !== name) continue;
      const sig = b64(m[2]);
      if (!same(sig.slice(0, 4), id)) continue;
      try {
        const k = await crypto.subtle.importKey('raw', raw.slice(1), { name: 'Ed25519' }, false, [
          'verify',
        ]);
        return (await crypto.subtle.verify(
          { name: 'Ed25519' },
          k,
          sig.slice(4),
          new TextEncoder().encode(text),
        ))
          ? true
          : 'the log signature on the checkpoint does not verify';
      } catch (e) {
        return null;
      }
    }
    return 'the checkpoint carries no signature by the log key';
  }
  async function verify(d, vkey) {
    const lines = d.checkpoint.split('\n');
    const size = Number(lines[1]);
    const root = b64(lines[2]);
    let fn = d.index,
      sn = size - 1;
    if (!(fn < size)) throw new Error('the entry is beyond the checkpoint');
    let r = await sha(new Uint8Array([0]), b64(d.entry));
    for (const s of d.proof) {
      const p = b64(s);
      if (sn === 0) throw new Error('the proof is too long');
      if (fn % 2 === 1 || fn === sn) {
        r = await sha(new Uint8Array([1]), p, r);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn = Math.floor(fn / 2);
            sn = Math.floor(sn / 2);
          }
        }
      } else {
        r = await sha(new Uint8Array([1]), r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0 || !same(r, root))
      throw new Error('the proof leads to a root that is not the checkpoint\u2019s');
    const sig = await signature(d.checkpoint, vkey);
    if (typeof sig === 'string') throw new Error(sig);
    return { size, signature: sig };
  }
  return { verify };
})();
