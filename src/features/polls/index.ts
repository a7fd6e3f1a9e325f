/** The polls feature's public face: what other features may use. */
export { pollRoutes } from './routes.js';
export { definePollWork } from './work.js';
export { PollNotification } from './notification-views.js';
