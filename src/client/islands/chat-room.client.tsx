import { hydrate } from 'preact';
import { ChatRoom, type ChatRoomProps } from './chat-room.js';

// The room's page carries its props beside the markup rendered from them; the same component takes over.
const root = document.getElementById('chat-room');
const props = root?.dataset.props;
if (root && props) hydrate(<ChatRoom {...(JSON.parse(props) as ChatRoomProps)} />, root);
