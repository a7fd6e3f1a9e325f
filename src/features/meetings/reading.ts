import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { accessGroupById, memberNameSql, type Actor, type GroupAccess } from '../groups/index.js';
import { accessMeetingsOf, assertCanSeeOccurrences, canSeeAttendees, canSeeDialIn } from './policy.js';
import {
  meetingOccurrences,
  meetings,
  type Meeting,
  type MeetingKind,
  type MeetingOccurrence,
  type RsvpStatus,
} from './schema.js';

/*
 * What the meetings pages show: a group's dates (to come, or past), and one date with its
 * answers. Each is one query beside the viewer's standing in the group.
 */

export interface OccurrenceListItem {
  id: number;
  meetingId: number;
  title: string;
  kind: MeetingKind;
  /** The meeting's own zone, shown beside the viewer's when they differ. */
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  cancelled: boolean;
  cancelNote: string | null;
  capacity: number | null;
  waitlist: boolean;
  repeats: boolean;
  going: number;
  /** The viewer's answer, or null. */
  mine: RsvpStatus | null;
}

/** Dates on one page at most: six months of a weekly meeting or two. */
const LISTED = 60;

/**
 * A group's dates: those to come (and under way), soonest first, leaving out the series its
 * leaders cancelled; or the past ones, latest first.
 */
export async function listOccurrences(
  db: Db,
  actor: Actor,
  slug: string,
  when: 'upcoming' | 'past',
  now = new Date(),
): Promise<{ access: GroupAccess; items: OccurrenceListItem[] }> {
  const access = await accessMeetingsOf(db, actor, slug);
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = (await db.execute(sql`
    select o.id, o.meeting_id as "meetingId", m.title, m.kind, m.time_zone as "timeZone",
      o.starts_at as "startsAt", o.ends_at as "endsAt",
      (o.cancelled_at is not null or (m.cancelled_at is not null and m.cancelled_at < o.starts_at)) as cancelled,
      o.cancel_note as "cancelNote", m.capacity, m.waitlist, m.rrule is not null as repeats,
      (select count(*)::int from meeting_rsvps r where r.occurrence_id = o.id and r.status = 'going') as going,
      (select r.status from meeting_rsvps r where r.occurrence_id = o.id and r.user_id = ${actor?.id ?? -1}) as mine
    from meeting_occurrences o join meetings m on m.id = o.meeting_id
    where o.group_id = ${access.group.id}
      and ${when === 'upcoming' ? sql`o.ends_at > ${at} and m.cancelled_at is null` : sql`o.ends_at <= ${at}`}
    order by ${when === 'upcoming' ? sql`o.starts_at, o.id` : sql`o.starts_at desc, o.id desc`}
    limit ${LISTED}`)) as unknown as {
    rows: (Omit<OccurrenceListItem, 'id' | 'meetingId' | 'startsAt' | 'endsAt' | 'going'> & {
      id: number | string;
      meetingId: number | string;
      startsAt: string | Date;
      endsAt: string | Date;
      going: number | string;
    })[];
  };
  return {
    access,
    items: result.rows.map((r) => ({
      ...r,
      id: Number(r.id),
      meetingId: Number(r.meetingId),
      startsAt: new Date(r.startsAt),
      endsAt: new Date(r.endsAt),
      going: Number(r.going),
    })),
  };
}

export interface Attendee {
  name: string;
  status: Exclude<RsvpStatus, 'not_going'>;
}

export interface OccurrencePage {
  access: GroupAccess;
  /** The meeting; its dial-in number and PIN are blanked for anyone who may not have them. */
  meeting: Meeting;
  occurrence: MeetingOccurrence;
  going: number;
  maybe: number;
  waitlisted: number;
  mine: RsvpStatus | null;
  /** The viewer's place in the waitlist (1 is next), when they are on it. */
  position: number | null;
  /** Who answered, by their names in the group, in the order they answered: for the leaders only. */
  attendees: Attendee[] | null;
  /** The meeting's next few dates after this one. */
  others: { id: number; startsAt: Date; cancelled: boolean }[];
}

/** One date of a meeting, for its page: the answers counted, the viewer's own, and names for leaders. */
export async function readOccurrence(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  now = new Date(),
): Promise<OccurrencePage> {
  const access = await accessGroupById(
    db,
    actor,
    sql`(select o.group_id from meeting_occurrences o where o.id = ${occurrenceId})`,
  );
  assertCanSeeOccurrences(access);
  const viewerId = actor?.id ?? -1;
  const named = canSeeAttendees(access);
  const count = (status: RsvpStatus) =>
    sql<number>`(select count(*)::int from meeting_rsvps r where r.occurrence_id = meeting_occurrences.id and r.status = ${status})`;
  const [row] = await db
    .select({
      meeting: meetings,
      occurrence: meetingOccurrences,
      going: count('going'),
      maybe: count('maybe'),
      waitlisted: count('waitlisted'),
      mine: sql<RsvpStatus | null>`(select r.status from meeting_rsvps r
        where r.occurrence_id = meeting_occurrences.id and r.user_id = ${viewerId})`,
      position: sql<number | null>`(select count(*)::int from meeting_rsvps w, meeting_rsvps me
        where me.occurrence_id = meeting_occurrences.id and me.user_id = ${viewerId} and me.status = 'waitlisted'
          and w.occurrence_id = me.occurrence_id and w.status = 'waitlisted'
          and (w.responded_at, w.user_id) <= (me.responded_at, me.user_id))`,
      attendees: named
        ? sql<Attendee[] | null>`(select json_agg(json_build_object('name', ${memberNameSql(
            sql.raw('r.group_id'),
            sql.raw('r.user_id'),
          )}, 'status', r.status) order by r.responded_at, r.user_id)
          from meeting_rsvps r where r.occurrence_id = meeting_occurrences.id and r.status <> 'not_going')`
        : sql<null>`null`,
      others: sql<
        { id: number; startsAt: string; cancelled: boolean }[] | null
      >`(select json_agg(x order by x."startsAt")
        from (select n.id, n.starts_at as "startsAt", n.cancelled_at is not null as cancelled from meeting_occurrences n
          where n.meeting_id = meeting_occurrences.meeting_id and n.id <> meeting_occurrences.id
            and n.starts_at > meeting_occurrences.starts_at and n.ends_at > ${now.toISOString()}::timestamptz
          order by n.starts_at limit 4) x)`,
    })
    .from(meetingOccurrences)
    .innerJoin(meetings, eq(meetings.id, meetingOccurrences.meetingId))
    .where(eq(meetingOccurrences.id, occurrenceId));
  if (!row) throw new NotFound();
  const meeting = canSeeDialIn(access) ? row.meeting : { ...row.meeting, dialIn: null, dialInPin: null };
  return {
    access,
    meeting,
    occurrence: row.occurrence,
    going: Number(row.going),
    maybe: Number(row.maybe),
    waitlisted: Number(row.waitlisted),
    mine: row.mine,
    position: row.mine === 'waitlisted' && row.position !== null ? Number(row.position) : null,
    attendees: named ? (row.attendees ?? []) : null,
    others: (row.others ?? []).map((o) => ({
      id: Number(o.id),
      startsAt: new Date(o.startsAt),
      cancelled: o.cancelled,
    })),
  };
}

/** Places left at an occurrence, or null when it has no limit. */
export function placesLeft(meeting: Pick<Meeting, 'capacity'>, going: number): number | null {
  return meeting.capacity === null ? null : Math.max(meeting.capacity - going, 0);
}
