/** Private messages: conversations, message requests, reports. The feature's public face. */
export { messageRoutes } from './routes.js';
export { messageNotificationSources, messageRequested, messageSent } from './notifications.js';
export { unreadConversationsSql } from './reading.js';
export { eraseMessageData, exportMessageData, type MessagesExport } from './personal-data.js';
export { MessagesExportSection } from './export-views.js';
export { accessPrivateMessage } from './service.js';
