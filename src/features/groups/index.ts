/** The groups feature's public face. */
export {
  accessGroup,
  accessGroupById,
  assertCanModerate,
  assertCanReadDiscussions,
  assertCanTakePart,
  canModerate,
  canReadDiscussions,
  canTakePart,
  type Actor,
  type GroupAccess,
} from './policy.js';
export { createGroup, joinGroup, setMemberRole, touchGroup } from './service.js';
export { groupRoutes } from './routes.js';
export { GroupHeader } from './views.js';
export type { Group } from './schema.js';
