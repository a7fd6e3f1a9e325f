/** Following threads and groups, and mentions: who is told of new posts. */
export { followingRoutes } from './routes.js';
