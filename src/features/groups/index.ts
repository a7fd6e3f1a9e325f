/** The groups feature's public face. */
export {
  accessGroup,
  accessGroupById,
  accessOwnGroups,
  assertCanManage,
  assertCanModerate,
  assertCanReadDiscussions,
  assertCanSeeMembers,
  assertCanTakePart,
  assertCanRevealAuthor,
  assertIsLeader,
  canPostAnonymously,
  canRevealAuthor,
  canManage,
  GRACE_DAYS,
  isLapsed,
  isActiveMember,
  activeMemberSql,
  canModerate,
  canReadDiscussions,
  canTakePart,
  isLeader,
  needsPreModeration,
  type Actor,
  type GroupAccess,
} from './policy.js';
export { recordAudit, type AuditAction } from './audit.js';
export { findUserIdByName, memberIdByNameSql, memberNameSql, nameInGroup } from './aliases.js';
export {
  countListedGroupsByOrganisation,
  createGroup,
  groupLanguages,
  groupSummarySql,
  listOrganisationGroups,
  touchGroup,
} from './service.js';
export {
  addMember,
  announceNewMember,
  assertMayEnter,
  banAnonymousAuthor,
  grantPaidAccess,
  joinGroup,
  membersPaidBeforeSql,
  removeMemberById,
  setFeeWaived,
  setGroupFees,
  setMemberRole,
} from './membership.js';
export { groupRoutes } from './routes.js';
export { accessRoutes } from './access-routes.js';
export { memberRoutes } from './members-routes.js';
export { groupLeaderIds, leaderBadgeSql, leaderBadges, type LeaderBadge } from './leadership.js';
export { GroupFields, GroupHeader } from './views.js';
export type { Group } from './schema.js';
export { awaitsSecondFactor } from './policy.js';
export { exportGroupData, forgetGroupMember, groupNamesByIds, type GroupsExport } from './personal-data.js';
export { groupApiRoutes } from './api.js';
export { memberApiRoutes } from './members-api.js';
