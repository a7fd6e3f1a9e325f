/** Web Push, the web app manifest, the service worker and the offline page. */
export { pushRoutes } from './routes.js';
