/** The privacy feature's public face: the privacy page, data exports and account deletion. */
export { privacyRoutes } from './routes.js';
export { deleteMyAccount } from './service.js';
export { gatherMemberData } from './exports.js';
export { defineExportJob, type ExportJob } from './jobs.js';
