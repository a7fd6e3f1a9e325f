/** The notifications feature's public face. */
export { notify, unreadNotificationsSql, type NewNotification } from './service.js';
export { notificationRoutes } from './routes.js';
export {
  createNotifications,
  defineNotificationJobs,
  type NotificationContext,
  type NotificationSource,
} from './pipeline.js';
export { channelEnabledSql, defaultChannels, inQuietHoursSql, type Channel } from './preferences.js';
export { defineNotificationWork } from './work.js';
export { notificationsChannel, publishUnreadCounts, unreadEvent, type UnreadEvent } from './live.js';
export { turnOffNotificationEmail } from './settings.js';
export { actorName, notificationSummary } from './summaries.js';
export { notificationViews, type NotificationView } from './reading.js';
export { exportNotificationData, type NotificationExport } from './personal-data.js';
export { NotificationsExportSection, type NamedNotificationExport } from './export-views.js';
