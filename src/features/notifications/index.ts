/** The notifications feature's public face. */
export { notify, unreadNotificationsSql, type NewNotification } from './service.js';
export { notificationRoutes } from './routes.js';
