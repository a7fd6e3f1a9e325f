/** The files feature's public face: what other features may use. */
export { fileRoutes } from './routes.js';
