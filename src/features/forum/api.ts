import type { ApiRoutes } from '../../platform/http/api.js';

/** Discussions through the JSON API: threads, posts, replies and reactions. */
export const forumApiRoutes: ApiRoutes = async () => {};
