/* global location, WebSocket, setTimeout */
// On every page of someone signed in: follows their own unread count over /live and keeps the
// header's "Notifications" link (its text is its accessible name) up to date, saying politely in
// the header's status region when something new arrives. The link works without it.
(() => {
  const link = document.getElementById('bell');
  const status = document.getElementById('bell-status');
  if (!link || !status || !window.WebSocket) return;
  const user = Number(link.dataset.user);
  const rules = new Intl.PluralRules(document.documentElement.lang || 'en');
  const say = (prefix, count) =>
    (link.dataset[`${prefix}${rules.select(count) === 'one' ? 'One' : 'Other'}`] || '').replace('{count}', count);
  let shown = Number(link.dataset.count) || 0;
  let wait = 1000;

  const show = (count) => {
    if (count === shown) return;
    link.textContent = count > 0 ? say('label', count) : link.dataset.none;
    link.classList.toggle('bell-unread', count > 0);
    if (count > shown) {
      status.textContent = say('announce', count);
      // A gentle highlight, only for people who have not asked for less motion (styles.css).
      link.classList.remove('bell-new');
      void link.offsetWidth;
      link.classList.add('bell-new');
    }
    shown = count;
  };

  const connect = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
    socket.onopen = () => {
      wait = 1000;
      socket.send(JSON.stringify({ type: 'subscribe', topic: 'notifications', id: user }));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === 'notifications.unread' && typeof frame.count === 'number') show(frame.count);
    };
    // Reconnects after a restart or a lost network, waiting longer each time (at most a minute).
    socket.onclose = () => {
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 60_000);
    };
  };
  connect();
})();
