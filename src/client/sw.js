/* global self, caches, clients, fetch, Request, Response */
// Mutual's service worker, served at /sw.js for the whole site. It keeps two things, the offline
// page and the stylesheet, and shows the offline page when a page cannot be reached. It never keeps
// a page someone loaded: pages are personal. It shows push notifications, and opens the page a
// notification is about when it is tapped. The server fills in the cache's version and the stylesheet.
const CACHE = 'mutual-CACHE_VERSION';
const OFFLINE = '/offline';
const PRECACHE = [OFFLINE, 'STYLESHEET_URL'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // Without cookies: the offline page is the same for everyone, and holds nothing of anyone.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: 'omit' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('mutual-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE).then((page) => page || Response.error())));
    return;
  }
  // The stylesheet kept for the offline page; every other asset from the network (and the browser's cache).
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
  }
});

/** Only an address on this site: a push names where to go, and nothing else may be opened. */
function onThisSite(path) {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') ? path : '/notifications';
}

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = typeof data.title === 'string' && data.title ? data.title : 'Mutual';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      icon: '/icons/icon-192.png',
      // One notification from Mutual at a time on the device: a new one replaces the last.
      tag: 'mutual',
      renotify: true,
      data: { url: onThisSite(data.url) },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(onThisSite(event.notification.data && event.notification.data.url), self.location.origin).href;
  event.waitUntil(
    clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (!open) return clients.openWindow(target);
      return open
        .focus()
        .then((focused) => focused.navigate(target))
        .catch(() => clients.openWindow(target));
    }),
  );
});
