import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { rsvpInput } from './input.js';
import { mailMeetingNews, tellInApp, type MeetingEffects, type MeetingNews } from './news.js';
import { accessOccurrence, assertCanRsvp, type OccurrenceAccess } from './policy.js';
import { meetingOccurrences, meetingRsvps, type Meeting, type MeetingOccurrence, type RsvpStatus } from './schema.js';

/*
 * Answers and places. Every change to who is going to an occurrence locks the occurrence's row
 * first (SELECT … FOR UPDATE), so two people can never both take its last place, and a place
 * that comes free goes to the first on the waitlist (by when they answered) in the same
 * transaction, who is then told.
 */

/** Locks an occurrence's row until the transaction ends: the one door to its places. */
export async function lockOccurrence(tx: DbOrTx, occurrenceId: number): Promise<void> {
  await tx
    .select({ id: meetingOccurrences.id })
    .from(meetingOccurrences)
    .where(eq(meetingOccurrences.id, occurrenceId))
    .for('update');
}

/**
 * Moves people from the waitlist to going, first come first served, while the occurrence has
 * places (all of them when it has no limit). Call with the occurrence locked. Returns who moved.
 */
export async function fillPlaces(tx: DbOrTx, occurrenceId: number, capacity: number | null): Promise<number[]> {
  const free =
    capacity === null
      ? sql`all`
      : sql`greatest(${capacity} - (select count(*) from meeting_rsvps g
          where g.occurrence_id = ${occurrenceId} and g.status = 'going'), 0)`;
  const result = (await tx.execute(sql`
    update meeting_rsvps set status = 'going'
    where occurrence_id = ${occurrenceId} and user_id in (
      select w.user_id from meeting_rsvps w where w.occurrence_id = ${occurrenceId} and w.status = 'waitlisted'
      order by w.responded_at, w.user_id limit ${free})
    returning user_id`)) as unknown as { rows: { user_id: number | string }[] };
  return result.rows.map((r) => Number(r.user_id));
}

/**
 * Fills the places of a meeting's occurrences still to come (after its capacity grew or its
 * limit went), each locked in turn; returns the news for those who got one.
 */
export async function fillPlacesAhead(tx: DbOrTx, meeting: Meeting, now: Date): Promise<MeetingNews[]> {
  const waiting = await tx
    .selectDistinct({ id: meetingRsvps.occurrenceId })
    .from(meetingRsvps)
    .innerJoin(meetingOccurrences, eq(meetingOccurrences.id, meetingRsvps.occurrenceId))
    .where(
      and(
        eq(meetingOccurrences.meetingId, meeting.id),
        eq(meetingRsvps.status, 'waitlisted'),
        sql`${meetingOccurrences.startsAt} > ${now.toISOString()}::timestamptz`,
        sql`${meetingOccurrences.cancelledAt} is null`,
      ),
    );
  const news: MeetingNews[] = [];
  for (const { id } of waiting) {
    await lockOccurrence(tx, id);
    for (const userId of await fillPlaces(tx, id, meeting.capacity))
      news.push({ kind: 'meeting_place_offered', userId, groupId: meeting.groupId, occurrenceIds: [id] });
  }
  return news;
}

/** Answers are taken until the meeting starts, and never for a cancelled one. */
function assertTakesAnswers(meeting: Meeting, occurrence: MeetingOccurrence, now: Date): void {
  if (meeting.cancelledAt || occurrence.cancelledAt) throw new Invalid({ '': 'meetings.errors.cancelled' });
  if (occurrence.startsAt.getTime() <= now.getTime()) throw new Invalid({ '': 'meetings.errors.started' });
}

async function countGoing(tx: DbOrTx, occurrenceId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(meetingRsvps)
    .where(and(eq(meetingRsvps.occurrenceId, occurrenceId), eq(meetingRsvps.status, 'going')));
  return Number(row?.n ?? 0);
}

async function setAnswer(tx: DbOrTx, occurrence: MeetingOccurrence, userId: number, status: RsvpStatus) {
  await tx
    .insert(meetingRsvps)
    .values({ occurrenceId: occurrence.id, groupId: occurrence.groupId, userId, status })
    .onConflictDoUpdate({
      target: [meetingRsvps.occurrenceId, meetingRsvps.userId],
      set: { status, respondedAt: sql`now()` },
    });
}

/**
 * A member's answer for one occurrence: going (a place, or the waitlist when it is full, or a
 * kind refusal when the meeting keeps no waitlist), maybe or not going (which frees their place
 * for the first on the waitlist). Answering "going" again keeps one's place in the queue.
 */
export async function rsvp(
  db: Db,
  effects: MeetingEffects,
  actor: Viewer,
  occurrenceId: number,
  input: unknown,
): Promise<OccurrenceAccess & { status: RsvpStatus }> {
  const { status: answer } = parseInput(rsvpInput, input);
  const now = new Date();
  const { found, news, status } = await db.transaction(async (tx) => {
    await lockOccurrence(tx, occurrenceId);
    const found = await accessOccurrence(tx, actor, occurrenceId);
    assertCanRsvp(found.access);
    const { meeting, occurrence } = found;
    assertTakesAnswers(meeting, occurrence, now);
    const [mine] = await tx
      .select({ status: meetingRsvps.status })
      .from(meetingRsvps)
      .where(and(eq(meetingRsvps.occurrenceId, occurrence.id), eq(meetingRsvps.userId, actor.id)));
    const before = mine?.status ?? null;
    const promoted: number[] = [];
    let status: RsvpStatus = answer;
    if (answer === 'going') {
      if (before === 'going' || before === 'waitlisted') {
        status = before;
      } else {
        // Places that came free go to those already waiting before anyone new.
        promoted.push(...(await fillPlaces(tx, occurrence.id, meeting.capacity)));
        const going = await countGoing(tx, occurrence.id);
        if (meeting.capacity === null || going < meeting.capacity) status = 'going';
        else if (meeting.waitlist) status = 'waitlisted';
        else throw new Invalid({ '': 'meetings.errors.full' });
        await setAnswer(tx, occurrence, actor.id, status);
      }
    } else {
      await setAnswer(tx, occurrence, actor.id, answer);
      if (before === 'going') promoted.push(...(await fillPlaces(tx, occurrence.id, meeting.capacity)));
    }
    const news: MeetingNews[] = promoted.map((userId) => ({
      kind: 'meeting_place_offered',
      userId,
      groupId: occurrence.groupId,
      occurrenceIds: [occurrence.id],
    }));
    await tellInApp(tx, news);
    return { found, news, status };
  });
  await mailMeetingNews(db, effects, news);
  return { ...found, status };
}
