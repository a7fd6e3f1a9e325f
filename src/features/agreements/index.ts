/** The agreements feature's public face: what other features may use. */
export { agreementRoutes } from './routes.js';
