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
