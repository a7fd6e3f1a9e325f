/** Private messages: conversations, message requests, reports. */
export { messageRoutes } from './routes.js';
