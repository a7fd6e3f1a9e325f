import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { sendAfterCommit, type EventSink } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { wallClockToUtc } from '../../platform/text/zoned-time.js';
import { recordAudit, type Actor, type GroupAccess } from '../groups/index.js';
import { cancelInput, meetingFields, moveInput, type MeetingFields } from './input.js';
import { answeredBy, mailMeetingNews, tellInApp, type MeetingEffects, type MeetingNews } from './news.js';
import { makeOccurrences, rescheduleOccurrences } from './occurrence-rows.js';
import { startsBetween, horizonOf } from './occurrences.js';
import { accessMeetingsOf, accessOccurrence, assertCanScheduleMeetings, type OccurrenceAccess } from './policy.js';
import { fillPlacesAhead, lockOccurrence } from './rsvp.js';
import { meetingOccurrences, meetings, type Meeting } from './schema.js';

/*
 * Scheduling meetings and changing them: one function for each change, each in one transaction,
 * each telling the members who answered what changed (in the app in the transaction, by email
 * once it is committed).
 */

// Scheduling -------------------------------------------------------------------------------------

/** The group, for someone who may schedule its meetings. */
export async function accessForScheduling(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessMeetingsOf(db, actor, slug);
  assertCanScheduleMeetings(access);
  return access;
}

/** A meeting of the group, for someone who may change it. */
export async function meetingForEditing(
  db: DbOrTx,
  actor: Actor,
  slug: string,
  meetingId: number,
  lock = false,
): Promise<{ access: GroupAccess; meeting: Meeting }> {
  const access = await accessForScheduling(db, actor, slug);
  const query = db
    .select()
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.groupId, access.group.id)));
  const [meeting] = lock ? await query.for('update') : await query;
  if (!meeting) throw new NotFound();
  return { access, meeting };
}

/** A meeting that would start in the past is refused: nobody could come. */
function assertFuture(fields: MeetingFields, now: Date): void {
  if (fields.startsAt.getTime() <= now.getTime()) throw new Invalid({ date: 'meetings.errors.past' });
}

/**
 * A new meeting, for the group's webhooks (src/features/webhooks), once the transaction that made
 * it has committed: scheduling one here, or from a "find a time" poll (src/features/polls).
 */
export async function announceNewMeeting(events: EventSink | undefined, meetingId: number): Promise<void> {
  await sendAfterCommit(events, { type: 'meeting.scheduled', meetingId });
}

/** Schedules a meeting and makes its dates for the months ahead; returns it with its first occurrence's id. */
export async function scheduleMeeting(
  db: Db,
  actor: Viewer,
  slug: string,
  input: unknown,
  /**
   * For the group's webhooks; absent when a caller's own transaction holds this one (a poll, which
   * announces the meeting itself once that transaction commits).
   */
  events?: EventSink,
): Promise<{ meeting: Meeting; firstOccurrenceId: number }> {
  const access = await accessForScheduling(db, actor, slug);
  const fields = meetingFields(input);
  const now = new Date();
  assertFuture(fields, now);
  const scheduled = await db.transaction(async (tx) => {
    const [meeting] = await tx
      .insert(meetings)
      .values({ ...fields, groupId: access.group.id, createdBy: actor.id })
      .returning();
    await makeOccurrences(tx, meeting!, now);
    const [first] = await tx
      .select({ id: meetingOccurrences.id })
      .from(meetingOccurrences)
      .where(eq(meetingOccurrences.meetingId, meeting!.id))
      .orderBy(meetingOccurrences.startsAt)
      .limit(1);
    return { meeting: meeting!, firstOccurrenceId: first!.id };
  });
  await announceNewMeeting(events, scheduled.meeting.id);
  return scheduled;
}

const scheduleChanged = (a: MeetingFields | Meeting, b: MeetingFields | Meeting) =>
  a.startsAt.getTime() !== b.startsAt.getTime() ||
  a.timeZone !== b.timeZone ||
  a.rrule !== b.rrule ||
  a.durationMinutes !== b.durationMinutes;

