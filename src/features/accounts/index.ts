/** The accounts feature's public face: what other features may use. */
export { emailOf, pseudonymSql, pseudonymsByIds, userIdSql, findUserIdByPseudonym } from './service.js';
export { accountRoutes, requireViewer } from './routes.js';
