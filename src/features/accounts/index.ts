/** The accounts feature's public face: what other features may use. */
export {
  emailOf,
  pseudonymSql,
  pseudonymsByIds,
  userIdSql,
  userContactSql,
  siteAdminIds,
  siteAdminIdsSql,
  findUserIdByPseudonym,
  verifiedEmailOf,
} from './service.js';
export { accountRoutes, requireViewer, SESSION_COOKIE } from './routes.js';
export { AccountNav } from './views.js';
export { securityRoutes } from './security-routes.js';
export { settingsRoutes } from './settings-routes.js';
export { assertSiteAdmin, secondFactorFirst } from './two-factor.js';
export { countryOf, emailPreferences, membershipHiddenSql, membersHiddenFromMembers, shownOnline } from './settings.js';
export { confirmAccountDeletion, deleteAccount, exportAccount, type AccountExport } from './personal-data.js';
export { deviceName } from './devices.js';
