/**
 * A day without a reply. When someone's first discussion in a group has had no reply from another
 * member for a day, they are told, once, that it is there for members to see (the forum keeps no
 * record of who read what, so we never claim it was read), with the group's next meeting when the
 * directory lists weekly meetings for it.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { loadGroupProfile } from '../directory/index.js';
import { notify } from '../notifications/index.js';
import { waitingSql } from './waiting.js';

const HOUR_MS = 3600_000;
/** Told a day on… */
const AFTER_MS = 24 * HOUR_MS;
/** …but not about a discussion older than a week (after a pause of the worker, say): too late to help. */
const UNTIL_MS = 7 * 24 * HOUR_MS;

/** A weekly meeting, as the directory keeps it, with its next start: kept in the notification. */
export const seenMeeting = z.object({
  weekday: z.number().int().min(0).max(6),
  startMinute: z.number().int().min(0).max(1439),
  durationMinutes: z.number().int().positive(),
  timeZone: z.string().min(1).max(64),
  place: z.string().max(40),
  next: z.string().datetime(),
});
export type SeenMeeting = z.infer<typeof seenMeeting>;

type Meeting = Omit<SeenMeeting, 'next'>;

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date and weekday in a zone at a moment. */
function wallDate(timeZone: string, at: Date): { year: number; month: number; day: number; weekday: number } {
  let f = wallFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
    });
    wallFormats.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? 'Sun'),
  };
}

/** Minutes a zone is ahead of UTC at a moment. */
function offsetMinutes(timeZone: string, at: Date): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

/** The moment a wall-clock time on a date in a zone happens (right on both sides of a clock change). */
function zonedMoment(timeZone: string, year: number, month: number, day: number, minute: number): Date {
  const asUtc = Date.UTC(year, month - 1, day) + minute * 60_000;
  const guess = asUtc - offsetMinutes(timeZone, new Date(asUtc)) * 60_000;
  return new Date(asUtc - offsetMinutes(timeZone, new Date(guess)) * 60_000);
}

/** When a weekly meeting next starts after `now`. */
export function nextStart(meeting: Meeting, now: Date): Date | null {
  try {
    for (let k = 0; k <= 7; k++) {
      const date = wallDate(meeting.timeZone, new Date(now.getTime() + k * 24 * HOUR_MS));
      if (date.weekday !== meeting.weekday) continue;
      const start = zonedMoment(meeting.timeZone, date.year, date.month, date.day, meeting.startMinute);
      if (start.getTime() > now.getTime()) return start;
    }
  } catch {
    // A zone Intl does not know: no meeting time rather than no notice.
  }
  return null;
}

/** The group's next weekly meeting after `now`, or null when the directory lists none. */
export function nextMeeting(meetings: readonly Meeting[], now: Date): SeenMeeting | null {
  let best: SeenMeeting | null = null;
  for (const m of meetings) {
    const next = nextStart(m, now);
    if (next && (!best || next.getTime() < new Date(best.next).getTime())) {
      best = {
        weekday: m.weekday,
        startMinute: m.startMinute,
        durationMinutes: m.durationMinutes,
        timeZone: m.timeZone,
        place: m.place,
        next: next.toISOString(),
      };
    }
  }
  return best;
}

type Row = Record<string, unknown>;

/**
 * Finds the first discussions a day without a reply at `now`, claims each (so that two workers, or
 * two runs, tell nobody twice) and tells its author, all in one transaction. Only the author's
 * first discussion in the group, and only while they are still a member there.
 */
export async function tellUnanswered(db: Db, now: Date): Promise<number> {
  const after = new Date(now.getTime() - AFTER_MS).toISOString();
  const until = new Date(now.getTime() - UNTIL_MS).toISOString();
  return db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      with due as (
        select t.id as thread_id, t.group_id, o.author_id, o.id as post_id
        from posts o join threads t on t.id = o.thread_id
        where o.created_at <= ${after}::timestamptz and o.created_at > ${until}::timestamptz
          and ${waitingSql} and o.author_id is not null
          and not exists (select 1 from unanswered_notices n where n.thread_id = t.id)
          and exists (select 1 from memberships m where m.group_id = t.group_id and m.user_id = o.author_id)
          and not exists (select 1 from bans b where b.group_id = t.group_id and b.user_id = o.author_id)
          and not exists (select 1 from threads e where e.group_id = t.group_id and e.author_id = o.author_id
            and (e.created_at, e.id) < (t.created_at, t.id))
      ),
      claimed as (
        insert into unanswered_notices (thread_id, group_id, notified_at)
        select thread_id, group_id, ${now.toISOString()}::timestamptz from due
        on conflict do nothing
        returning thread_id
      )
      select due.* from due join claimed on claimed.thread_id = due.thread_id`);
    const rows = (result as unknown as { rows: Row[] }).rows;
    // The few groups of one run, each asked once for its meetings.
    const meetings = new Map<number, SeenMeeting | null>();
    for (const groupId of new Set(rows.map((r) => Number(r.group_id)))) {
      const profile = await loadGroupProfile(tx, groupId);
      meetings.set(groupId, nextMeeting(profile?.meetings ?? [], now));
    }
    for (const r of rows) {
      const meeting = meetings.get(Number(r.group_id)) ?? null;
      await notify(tx, {
        userId: Number(r.author_id),
        kind: 'thread_seen',
        groupId: Number(r.group_id),
        threadId: Number(r.thread_id),
        postId: Number(r.post_id),
        reason: meeting ? JSON.stringify(meeting) : null,
      });
    }
    return rows.length;
  });
}

/** The meeting kept in a thread_seen notification, or null (none, or not readable). */
export function meetingOf(reason: string | null): SeenMeeting | null {
  if (!reason) return null;
  try {
    const parsed = seenMeeting.safeParse(JSON.parse(reason));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
