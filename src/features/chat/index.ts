/** Live chat: each group's chat room and each online meeting's live room. */
export { chatRoutes } from './routes.js';
export { eraseChatData, exportChatData, type ChatExport } from './personal-data.js';
export { ChatExportSection } from './export-views.js';
export {
  accessChatMessage,
  meetingRoomStandingSql,
  readStanding,
  takingPartRefusal,
  type Refusal,
  type Standing,
} from './policy.js';
export { refusalText } from './views.js';
export type { RoomContext, RoomExtension, RoomExtra } from './extensions.js';
