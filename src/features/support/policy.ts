/**
 * Who may see and do what in giving back. Routes and services ask these; none decides on its own.
 */
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { Viewer } from '../../platform/http/page.js';
import {
  assertCanTakePart,
  isLeader,
  assertCanReadDiscussions,
  canModerate,
  canReadDiscussions,
  canTakePart,
  isActiveMember,
  type GroupAccess,
} from '../groups/index.js';

/** A group's "Needs a reply": whoever may read its discussions (anyone, for a public group). */
export function maySeeWaiting(a: GroupAccess): boolean {
  return canReadDiscussions(a);
}

export function assertMaySeeWaiting(a: GroupAccess): void {
  assertCanReadDiscussions(a);
}

/** "Needs a reply" across my groups: the groups I belong to in good standing, or lead. */
export function waitingInMyGroups(a: GroupAccess): boolean {
  return maySeeWaiting(a) && (isActiveMember(a) || canModerate(a));
}

/** Moderators keep seeing discussions across a block, as on the group's own pages. */
export function seesThroughBlocks(a: GroupAccess): boolean {
  return canModerate(a);
}

/** Those who keep the group (moderators, facilitators, owners) see long waits marked, and get them in digests. */
export function seesLongWaits(a: GroupAccess): boolean {
  return canModerate(a);
}

/** A suggestion to answer someone is offered only to someone who could answer. */
export function mayBePrompted(a: GroupAccess): boolean {
  return canTakePart(a);
}

/** What decides whether a post can be thanked (a post as the forum keeps it). */
interface ThankablePost {
  authorId: number | null;
  anonymous: boolean;
  isOpening: boolean;
  status: string;
  hiddenAt: Date | null;
}

/**
 * A thank-you is for a published reply by someone else, from a member who may take part in the
 * group. Returns the sender. (Blocks are checked by the service, which must read them.)
 */
export function assertMayThank(a: GroupAccess, post: ThankablePost): Viewer {
  assertCanTakePart(a);
  if (post.isOpening || post.status !== 'published' || post.hiddenAt)
    throw new Forbidden('support.thanks.errors.notReply');
  if (post.authorId === null) throw new NotFound();
  if (post.authorId === a.actor!.id) throw new Forbidden('support.thanks.errors.own');
  return a.actor!;
}

/**
 * Whether a reply, as the reader sees it on a thread page, offers "Say thank you": not their own,
 * not across a block, and only to someone who may take part.
 */
export function offersThanks(
  a: GroupAccess,
  post: ThankablePost & { id: number },
  view: { mine: boolean; blocked: boolean },
): boolean {
  if (!canTakePart(a) || view.mine || view.blocked) return false;
  return !post.isOpening && post.status === 'published' && !post.hiddenAt && (post.anonymous || post.authorId !== null);
}

/** A group's health figures: for those who lead it (owners, facilitators, organisation admins). */
export function maySeeHealth(a: GroupAccess): boolean {
  return isLeader(a);
}

export function assertMaySeeHealth(a: GroupAccess): void {
  if (!maySeeHealth(a)) throw new Forbidden('support.health.errors.leadersOnly');
}
