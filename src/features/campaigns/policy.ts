import { Forbidden, NotFound } from '../../platform/errors.js';
import { assertIsLeader, canReadDiscussions, isActiveMember, isLeader, type GroupAccess } from '../groups/index.js';
import type { Campaign } from './schema.js';

/*
 * Who may do what with a group's advocacy campaigns. Every campaign route asks one of these; none
 * decides on its own.
 */

/** The group's owners, facilitators and admins write, publish and close campaigns, as they write newsletters. */
export function canWriteCampaigns(a: GroupAccess): boolean {
  return isLeader(a);
}

export function assertCanWriteCampaigns(a: GroupAccess): void {
  assertIsLeader(a);
}

/**
 * A published (or closed) campaign is public: the group chose to make it so, even a members-only
 * group. A draft is for its writers; to anyone else it does not exist.
 */
export function assertCanSeeCampaign(a: GroupAccess, campaign: Pick<Campaign, 'status'>): void {
  if (campaign.status === 'draft' && !canWriteCampaigns(a)) throw new NotFound();
}

/**
 * The list of a group's campaigns ties them to the group, which a members-only group's campaign
 * page does not do: for a public group anyone may see it; else those who read its discussions.
 */
export function assertCanListCampaigns(a: GroupAccess): void {
  if (a.group.visibility === 'public' || canReadDiscussions(a) || canWriteCampaigns(a)) return;
  throw new Forbidden('groups.errors.membersOnly');
}

/** The page names the group and links to it only when the group is public. */
export function showsGroup(a: GroupAccess): boolean {
  return a.group.visibility === 'public';
}

/** Search engines may list the page only when the group is public and listed. */
export function isIndexable(a: GroupAccess, campaign: Pick<Campaign, 'status'>): boolean {
  return campaign.status !== 'draft' && a.group.visibility === 'public' && a.group.listed;
}

/**
 * Who may sign: anyone signed in for a public group's campaign; a members-only group's members
 * (and leaders) for its own. Nobody the group has banned.
 */
export function signersAreMembers(a: GroupAccess): boolean {
  return a.group.visibility !== 'public';
}

export function canSign(a: GroupAccess): boolean {
  if (!a.actor || a.banned) return false;
  return !signersAreMembers(a) || isActiveMember(a) || isLeader(a);
}

export function assertCanSign(a: GroupAccess): void {
  if (!a.actor) throw new Forbidden('groups.errors.logInFirst');
  if (a.banned) throw new Forbidden('groups.errors.banned');
  if (!canSign(a)) throw new Forbidden('campaigns.errors.membersSign');
}
