import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import {
  accessGroup,
  accessGroupById,
  assertCanModerate,
  assertCanReadDiscussions,
  canModerate,
  canReadDiscussions,
  isActiveMember,
  isLapsed,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { meetingOccurrences, meetings, type Meeting, type MeetingOccurrence } from './schema.js';

/**
 * Who may do what with meetings. Everything that reads or writes a meeting comes through here:
 * a meeting is seen by those who may read the group's discussions, and scheduled by its owners,
 * facilitators and moderators (canModerate: facilitators with two-step verification).
 */

/** A group's schedule: the group, for someone who may read its discussions. */
export async function accessMeetingsOf(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  assertCanReadDiscussions(access);
  return access;
}

/** Owners, moderators and facilitators (and the admins above them) schedule and change meetings. */
export function canScheduleMeetings(access: GroupAccess): boolean {
  // A function rather than an alias: the groups feature may not be loaded yet when this module is.
  return canModerate(access);
}

export function assertCanScheduleMeetings(access: GroupAccess): void {
  assertCanModerate(access);
}

/**
 * One meeting's page is for those who may read the group's discussions; to anyone else it does
 * not exist (the same answer as for one that never did), as a discussion does not.
 */
export function assertCanSeeOccurrences(access: GroupAccess): void {
  if (!canReadDiscussions(access)) throw new NotFound();
}

/**
 * Saying whether one is coming: members in good standing. The group's leaders need no answer to
 * run a meeting (one who is a member may still give one, and then takes a place like anyone).
 */
export function canRsvp(access: GroupAccess): boolean {
  return isActiveMember(access);
}

export function assertCanRsvp(access: GroupAccess): void {
  if (!access.actor) throw new Forbidden('groups.errors.logInFirst');
  if (access.banned) throw new Forbidden('groups.errors.banned');
  if (!access.membership) throw new Forbidden('meetings.errors.joinToAnswer');
  if (isLapsed(access)) throw new Forbidden('groups.errors.lapsed');
  if (!canRsvp(access)) throw new Forbidden('meetings.errors.joinToAnswer');
}

/**
 * A phone meeting's number and PIN: members in good standing and the group's leaders, never a
 * visitor of a public group (nor a public calendar feed), so that a stranger cannot dial in.
 */
export function canSeeDialIn(access: GroupAccess): boolean {
  return isActiveMember(access) || canModerate(access);
}

/** Who is coming, by their names in the group: the leaders who run the meeting. Members see counts. */
export function canSeeAttendees(access: GroupAccess): boolean {
  return canModerate(access);
}

export interface OccurrenceAccess {
  access: GroupAccess;
  meeting: Meeting;
  occurrence: MeetingOccurrence;
}

/**
 * One occurrence of a meeting, with its meeting and the person's standing in its group; NotFound
 * for anyone who may not read the group's discussions (the same answer as for one that does not exist).
 * Two queries, whatever the page.
 */
export async function accessOccurrence(db: DbOrTx, actor: Actor, occurrenceId: number): Promise<OccurrenceAccess> {
  if (!Number.isSafeInteger(occurrenceId) || occurrenceId <= 0 || occurrenceId > 2_147_483_647) throw new NotFound();
  const access = await accessGroupById(
    db,
    actor,
    sql`(select o.group_id from meeting_occurrences o where o.id = ${occurrenceId})`,
  );
  assertCanSeeOccurrences(access);
  const [row] = await db
    .select({ meeting: meetings, occurrence: meetingOccurrences })
    .from(meetingOccurrences)
    .innerJoin(meetings, eq(meetings.id, meetingOccurrences.meetingId))
    .where(eq(meetingOccurrences.id, occurrenceId));
  if (!row) throw new NotFound();
  return { access, ...row };
}

/** An online meeting's live room opens this long before it starts… */
export const LIVE_ROOM_OPENS_BEFORE_MS = 15 * 60_000;
/** …and closes this long after its planned end, unless a facilitator ends it first. */
export const LIVE_ROOM_CLOSES_AFTER_MS = 60 * 60_000;

export type LiveRoomState = 'notOnline' | 'cancelled' | 'notYetOpen' | 'open' | 'ended';

/** Whether an occurrence's live room takes messages now. */
export function liveRoomState(meeting: Meeting, occurrence: MeetingOccurrence, now = new Date()): LiveRoomState {
  if (meeting.kind !== 'online') return 'notOnline';
  if (occurrence.cancelledAt || meeting.cancelledAt) return 'cancelled';
  if (occurrence.liveEndedAt) return 'ended';
  if (now.getTime() < occurrence.startsAt.getTime() - LIVE_ROOM_OPENS_BEFORE_MS) return 'notYetOpen';
  if (now.getTime() > occurrence.endsAt.getTime() + LIVE_ROOM_CLOSES_AFTER_MS) return 'ended';
  return 'open';
}
