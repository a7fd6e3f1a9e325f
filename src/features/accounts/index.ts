/** The accounts feature's public face: what other features may use. */
export { pseudonymsByIds, findUserIdByPseudonym } from './service.js';
export { accountRoutes, requireViewer } from './routes.js';
