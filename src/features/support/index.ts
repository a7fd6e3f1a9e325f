/** Giving back: no post unanswered, and recognition given privately and kindly. */
export { supportRoutes } from './routes.js';
export { defineSupportWork, type SupportContext } from './work.js';
export { longWaitingThreads } from './waiting.js';
export { ThreadSeenNotification } from './waiting-views.js';
export { ThanksNotification } from './thanks-notification.js';
export { exportSupportData, type SupportExport } from './personal-data.js';
export { exportPromptsData, type PromptsExport } from './prompts-data.js';
