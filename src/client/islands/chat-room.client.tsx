import { hydrate } from 'preact';
import { ChatRoom, type ChatRoomProps } from './chat-room.js';

// The room's page carries its props beside the markup rendered from them; the same component takes over.
// Its attachment fields are in the markup only: the island keeps them as they are (attach.js runs them).
const root = document.getElementById('chat-room');
const props = root?.dataset.props;
if (root && props) {
  const attach = root.querySelector('.chat-attach')?.innerHTML ?? null;
  hydrate(<ChatRoom {...(JSON.parse(props) as ChatRoomProps)} attach={attach} />, root);
}
