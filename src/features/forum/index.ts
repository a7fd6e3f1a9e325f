/** The forum feature's public face. */
export { createThread, replyToThread, toggleReaction, editPost, setPostHidden, setThreadFlag } from './service.js';
export { forumRoutes } from './routes.js';
