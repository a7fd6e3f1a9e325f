import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { HORIZON_DAYS, horizonOf, localDay, MAX_AHEAD, startsBetween } from './occurrences.js';
import { meetingOccurrences, meetingRsvps, meetings, type Meeting, type MeetingOccurrence } from './schema.js';

/*
 * Keeping a meeting's occurrence rows in step with its schedule: made for six months ahead when it
 * is scheduled, topped up by the worker as time passes, and matched up again when a leader
 * changes the time or the rule, so that answers follow the dates they were given for.
 */

const DAY_MS = 24 * 3600_000;

type Scheduled = Pick<Meeting, 'id' | 'groupId' | 'startsAt' | 'timeZone' | 'rrule' | 'durationMinutes'>;

/** Rows for the meeting's starts from `from` to its horizon; starts that have a row already are left as they are. */
async function insertStarts(tx: DbOrTx, meeting: Scheduled, starts: Date[]): Promise<void> {
  if (starts.length === 0) return;
  await tx
    .insert(meetingOccurrences)
    .values(
      starts.map((s) => ({
        meetingId: meeting.id,
        groupId: meeting.groupId,
        originalStartsAt: s,
        startsAt: s,
        endsAt: new Date(s.getTime() + meeting.durationMinutes * 60_000),
      })),
    )
    .onConflictDoNothing({ target: [meetingOccurrences.meetingId, meetingOccurrences.originalStartsAt] });
}

/** Makes the rows of a meeting's dates from now (or its first date) to six months ahead. */
export async function makeOccurrences(tx: DbOrTx, meeting: Scheduled, now: Date): Promise<void> {
  const from = new Date(Math.max(now.getTime(), meeting.startsAt.getTime()));
  await insertStarts(tx, meeting, startsBetween(meeting, from, horizonOf(meeting.startsAt, now), MAX_AHEAD));
}

/**
 * The worker's part: every repeating meeting whose rows end less than a day short of the
 * horizon gets the rows that are missing. Each meeting is locked while it is topped up, so an
 * edit made meanwhile is never followed by rows of its old rule. Rules that have ended (an UNTIL
 * passed, or as many rows as COUNT) are not looked at again.
 */
export async function topUpOccurrences(db: Db, now: Date): Promise<number> {
  const soon = new Date(now.getTime() + (HORIZON_DAYS - 1) * DAY_MS).toISOString();
  let after = 0;
  let done = 0;
  for (;;) {
    const due = await db
      .select({ id: meetings.id })
      .from(meetings)
      .where(
        and(
          gt(meetings.id, after),
          sql`${meetings.rrule} is not null and ${meetings.cancelledAt} is null`,
          sql`coalesce((select max(o.original_starts_at) from meeting_occurrences o where o.meeting_id = ${meetings.id}),
            ${meetings.startsAt}) < greatest(${soon}::timestamptz, ${meetings.startsAt} + interval '${sql.raw(String(HORIZON_DAYS - 1))} days')`,
          sql`not (${meetings.rrule} ~ 'UNTIL=\\d{8}'
            and to_date(substring(${meetings.rrule} from 'UNTIL=(\\d{8})'), 'YYYYMMDD') < ${now.toISOString()}::timestamptz - interval '1 day')`,
          sql`not (${meetings.rrule} ~ 'COUNT=\\d+' and (select count(*) from meeting_occurrences c
            where c.meeting_id = ${meetings.id}) >= substring(${meetings.rrule} from 'COUNT=(\\d+)')::int)`,
        ),
      )
      .orderBy(asc(meetings.id))
      .limit(100);
    for (const { id } of due) {
      await db.transaction(async (tx) => {
        const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, id)).for('update');
        if (meeting && meeting.rrule !== null && meeting.cancelledAt === null) await makeOccurrences(tx, meeting, now);
      });
      done += 1;
    }
    if (due.length < 100) return done;
    after = due[due.length - 1]!.id;
  }
}

export interface Rescheduled {
  /** Occurrences still on, whose time changed. */
  moved: number[];
  /** Occurrences the new schedule no longer has, cancelled because people had answered them. */
  dropped: number[];
}

/**
 * After a leader changed a meeting's time, duration, zone or rule (the meeting row locked): its
 * occurrences still to come are matched with the new schedule's dates, so that each keeps its
 * answers. An occurrence pairs with the new date at the same original start, else with one on
 * the same day on the meeting's clock, else with the nearest within three days ("Tuesdays" that
 * became "Wednesdays"). A paired occurrence takes the new time (one moved on its own keeps its
 * own, when its date is unchanged); an unpaired one that people answered is cancelled, and
 * others are deleted; new dates without a pair get rows.
 */
