import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isLapsed, type GroupAccess } from '../groups/index.js';
import type { ConversationMemberStatus, MessagePolicy } from './schema.js';

/*
 * Who may message whom. Every conversation belongs to a group both people are in, and every
 * route and service asks these functions; none decides on its own. Each condition is on its own
 * line, in the order it is asked, and policy.test.ts walks all of them.
 *
 * A refusal the sender is shown must never tell them more than the recipient chose to show. A
 * block, or a request the recipient declined before, is therefore never refused out loud: the
 * conversation is "held" (the recipient never sees it, the sender sees a request still waiting),
 * so that nobody learns they were blocked, and nobody who blocked someone in one group learns
 * which name in another group belongs to the same person by being refused there.
 */

/** What is known of a person someone wants to start a conversation with, in its group. */
export interface RecipientFacts {
  userId: number;
  /** An active member of the group: joined, not banned, not a paid member whose payment lapsed. */
  member: boolean;
  /** Their choice of who may start a conversation with them (message_settings). */
  whoMayMessage: MessagePolicy;
  /** One of the two blocked the other, in any group. */
  blocked: boolean;
  /** They declined a request from this sender before, in any group. */
  declinedBefore: boolean;
  /** They already talk with the sender in a conversation of this group, both taking part. */
  known: boolean;
}

/**
 * What starting a conversation does for one recipient: joins them at once (direct), asks them to
 * accept or decline (request), keeps it from them without telling the sender (held), or is refused
 * with a reason the sender may read.
 */
export type StartDecision =
  { outcome: 'direct' } | { outcome: 'request' } | { outcome: 'held' } | { outcome: 'refused'; reason: RefusalKey };

export type RefusalKey =
  'messages.errors.self' | 'messages.errors.notInGroup' | 'messages.errors.nobody' | 'messages.errors.facilitatorsOnly';

/** At most this many people in one conversation, the person who starts it included. */
export const MAX_PEOPLE = 6;

/** A facilitator holds their powers only with two-step verification on, as groups' policy says. */
export function actsAsFacilitator(a: GroupAccess): boolean {
  return a.role === 'facilitator' && a.actor?.secondFactor === true;
}

/**
 * Facilitators of a professionally run group may always start a conversation with its members,
 * whatever the member's own setting, unless the group turned that off (facilitators_may_message).
 */
export function facilitatorMayAlwaysMessage(a: GroupAccess): boolean {
  if (a.group.leadership !== 'professional') return false;
  if (!a.group.facilitatorsMayMessage) return false;
  return actsAsFacilitator(a);
}

/** Writing in a group's conversations: its members in good standing, never a banned or lapsed one. */
export function mayMessageIn(a: GroupAccess): boolean {
  if (!a.actor) return false;
  if (a.banned) return false;
  if (!a.membership) return false;
  if (isLapsed(a)) return false;
  return true;
}

export function assertMayMessageIn(a: GroupAccess): void {
  if (!a.actor) throw new Forbidden('groups.errors.logInFirst');
  if (a.banned) throw new Forbidden('groups.errors.banned');
  if (!a.membership) throw new Forbidden('groups.errors.joinFirst');
  if (isLapsed(a)) throw new Forbidden('groups.errors.lapsed');
}

/** What starting a conversation in the group (the sender's access) does for one recipient. */
export function decideStart(a: GroupAccess, r: RecipientFacts): StartDecision {
  assertMayMessageIn(a);
  if (r.userId === a.actor!.id) return { outcome: 'refused', reason: 'messages.errors.self' };
  if (!r.member) return { outcome: 'refused', reason: 'messages.errors.notInGroup' };
  // A block forbids it, a facilitator's too: nobody may be pressed by someone they keep away.
  if (r.blocked) return { outcome: 'held' };
  if (facilitatorMayAlwaysMessage(a)) return { outcome: 'direct' };
  // They said no once: they are not asked again, and the sender is not told.
  if (r.declinedBefore) return { outcome: 'held' };
  if (r.whoMayMessage === 'nobody') return { outcome: 'refused', reason: 'messages.errors.nobody' };
  if (r.whoMayMessage === 'facilitators' && !actsAsFacilitator(a))
    return { outcome: 'refused', reason: 'messages.errors.facilitatorsOnly' };
  if (r.known) return { outcome: 'direct' };
  return { outcome: 'request' };
}

/** Where a person stands in a conversation, and where the others do. */
export interface Standing {
  mine: ConversationMemberStatus;
  others: ConversationMemberStatus[];
}

/**
 * Reading a conversation: those in it, and someone asked to join it (who sees only the request).
 * To anyone else (those who declined or left it too) it does not exist.
 */
export function assertMayRead(s: Pick<Standing, 'mine'> | null): void {
  if (!s) throw new NotFound();
  if (s.mine !== 'active' && s.mine !== 'requested') throw new NotFound();
}

/**
 * Whether the person could write in the conversation now (for showing the reply form); `inGroup`
 * is mayMessageIn for the conversation's group, asked in the page's own query (activeMemberSql).
 */
export function maySend(inGroup: boolean, s: Standing): boolean {
  if (s.mine !== 'active') return false;
  if (!inGroup) return false;
  return s.others.includes('active');
}

/**
 * Writing in a conversation: someone taking part in it, still a member in good standing of its
 * group, with someone there to read it. Until one of the others accepts, the person who asked
 * waits (and is not told if they declined).
 */
export function assertMaySend(a: GroupAccess, s: Standing): void {
  if (s.mine !== 'active') throw new NotFound();
  assertMayMessageIn(a);
  if (s.others.includes('active')) return;
  if (s.others.some((o) => o === 'requested' || o === 'declined'))
    throw new Invalid({ body: 'messages.errors.waitingForAccept' });
  throw new Forbidden('messages.errors.everyoneLeft');
}

/** Accepting or declining: only someone asked to join, while they are asked. */
export function assertMayAnswerRequest(s: Pick<Standing, 'mine'> | null): void {
  if (!s || s.mine !== 'requested') throw new NotFound();
}

/** Leaving: only someone taking part in it. */
export function assertMayLeave(s: Pick<Standing, 'mine'> | null): void {
  if (!s || s.mine !== 'active') throw new NotFound();
}

/** Reporting: someone taking part in it, or asked to (a first message can be the harm). */
export function assertMayReport(s: Pick<Standing, 'mine'> | null): void {
  assertMayRead(s);
}
