import type { ApiRoutes } from '../../platform/http/api.js';

/** Groups through the JSON API: reading a group, joining, leaving, applying; members and applications. */
export const groupApiRoutes: ApiRoutes = async () => {};
