// The app.
//
// Served as the last part of /field/app.js, after signing.js, proof-core.js and field-media.js,
// whose functions it calls.

(function () {
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($('field-data').textContent);
  const enc = new TextEncoder();
  const hex = (b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  const P = (r) =>
    new Promise((res, rej) => {
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  const done = (t) =>
    new Promise((res, rej) => {
      t.oncomplete = () => res();
      t.onerror = () => rej(t.error);
      t.onabort = () => rej(t.error);
    });
  const DB = new Promise((res, rej) => {
    const r = indexedDB.open('truce-field', 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('config');
      r.result.createObjectStore('queue', { keyPath: 'id', autoIncrement: true });
    };
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  async function cget(k) {
    const db = await DB;
    return P(db.transaction('config').objectStore('config').get(k));
  }
  async function cput(k, v) {
    const db = await DB;
    const t = db.transaction('config', 'readwrite');
    t.objectStore('config').put(v, k);
    await done(t);
  }
  async function items() {
    const db = await DB;
    return P(db.transaction('queue').objectStore('queue').getAll());
  }
  async function save(it) {
    const db = await DB;
    const t = db.transaction('queue', 'readwrite');
    const r = t.objectStore('queue').put(it);
    await done(t);
    return r.result;
  }
  // The next sequence number, taken and raised in one transaction: a number is never used twice.
  async function takeSeq() {
    const db = await DB;
    const t = db.transaction('config', 'readwrite');
    const s = t.objectStore('config');
    const k = await P(s.get('key'));
    const seq = k.next;
    k.next = seq + 1;
    s.put(k, 'key');
    await done(t);
    return seq;
  }
  function say(id, text) {
    $(id).textContent = text;
  }
  // The app's messages in the reader's language: templates whose `{name}` is filled in here.
  const t = (key, vars) =>
    (data.words['@' + key] || key).replace(/\{(\w+)\}/g, (m, k) =>
      vars && k in vars ? String(vars[k]) : m,
    );
  // Options keep the log's word as their value and show the reader's word (the page's `words`).
  const word = (v) => (data.words && data.words[v]) || v.replace(/_/g, ' ');
  function fill(sel, values) {
    const s = $(sel);
    s.textContent = '';
    for (const v of values) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = word(v);
      s.appendChild(o);
    }
  }
  fill('class', data.classes);
  fill('sensor', data.sensors);
  fill('controlled_by', [...data.parties, 'unknown']);
  function online() {
    say(
      'net',
      navigator.onLine
        ? t('online')
        : t('offline'),
    );
  }
  addEventListener('online', () => {
    online();
    sync();
  });
  addEventListener('offline', online);
  online();
  if ('serviceWorker' in navigator)
    navigator.serviceWorker
      .register('/field/sw.js', { scope: '/field/' })
      .catch((e) => console.error(e));

  async function api(path, opts = {}) {
    const cfg = await cget('server');
    const headers = Object.assign({ authorization: 'Bearer ' + cfg.token }, opts.headers || {});
    return fetch(
      path,
      Object.assign({}, opts, { headers, credentials: 'omit', cache: 'no-store' }),
    );
  }

  // Setup: open the sealed key with WebCrypto and keep it non-extractable.
  async function openSealed(text, pass) {
    const L = text.trim().split(/\r?\n/);
    if (L[0] !== 'truce-key-sealed/v1' || L.length < 5)
      throw new Error(
        'this is not a sealed key file (truce-key-sealed/v1): seal your key with truce mission seal-key',
      );
    const [kdf, iters, salt] = L[2].split(' ');
    if (kdf !== 'pbkdf2-sha256') throw new Error('unknown key derivation ' + kdf);
    const b64 = (s) => Uint8Array.from(atob(s.trim()), (c) => c.charCodeAt(0));
    const base = await crypto.subtle.importKey('raw', enc.encode(pass), 'PBKDF2', false, [
      'deriveKey',
    ]);
    const aes = await crypto.subtle.deriveKey(
      { name: 'PBKDF2', hash: 'SHA-256', salt: b64(salt), iterations: Number(iters) },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    let seed;
    try {
      seed = new Uint8Array(
        await crypto.subtle.decrypt(
          {
            name: 'AES-GCM',
            iv: b64(L[3]),
            additionalData: enc.encode('truce-key-sealed/v1\n' + L[1] + '\n'),
          },
          aes,
          b64(L[4]),
        ),
      );
    } catch (e) {
      throw new Error('wrong passphrase, or the file was changed');
    }
    const pkcs8 = new Uint8Array(48);
    pkcs8.set([
      0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
      0x20,
    ]);
    pkcs8.set(seed, 16);
    const once = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
    const jwk = await crypto.subtle.exportKey('jwk', once);
    const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
    seed.fill(0);
    pkcs8.fill(0);
    return {
      name: L[1],
      author: hex(Uint8Array.from(atob(b64url(jwk.x)), (c) => c.charCodeAt(0))),
      key,
    };
  }
  $('sealed-file').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (f) $('sealed').value = await f.text();
  });
  $('import').addEventListener('click', async () => {
    try {
      say('net', t('importing'));
      const token = $('token').value.trim();
      const k = await openSealed($('sealed').value, $('passphrase').value);
      $('passphrase').value = '';
      await cput('server', { token });
      const who = await api('/v1/whoami');
      if (!who.ok) throw new Error(t('refused-token', { status: who.status }));
      const seq = await api('/v1/keys/' + k.author + '/sequence');
      if (!seq.ok)
        throw new Error(t('not-your-key', { status: seq.status }));
      const vkey = await (await api('/log/vkey')).text();
      const policy = await (await api('/v1/media')).json();
      await cput('server', { token, vkey: vkey.trim(), policy });
      await cput('key', {
        name: k.name,
        author: k.author,
        key: k.key,
        next: (await seq.json()).next,
      });
      $('token').value = '';
      $('sealed').value = '';
      await start();
    } catch (e) {
      say('net', t('not-imported', { error: e.message }));
    }
  });
  $('locate').addEventListener('click', () => {
    if (!navigator.geolocation) {
      say('captured', t('no-position'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => {
        $('lat').value = p.coords.latitude.toFixed(6);
        $('lon').value = p.coords.longitude.toFixed(6);
      },
      (e) => say('captured', t('no-position-error', { error: e.message })),
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });

  async function signWith(k, body, seq) {
    const msg = enc.encode('truce.entry/v2\n' + canon({ author: k.author, body, seq }));
    const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, k.key, msg));
    return canon({ author: k.author, body, seq, sig: btoa(String.fromCharCode(...sig)) });
  }
  $('observe').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const v = (id) => $(id).value;
      const cfg = await cget('server');
      const k = await cget('key');
      const start = new Date(v('start') + 'Z');
      if (isNaN(start)) throw new Error(t('bad-start'));
      const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
      const body = {
        kind: 'observation',
        start: iso(start),
        end: iso(new Date(start.getTime() + 60000 * Number(v('minutes') || 0))),
        lat_e6: Math.round(parseFloat(v('lat')) * 1e6),
        lon_e6: Math.round(parseFloat(v('lon')) * 1e6),
        controlled_by: v('controlled_by'),
        sensor: v('sensor'),
        class: v('class'),
        count: parseInt(v('count'), 10),
        approximate: $('approximate').checked,
      };
      if (v('bearing') !== '') body.bearing_deg = parseInt(v('bearing'), 10);
      if (v('distance') !== '') body.distance_m = parseInt(v('distance'), 10);
      if (v('note') !== '') body.note = v('note');
      const media = [];
      for (const f of $('photos').files) media.push(await truceMedia.prepare(f, cfg.policy));
      if (media.length) body.media = media.map((m) => m.hash + ':' + m.bytes);
      const seq = await takeSeq();
      const entry = await signWith(k, body, seq);
      const id = await save({
        seq,
        entry,
        media,
        state: 'queued',
        summary: word(body.class) + ' \u00d7' + body.count + ', ' + body.start,
        created: Date.now(),
      });
      $('observe').reset();
      $('minutes').value = '5';
      $('count').value = '1';
      say('captured', t('signed-queued', { seq, id }));
      await render();
      sync();
    } catch (e) {
      say('captured', t('not-recorded', { error: e.message }));
    }
  });

  // Sync: files, then the entry; then the receipt, checked here. A sync that stops (the network, or
  // a busy server: 503, 408) tries again by itself, waiting twice as long each time up to a minute.
  let syncing = false,
    again = false,
    backoff = 0;
  async function sync() {
    if (syncing) {
      again = true;
      return;
    }
    syncing = true;
    try {
      const cfg = await cget('server');
      if (!cfg || !cfg.vkey) return;
      const list = (await items()).sort((a, b) => a.seq - b.seq);
      for (const it of list) {
        if (it.state === 'queued') {
          let refused = null;
          for (const m of it.media) {
            const r = await api('/v1/media/' + m.hash, {
              method: 'PUT',
              body: m.data,
              headers: { 'content-type': m.type },
            });
            if (r.status === 413) {
              refused = m.name + ' is too large for the server';
              break;
            }
            if (r.status === 422 || r.status === 403) {
              const j = await r.json().catch(() => ({}));
              refused =
                m.name + ': ' + ((j.diagnostics || []).join('; ') || j.error || 'HTTP ' + r.status);
              break;
            }
            if (!r.ok) throw new Error('the server answered ' + r.status + ' to a file');
          }
          if (refused) {
            it.state = 'refused';
            it.reason = refused;
            await save(it);
            continue;
          }
          const r = await api('/v1/entries', { method: 'POST', body: it.entry });
          const j = await r.json().catch(() => ({}));
          if (r.status === 201) {
            it.state = 'acknowledged';
            it.index = j.index;
          } else if (r.status === 409) {
            it.state = 'duplicate';
            it.reason = t('already', { seq: it.seq });
          } else if (r.status >= 400 && r.status < 500) {
            it.state = 'refused';
            it.reason = j.error || (j.diagnostics || []).join('; ') || 'HTTP ' + r.status;
          } else throw new Error('the server answered ' + r.status);
          await save(it);
          await render();
        }
        if (it.state === 'acknowledged') {
          const r = await api('/v1/entries/' + it.index + '/proof');
          if (r.status === 404) {
            setTimeout(sync, 1000);
            continue;
          }
          if (!r.ok) throw new Error('the proof of entry ' + it.index + ': HTTP ' + r.status);
          const d = await r.json();
          const entry = Uint8Array.from(atob(d.entry), (c) => c.charCodeAt(0));
          if (new TextDecoder().decode(entry) !== it.entry) {
            it.state = 'refused';
            it.reason = 'the log holds another entry at index ' + it.index;
            await save(it);
            continue;
          }
          const checked = await truceProof.verify(
            { index: d.index, entry: d.entry, proof: d.proof, checkpoint: d.checkpoint },
            cfg.vkey,
          );
          it.state = 'recorded';
          it.receipt = {
            index: d.index,
            size: checked.size,
            proof: d.proof,
            checkpoint: d.checkpoint,
            signature: checked.signature,
          };
          await save(it);
          await render();
        }
      }
      backoff = 0;
    } catch (e) {
      console.warn('sync stopped:', e);
      backoff = Math.min(backoff ? backoff * 2 : 1000, 60000);
      setTimeout(sync, backoff);
    } finally {
      syncing = false;
      await render();
      if (again) {
        again = false;
        sync();
      }
    }
  }
  $('sync').addEventListener('click', sync);

  async function render() {
    const list = (await items()).sort((a, b) => b.seq - a.seq);
    const ol = $('queue');
    ol.textContent = '';
    const n = (s) => list.filter((i) => i.state === s).length;
    say(
      'summary',
      t('summary', {
        total: list.length,
        queued: n('queued'),
        sent: n('acknowledged'),
        recorded: n('recorded'),
        duplicate: n('duplicate'),
        refused: n('refused'),
      }),
    );
    for (const it of list) {
      const li = document.createElement('li');
      li.dataset.state = it.state;
      li.dataset.seq = it.seq;
      if (it.index !== undefined) li.dataset.index = it.index;
      if (it.receipt)
        li.dataset.proof = it.receipt.signature === true ? 'verified' : 'verified-hash-only';
      let text =
        t('item', { seq: it.seq, summary: it.summary }) +
        (it.media.length ? ' (' + t('files', { count: it.media.length }) + ')' : '') +
        ' \u2014 ';
      text +=
        it.state === 'queued'
          ? t('waiting')
          : it.state === 'acknowledged'
            ? t('sent', { index: it.index })
            : it.state === 'recorded'
              ? t('recorded', { index: it.index, size: it.receipt.size })
              : it.state === 'duplicate'
                ? it.reason
                : t('refused', { reason: it.reason });
      li.textContent = text;
      ol.appendChild(li);
    }
  }
  async function start() {
    const k = await cget('key');
    $('setup').hidden = !!k;
    $('capture').hidden = !k;
    $('queue-section').hidden = !k;
    if (k) {
      say(
        'who',
        t('signing-as', { name: k.name, key: k.author.slice(0, 12), next: k.next }),
      );
      await render();
      if (navigator.onLine) sync();
    }
  }
  start();
})();
