/* global location, WebSocket, setTimeout */
// On a thread page: follows the thread over /live and, when someone else replies, shows
// "New replies. Show them" in the page's polite status region. The page works without it.
(() => {
  const box = document.getElementById('live-notice');
  const text = document.getElementById('live-notice-text');
  if (!box || !text || !window.WebSocket) return;
  const thread = Number(box.dataset.thread);
  let latest = 0;
  let wait = 1000;

  // The reply count on the page, which htmx updates when the reader posts a reply themselves.
  const seen = () => Number(document.getElementById('reply-count')?.dataset.replies) || 0;

  const update = () => {
    if (latest <= seen()) {
      box.textContent = '';
      return;
    }
    if (!box.firstChild) box.append(text.content.cloneNode(true));
    const link = box.querySelector('a');
    if (link) link.href = `${location.pathname}?seen=${seen()}#new-replies`;
  };

  const connect = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
    socket.onopen = () => {
      wait = 1000;
      socket.send(JSON.stringify({ type: 'subscribe', topic: 'thread', id: thread }));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === 'thread.reply' && frame.threadId === thread) {
        latest = Math.max(latest, frame.replies);
        update();
      }
    };
    // Reconnects after a restart or a lost network, waiting longer each time (at most a minute).
    socket.onclose = () => {
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 60_000);
    };
  };

  document.addEventListener('htmx:afterSettle', update);
  connect();
})();
