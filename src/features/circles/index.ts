/** Voice and video circles: a meeting's live circle, run by its facilitators, private by design. */
export { circleRoutes } from './routes.js';
export type { CircleMedia, CircleRef, ParticipantRef } from './media.js';
export { exportCircleData, type CircleExport } from './personal-data.js';
export { CirclesExportSection } from './export-views.js';
