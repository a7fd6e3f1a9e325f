/** Advocacy: campaigns a group publishes. */
export { campaignRoutes } from './routes.js';
export { exportCampaignData, forgetCampaignSignatures, type CampaignExport } from './personal-data.js';
export { CampaignsExportSection } from './export-views.js';
