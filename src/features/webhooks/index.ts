/** The webhooks feature's public face: what other features may use. */
export { webhookRoutes } from './routes.js';
export { defineWebhookJobs, type WebhookWorkOptions } from './work.js';
