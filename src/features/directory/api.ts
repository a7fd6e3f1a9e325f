import type { ApiRoutes } from '../../platform/http/api.js';

/** The directory through the JSON API: listing and searching groups with the directory's filters. */
export const directoryApiRoutes: ApiRoutes = async () => {};
