/**
 * The agreements feature's public face: what other features may use. The leaf module comes
 * first: the groups feature reads it while it loads, and this feature uses the groups feature.
 */
export { acceptAgreementsField, agreementStandingSql, welcomeMessageSql, type AgreementStanding } from './standing.js';
export { assertAgreementsAccepted, canEditAgreements, hasAgreements, mustAcceptAgreements } from './policy.js';
export {
  acceptCarried,
  acceptOnEntry,
  acceptedVersion,
  readAgreements,
  tickedVersion,
  welcomeNewMember,
} from './service.js';
export { firstDigestOfMonth, remindsMonthly } from './reminder.js';
export {
  AcceptAgreementsField,
  AgreementsAboutSection,
  AgreementsBanner,
  AgreementsChangedNotification,
  WelcomeNotification,
  welcomeHtml,
} from './views.js';
export { agreementRoutes } from './routes.js';
