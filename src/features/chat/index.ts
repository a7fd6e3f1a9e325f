/** Live chat: each group's chat room and each online meeting's live room. */
export { chatRoutes } from './routes.js';
export { eraseChatData, exportChatData, type ChatExport } from './personal-data.js';
export { ChatExportSection } from './export-views.js';
export { accessChatMessage } from './policy.js';