const placeChanged = (a: MeetingFields | Meeting, b: MeetingFields | Meeting) =>
  a.kind !== b.kind || a.address !== b.address || a.dialIn !== b.dialIn || a.dialInPin !== b.dialInPin;

/**
 * Changes a meeting. A new time, duration, zone or rule matches the dates still to come with the
 * new schedule (see rescheduleOccurrences): those who answered a date that moved are told, and a
 * date that is gone is cancelled and its people told. A new place tells everyone who answered a
 * date still to come. More places (or no limit) moves people up from the waitlist.
 */
export async function editMeeting(
  db: Db,
  effects: MeetingEffects,
  actor: Viewer,
  slug: string,
  meetingId: number,
  input: unknown,
): Promise<Meeting> {
  const fields = meetingFields(input);
  const now = new Date();
  const { meeting, news } = await db.transaction(async (tx) => {
    const { meeting: before } = await meetingForEditing(tx, actor, slug, meetingId, true);
    if (before.cancelledAt) throw new Invalid({ '': 'meetings.errors.seriesCancelled' });
    const timeChanged = scheduleChanged(before, fields);
    if (timeChanged && startsBetween(fields, now, horizonOf(fields.startsAt, now), 1).length === 0)
      throw new Invalid({ date: fields.rrule === null ? 'meetings.errors.past' : 'meetings.errors.rruleNoFuture' });
    const [meeting] = await tx
      .update(meetings)
      .set({ ...fields, updatedAt: now })
      .where(eq(meetings.id, before.id))
      .returning();
    const news: MeetingNews[] = [];
    if (timeChanged) {
      const { moved, dropped } = await rescheduleOccurrences(tx, before, meeting!, now);
      news.push(...(await answeredBy(tx, moved, 'meeting_changed', now)));
      news.push(...(await answeredBy(tx, dropped, 'meeting_cancelled', now)));
    }
    if (placeChanged(before, fields)) {
      const told = new Set(news.filter((n) => n.kind === 'meeting_changed').map((n) => n.userId));
      const ahead = await tx
        .select({ id: meetingOccurrences.id })
        .from(meetingOccurrences)
        .where(
          and(
            eq(meetingOccurrences.meetingId, before.id),
            gt(meetingOccurrences.startsAt, now),
            isNull(meetingOccurrences.cancelledAt),
          ),
        );
      const placeNews = await answeredBy(
        tx,
        ahead.map((o) => o.id),
        'meeting_changed',
        now,
      );
      news.push(...placeNews.filter((n) => !told.has(n.userId)));
    }
    const grew =
      meeting!.capacity === null
        ? before.capacity !== null
        : before.capacity !== null && meeting!.capacity > before.capacity;
    if (grew) news.push(...(await fillPlacesAhead(tx, meeting!, now)));
    await tellInApp(tx, news);
    return { meeting: meeting!, news };
  });
  await mailMeetingNews(db, effects, news);
  return meeting;
}

/** Cancels a whole series: every date still to come, and tells each person who answered one, once. */
export async function cancelMeeting(
  db: Db,
  effects: MeetingEffects,
  actor: Viewer,
  slug: string,
  meetingId: number,
  input: unknown,
): Promise<{ access: GroupAccess; meeting: Meeting }> {
  const { note } = parseInput(cancelInput, input);
  const now = new Date();
  const { result, news } = await db.transaction(async (tx) => {
    const { access, meeting } = await meetingForEditing(tx, actor, slug, meetingId, true);
    if (meeting.cancelledAt) throw new Invalid({ '': 'meetings.errors.seriesCancelled' });
    await tx.update(meetings).set({ cancelledAt: now, updatedAt: now }).where(eq(meetings.id, meeting.id));
    const cancelled = await tx
      .update(meetingOccurrences)
      .set({ cancelledAt: now, cancelNote: note })
      .where(
        and(
          eq(meetingOccurrences.meetingId, meeting.id),
          gt(meetingOccurrences.startsAt, now),
          isNull(meetingOccurrences.cancelledAt),
        ),
      )
      .returning({ id: meetingOccurrences.id });
    const news = await answeredBy(
      tx,
      cancelled.map((o) => o.id),
      'meeting_cancelled',
      now,
      note,
    );
    await tellInApp(tx, news);
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor.id,
      action: 'cancel_meeting',
      reason: note ? `${meeting.title}: ${note}` : meeting.title,
    });
    return { result: { access, meeting: { ...meeting, cancelledAt: now } }, news };
  });
  await mailMeetingNews(db, effects, news);
  return result;
}

