import { Forbidden } from '../../platform/errors.js';
import {
  assertCanModerate,
  assertCanReadDiscussions,
  assertCanTakePart,
  canModerate,
  canReadDiscussions,
  canTakePart,
  isLeader,
  type GroupAccess,
} from '../groups/index.js';

/*
 * Who may do what with a group's resource library and its coping strategies. Every route of the
 * feature asks one of these; none decides on its own.
 */

/** The library and the coping strategies are read by whoever may read the group's discussions. */
export function canReadLibrary(a: GroupAccess): boolean {
  return canReadDiscussions(a);
}

export function assertCanReadLibrary(a: GroupAccess): void {
  assertCanReadDiscussions(a);
}

/** Suggesting a resource, voting "this helped me", asking to save a reply: members who can take part. */
export function canSuggest(a: GroupAccess): boolean {
  return canTakePart(a);
}

export function assertCanSuggest(a: GroupAccess): void {
  assertCanTakePart(a);
}

/** Approving, declining, editing, deleting and marking reviewed: the group's moderators and leaders. */
export function canReview(a: GroupAccess): boolean {
  return canModerate(a);
}

export function assertCanReview(a: GroupAccess): void {
  assertCanModerate(a);
}

/**
 * "Reviewed by a facilitator": only in professionally run groups, and only by a facilitator
 * holding their powers (isLeader asks for their two-step verification), since members read it as
 * a professional's word.
 */
export function canVouch(a: GroupAccess): boolean {
  return a.group.leadership === 'professional' && a.role === 'facilitator' && isLeader(a);
}

export function assertCanVouch(a: GroupAccess): void {
  if (!canVouch(a)) throw new Forbidden('resources.errors.notFacilitator');
}

/**
 * Saving someone's reply as a coping strategy: a member who can take part, never on their own
 * reply (theirs to share as they like) nor on an anonymous one (asking its author would need to
 * know who they are).
 */
export function canSaveCoping(
  a: GroupAccess,
  post: { mine: boolean; anonymous: boolean; isOpening: boolean },
): boolean {
  return canTakePart(a) && !post.mine && !post.anonymous && !post.isOpening;
}
