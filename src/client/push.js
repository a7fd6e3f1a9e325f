/* global navigator, fetch, Notification, URLSearchParams, location, atob */
// On /account/push: turns push notifications on for this device. It asks the browser's
// permission, subscribes with the site's key (GET /push/key) and gives the subscription to the
// server (POST /push/subscriptions). Each part of the page that explains why it cannot is shown
// only when it applies; without JavaScript the page says that turning push on needs it.
(() => {
  const box = document.getElementById('push-device');
  const status = document.getElementById('push-status');
  if (!box || !status) return;
  const button = box.querySelector('button[data-push-enable]');
  const show = (state) => {
    for (const part of box.querySelectorAll('[data-push]')) part.hidden = part.dataset.push !== state;
  };
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window) || !button) {
    show('unsupported');
    return;
  }
  if (Notification.permission === 'denied') {
    show('denied');
    return;
  }
  show('ready');

  const bytes = (base64url) => {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  const sameKey = (a, b) => a && a.byteLength === b.byteLength && new Uint8Array(a).every((x, i) => x === b[i]);

  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = box.dataset.enabling;
    try {
      // Asked first, while the click still counts as the person's own gesture.
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        status.textContent = '';
        button.disabled = false;
        show(permission === 'denied' ? 'denied' : 'ready');
        return;
      }
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      const registration = await navigator.serviceWorker.ready;
      const answer = await fetch('/push/key', { credentials: 'same-origin' });
      if (!answer.ok) throw new Error(`key: ${answer.status}`);
      const key = bytes((await answer.json()).publicKey);
      let subscription = await registration.pushManager.getSubscription();
      // A subscription made with another key (the site's key changed) cannot be used any more.
      if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      if (!subscription) {
        subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      }
      const { endpoint, keys } = subscription.toJSON();
      const saved = await fetch('/push/subscriptions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({ endpoint, p256dh: keys.p256dh, auth: keys.auth, _csrf: box.dataset.csrf }),
      });
      if (!saved.ok) throw new Error(`subscription: ${saved.status}`);
      location.assign('/account/push?notice=pushOn');
    } catch {
      status.textContent = box.dataset.failed;
      button.disabled = false;
    }
  });
})();