export async function rescheduleOccurrences(
  tx: DbOrTx,
  before: Pick<Meeting, 'timeZone'>,
  after: Scheduled,
  now: Date,
): Promise<Rescheduled> {
  const existing = await tx
    .select()
    .from(meetingOccurrences)
    .where(and(eq(meetingOccurrences.meetingId, after.id), gt(meetingOccurrences.startsAt, now)))
    .orderBy(asc(meetingOccurrences.originalStartsAt));
  // A date whose occurrence was moved on its own to a time now past keeps its row: it is not made again.
  const held = await tx
    .select({ at: meetingOccurrences.originalStartsAt })
    .from(meetingOccurrences)
    .where(
      and(
        eq(meetingOccurrences.meetingId, after.id),
        lte(meetingOccurrences.startsAt, now),
        gt(meetingOccurrences.originalStartsAt, now),
      ),
    );
  const taken = new Set(held.map((h) => h.at.getTime()));
  const starts = startsBetween(after, now, horizonOf(after.startsAt, now), MAX_AHEAD).filter(
    (s) => s.getTime() > now.getTime() && !taken.has(s.getTime()),
  );
  const pairs = new Map<number, { occurrence: MeetingOccurrence; start: Date; exact: boolean }>();
  const unpairedStarts = new Set(starts);
  const pair = (occurrence: MeetingOccurrence, start: Date, exact: boolean) => {
    pairs.set(occurrence.id, { occurrence, start, exact });
    unpairedStarts.delete(start);
  };
  const free = () => existing.filter((o) => !pairs.has(o.id));
  for (const start of starts) {
    const o = free().find((x) => x.originalStartsAt.getTime() === start.getTime());
    if (o) pair(o, start, true);
  }
  for (const start of [...unpairedStarts]) {
    const day = localDay(start, after.timeZone);
    const o = free().find((x) => localDay(x.originalStartsAt, before.timeZone) === day);
    if (o) pair(o, start, false);
  }
  for (const start of [...unpairedStarts]) {
    let best: MeetingOccurrence | undefined;
    for (const o of free()) {
      const gap = Math.abs(o.originalStartsAt.getTime() - start.getTime());
      if (gap <= 3 * DAY_MS && (!best || gap < Math.abs(best.originalStartsAt.getTime() - start.getTime()))) best = o;
    }
    if (best) pair(best, start, false);
  }

  const moved: number[] = [];
  for (const { occurrence: o, start, exact } of pairs.values()) {
    // A date moved on its own stays where it was put, while its date stays in the schedule.
    const startsAt = exact ? o.startsAt : start;
    const endsAt = new Date(startsAt.getTime() + after.durationMinutes * 60_000);
    if (
      o.originalStartsAt.getTime() === start.getTime() &&
      o.startsAt.getTime() === startsAt.getTime() &&
      o.endsAt.getTime() === endsAt.getTime()
    )
      continue;
    await tx
      .update(meetingOccurrences)
      .set({ originalStartsAt: start, startsAt, endsAt })
      .where(eq(meetingOccurrences.id, o.id));
    if (o.cancelledAt === null && o.startsAt.getTime() !== startsAt.getTime()) moved.push(o.id);
  }

  const leftOver = free();
  const answered = new Set<number>();
  if (leftOver.length > 0) {
    const rows = await tx
      .selectDistinct({ id: meetingRsvps.occurrenceId })
      .from(meetingRsvps)
      .where(
        and(
          inArray(
            meetingRsvps.occurrenceId,
            leftOver.map((o) => o.id),
          ),
          inArray(meetingRsvps.status, ['going', 'maybe', 'waitlisted']),
        ),
      );
    for (const r of rows) answered.add(r.id);
  }
  const dropped = leftOver.filter((o) => o.cancelledAt === null && answered.has(o.id)).map((o) => o.id);
  const gone = leftOver.filter((o) => !dropped.includes(o.id)).map((o) => o.id);
  if (dropped.length > 0)
    await tx.update(meetingOccurrences).set({ cancelledAt: now }).where(inArray(meetingOccurrences.id, dropped));
  if (gone.length > 0) await tx.delete(meetingOccurrences).where(inArray(meetingOccurrences.id, gone));
  await insertStarts(
    tx,
    after,
    [...unpairedStarts].sort((a, b) => a.getTime() - b.getTime()),
  );
  return { moved, dropped };
}
