/** Shared knowledge: a group's resource library and its collection of coping strategies. */
export { resourceRoutes } from './routes.js';
export { ResourceNotification } from './notification-views.js';
export { exportResourcesData, forgetResourceVotes, type ResourcesExport } from './personal-data.js';
