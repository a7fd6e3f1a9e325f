/** The forum feature's public face. */
export { accessPost, accessThread, createThread, replyToThread, toggleReaction, editPost } from './service.js';
export { changePostVisibility, deletePostAsModerator, setPostHidden, setThreadFlag } from './moderation.js';
export { readPost, type PostView } from './service.js';
export { authorLabel, threadUrl } from './views.js';
export { decidePendingPost, pendingPosts, type PendingPost } from './premoderation.js';
export { PendingSection } from './review-views.js';
export { forumRoutes } from './routes.js';
export { eraseForumData, exportForumData, type ForumExport } from './personal-data.js';
export { discussionSearchRoutes } from './search-routes.js';
export { groupActivitySql } from './activity.js';
export { type GroupPageExtension, type ThreadExtension, type ThreadExtra } from './extensions.js';
export { threadTitleSql } from './thread-titles.js';
export { forumApiRoutes } from './api.js';
