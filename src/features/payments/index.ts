/** The payments feature's public face: membership fees, payments and hardship waivers. */
export { paymentRoutes } from './routes.js';
export { feeOf, type Fee } from './fees.js';
export { standingOf, type Standing } from './policy.js';
export { exportPaymentData, type PaymentsExport } from './personal-data.js';
