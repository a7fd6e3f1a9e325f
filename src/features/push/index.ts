/** Web Push, the web app manifest, the service worker and the offline page. */
export { pushRoutes } from './routes.js';
export { definePushWork, type PushWorkOptions } from './work.js';
export { loadOrCreateVapidKeys, type VapidKeys } from './keys.js';
export { pushPayloadFor, type PushPayload } from './payload.js';
export { erasePushData, exportPushData, type PushExport } from './personal-data.js';
export { PushExportSection } from './export-views.js';
