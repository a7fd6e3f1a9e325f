/** The JSON API's public face: the /api/v1 context, and access tokens. */
export { apiRoutes, API_PREFIX } from './routes.js';
export { createApiToken, findTokenCaller, hashApiToken, listApiTokens, revokeApiToken } from './tokens.js';
export { apiPageRoutes } from './page-routes.js';
