/** The content-warnings feature's public face. (The leaf modules come first: the forum imports them.) */
export {
  checkWarning,
  isPreset,
  normaliseWarning,
  topicOf,
  warningFields,
  warningFromForm,
  warningOpenSql,
  warningPresets,
  warningTopics,
  type WarningPreset,
  type WarningTopic,
} from './warnings.js';
export { WarnedBody, WarningFields, WarningForm, warningLabel } from './views.js';
export { readPreferences, savePreferences, setContentWarning } from './service.js';
export { contentWarningRoutes } from './routes.js';
