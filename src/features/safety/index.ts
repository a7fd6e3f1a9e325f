/** The safety feature's public face: crisis detection, crisis resources and alerts. */
export { detectRisk, type RiskCategory, type RiskResult } from './detection/index.js';
export { mailNewCrisisAlerts, raiseCrisisAlert, type AfterWrite } from './alerts.js';
export { crisisPanelFor, helpCountry, type CrisisPanelData } from './panel.js';
export { resourcesFor } from './resources.js';
export { safetyRoutes } from './routes.js';
export { CrisisPanel, ResourceList } from './views.js';
export { exportSafetyData, type SafetyExport } from './personal-data.js';
