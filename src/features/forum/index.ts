/** The forum feature's public face. */
export { createThread, replyToThread, toggleReaction, editPost } from './service.js';
export { setPostHidden, setThreadFlag } from './moderation.js';
export { forumRoutes } from './routes.js';
export { eraseForumData, exportForumData, type ForumExport } from './personal-data.js';
