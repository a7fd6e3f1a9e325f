import { Forbidden } from '../../platform/errors.js';
import { assertIsLeader, isActiveMember, isLeader, type GroupAccess } from '../groups/index.js';

/*
 * Who may do what with a group's newsletters. Every newsletter route asks one of these; none
 * decides on its own.
 */

/** Owners, facilitators and the organisation's admins write and send newsletters; moderators do not. */
export function canWriteNewsletters(a: GroupAccess): boolean {
  return isLeader(a);
}

export function assertCanWriteNewsletters(a: GroupAccess): void {
  assertIsLeader(a);
}

/**
 * The archive of sent newsletters: members and leaders always; anyone when the group is public
 * and its owner made the archive public.
 */
export function canReadArchive(a: GroupAccess, archivePublic: boolean): boolean {
  if (a.group.visibility === 'public' && archivePublic) return true;
  return isActiveMember(a) || isLeader(a);
}

/** Refused as members-only discussions are, so the archive says no more than they do. */
export function assertCanReadArchive(a: GroupAccess, archivePublic: boolean): void {
  if (!canReadArchive(a, archivePublic)) throw new Forbidden('groups.errors.membersOnly');
}

/** Only a public group offers its newsletter to people outside it: a private group's name is private. */
export function canSubscribePublicly(a: GroupAccess): boolean {
  return a.group.visibility === 'public';
}

/** The newsletters page: open to everyone for public groups (to sign up), else to those who read the archive. */
export function assertCanOpenNewslettersPage(a: GroupAccess, archivePublic: boolean): void {
  if (!canSubscribePublicly(a)) assertCanReadArchive(a, archivePublic);
}

export function assertCanSubscribePublicly(a: GroupAccess): void {
  if (!canSubscribePublicly(a)) throw new Forbidden('groups.errors.membersOnly');
}
