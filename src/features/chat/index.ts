/** Live chat: each group's chat room and each online meeting's live room. */
export { chatRoutes } from './routes.js';
