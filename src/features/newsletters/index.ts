/** The newsletters feature's public face. */
export { defineNewsletters } from './jobs.js';
export { newsletterRoutes } from './routes.js';
export { forgetNewsletterAddress } from './personal-data.js';
