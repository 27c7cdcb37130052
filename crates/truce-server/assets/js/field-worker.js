// The service worker: the shell from the network when it answers, from the cache when it does not.
//
// Served as /field/sw.js, with the placeholder in CACHE replaced by the shell's version (`VERSION`
// in field.rs), so that a new version replaces the old cache.

const CACHE = 'TRUCE_FIELD_VERSION';
const SHELL = ['/field/', '/field/app.js', '/field/manifest.webmanifest', '/field/icon.svg'];
self.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});
self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((ks) => Promise.all(ks.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  if (
    e.request.method !== 'GET' ||
    u.origin !== location.origin ||
    !u.pathname.startsWith('/field/')
  )
    return;
  const key = u.pathname === '/field/index.html' ? '/field/' : u.pathname;
  e.respondWith(
    fetch(e.request)
      .then((r) => {
        if (r.ok) {
          const copy = r.clone();
          caches.open(CACHE).then((c) => c.put(key, copy));
        }
        return r;
      })
      .catch(() =>
        caches
          .match(key)
          .then(
            (r) => r || new Response('offline, and this file was never cached', { status: 503 }),
          ),
      ),
  );
});