/** An occurrence, for someone who may change it: locked, and still to come. */
async function occurrenceForChanging(tx: DbOrTx, actor: Viewer, occurrenceId: number, now: Date) {
  await lockOccurrence(tx, occurrenceId);
  const found = await accessOccurrence(tx, actor, occurrenceId);
  assertCanScheduleMeetings(found.access);
  if (found.meeting.cancelledAt || found.occurrence.cancelledAt) throw new Invalid({ '': 'meetings.errors.cancelled' });
  if (found.occurrence.startsAt.getTime() <= now.getTime()) throw new Invalid({ '': 'meetings.errors.started' });
  return found;
}

/** Cancels one date of a meeting, with a note for those who answered it, who are told. */
export async function cancelOccurrence(
  db: Db,
  effects: MeetingEffects,
  actor: Viewer,
  occurrenceId: number,
  input: unknown,
): Promise<OccurrenceAccess> {
  const { note } = parseInput(cancelInput, input);
  const now = new Date();
  const { found, news } = await db.transaction(async (tx) => {
    const found = await occurrenceForChanging(tx, actor, occurrenceId, now);
    await tx
      .update(meetingOccurrences)
      .set({ cancelledAt: now, cancelNote: note })
      .where(eq(meetingOccurrences.id, occurrenceId));
    const news = await answeredBy(tx, [occurrenceId], 'meeting_cancelled', now, note);
    await tellInApp(tx, news);
    await recordAudit(tx, {
      groupId: found.access.group.id,
      actorId: actor.id,
      action: 'cancel_meeting_date',
      reason: note ? `${found.meeting.title}: ${note}` : found.meeting.title,
    });
    return { found, news };
  });
  await mailMeetingNews(db, effects, news);
  return found;
}

/**
 * Moves one date of a meeting to another time (an exception: the rule's date stays its
 * original_starts_at, so the calendar knows which date it replaces); those who answered are told.
 */
export async function moveOccurrence(
  db: Db,
  effects: MeetingEffects,
  actor: Viewer,
  occurrenceId: number,
  input: unknown,
): Promise<OccurrenceAccess> {
  const data = parseInput(moveInput, input);
  const startsAt = wallClockToUtc(data.date, data.time, data.timeZone);
  if (!startsAt) throw new Invalid({ date: 'meetings.errors.date' });
  const now = new Date();
  if (startsAt.getTime() <= now.getTime()) throw new Invalid({ date: 'meetings.errors.past' });
  const { found, news } = await db.transaction(async (tx) => {
    const found = await occurrenceForChanging(tx, actor, occurrenceId, now);
    const endsAt = new Date(startsAt.getTime() + found.meeting.durationMinutes * 60_000);
    const [occurrence] = await tx
      .update(meetingOccurrences)
      .set({ startsAt, endsAt })
      .where(eq(meetingOccurrences.id, occurrenceId))
      .returning();
    // Calendar feeds number each event's versions from the meeting's last change (SEQUENCE):
    // without this, a calendar app would keep the old time of a moved date.
    await tx.update(meetings).set({ updatedAt: now }).where(eq(meetings.id, found.meeting.id));
    const news =
      found.occurrence.startsAt.getTime() === startsAt.getTime()
        ? []
        : await answeredBy(tx, [occurrenceId], 'meeting_changed', now);
    await tellInApp(tx, news);
    await recordAudit(tx, {
      groupId: found.access.group.id,
      actorId: actor.id,
      action: 'move_meeting_date',
      reason: found.meeting.title,
    });
    return { found: { ...found, occurrence: occurrence! }, news };
  });
  await mailMeetingNews(db, effects, news);
  return found;
}
