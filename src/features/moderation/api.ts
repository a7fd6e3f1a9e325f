import type { ApiRoutes } from '../../platform/http/api.js';

/** Moderation through the JSON API: the review queue, hiding and restoring posts, flags. */
export const moderationApiRoutes: ApiRoutes = async () => {};
