/** The organisations feature's public face. */
export {
  accessOrganisation,
  canManageOrganisation,
  isOrganisationAdmin,
  isOrganisationAdminSql,
  organisationSummary,
  organisationSummarySql,
  type OrganisationAccess,
} from './policy.js';
export { organisationRoutes } from './routes.js';
export { organisationGroups } from './service.js';
export type { Organisation } from './schema.js';
export { exportOrganisationData } from './personal-data.js';
