/** The moderation feature's public face: flags, the review queue's flagged posts, decisions, silences. */
export { flaggedByViewerSql, raiseAutomaticFlags } from './flags.js';
export { closeFlagsOnReview } from './decisions.js';
export { alertModerators } from './alerts.js';
export { assertNotSilenced, silenceDays, silencedUntilSql, silenceMember } from './silences.js';
export { moderationRoutes } from './routes.js';
export { exportModerationData, type ModerationExport } from './personal-data.js';
export { moderationApiRoutes } from './api.js';
