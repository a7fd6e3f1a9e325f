import { Forbidden } from '../../platform/errors.js';
import { assertCanSeeMembers, isActiveMember, type GroupAccess } from '../groups/index.js';

/*
 * Who may follow. Notifications of a group's posts go only to its members in good standing (not
 * lapsed, not banned), so only they choose how closely to follow its discussions: a visitor to a
 * public group reads it, and may mute a thread (blocking), but is told of nothing.
 */

/** Choosing a level for a thread or a group: members in good standing. */
export function mayFollow(access: GroupAccess): boolean {
  return access.actor !== null && isActiveMember(access);
}

export function assertMayFollow(access: GroupAccess): void {
  if (!access.actor) throw new Forbidden('groups.errors.logInFirst');
  if (!mayFollow(access)) throw new Forbidden('following.errors.membersOnly');
}

/** The names in a group, for "@" mentions: whoever may see its member list, which shows the same names. */
export function assertMayListNames(access: GroupAccess): void {
  if (!access.actor) throw new Forbidden('groups.errors.logInFirst');
  assertCanSeeMembers(access);
}
