/* global location, WebSocket, setTimeout, fetch */
// On a conversation page: follows the conversation over /live and, when someone else writes,
// fetches the new messages (the frame says only that one arrived) and adds them to the list,
// saying so in the page's polite status region. Without JavaScript the page works as ever.
(() => {
  const box = document.getElementById('live-notice');
  const list = document.getElementById('message-list');
  const text = document.getElementById('live-notice-text');
  if (!box || !list || !text || !window.WebSocket) return;
  const conversation = Number(box.dataset.conversation);
  let wait = 1000;
  let fetching = false;
  let again = false;

  const lastId = () => {
    const items = list.querySelectorAll('li[data-id]');
    return items.length ? Number(items[items.length - 1].dataset.id) : 0;
  };

  // Asks for the messages after the last one shown, through the same checks as the page.
  const fetchNew = async () => {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      const response = await fetch(`${location.pathname}?after=${lastId()}`, {
        headers: { 'hx-request': 'true' },
        credentials: 'same-origin',
      });
      if (!response.ok) return;
      const html = await response.text();
      const holder = document.createElement('ol');
      holder.innerHTML = html;
      let added = 0;
      for (const item of [...holder.children]) {
        if (!item.dataset.id || document.getElementById(item.id)) continue;
        list.append(item);
        added += 1;
      }
      if (added > 0) {
        box.textContent = '';
        box.append(text.content.cloneNode(true));
      }
    } finally {
      fetching = false;
      if (again) {
        again = false;
        void fetchNew();
      }
    }
  };

  const connect = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
    socket.onopen = () => {
      wait = 1000;
      socket.send(JSON.stringify({ type: 'subscribe', topic: 'conversation', id: conversation }));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === 'conversation.message' && frame.conversationId === conversation) void fetchNew();
    };
    // Reconnects after a restart or a lost network, waiting longer each time (at most a minute).
    socket.onclose = () => {
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 60_000);
    };
  };

  connect();
})();
