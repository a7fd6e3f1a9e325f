/* global navigator */
// Registers the service worker (/sw.js): the offline page when the network is gone, and push
// notifications for those who turn them on. Pages work the same without it.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  });
}
