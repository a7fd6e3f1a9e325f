/**
 * Following threads and groups, and mentions: who is told of new posts. (The leaf modules come
 * first: the forum imports mentions.ts while it is itself being loaded.)
 */
export { MENTIONS_MAX, mentionHref, recordMentions, renderPost } from './mentions.js';
export { followingSources, postCreatedSource, postEditedSource, reactionAddedSource } from './notifications.js';
export { followingRoutes } from './routes.js';
export { MentionsField } from './views.js';
export { exportFollowingData, type FollowingExport } from './personal-data.js';
export { FollowingExportSection } from './export-views.js';
