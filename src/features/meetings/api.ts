import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import {
  apiViewer,
  assertTokenReaches,
  decodeCursor,
  pageOf,
  pageQuery,
  toPage,
  type ApiRoutes,
} from '../../platform/http/api.js';
import { idParam } from '../../platform/http/params.js';
import { accessGroupById } from '../groups/index.js';
import type { MeetingEffects } from './news.js';
import { accessMeetingsOf, canSeeDialIn, liveRoomState } from './policy.js';
import { placesLeft, readOccurrence, type OccurrencePage } from './reading.js';
import { rsvp } from './rsvp.js';
import type { Meeting, MeetingKind, MeetingOccurrence, RsvpStatus } from './schema.js';

/*
 * Meetings through /api/v1: a group's dates, one date, and answering. Each answer holds what the
 * meeting pages show the same person (a phone meeting's number only to members in good standing
 * and leaders; who is coming only to leaders), read through the same policy and reading functions.
 */

const kinds = ['in_person', 'phone', 'online'] as const satisfies readonly MeetingKind[];
const statuses = ['going', 'maybe', 'not_going', 'waitlisted'] as const satisfies readonly RsvpStatus[];
const at = z.iso.datetime().describe('UTC, ISO 8601.');

const place = z
  .object({
    address: z.string().nullable().describe('In person: where.'),
    directions: z.string().nullable(),
    accessibilityNotes: z.string().nullable(),
    dialIn: z
      .string()
      .nullable()
      .describe('By phone: the number, for members in good standing and leaders only; null for anyone else.'),
    dialInPin: z.string().nullable(),
    liveRoom: z
      .object({
        url: z.string().describe("The live room's page."),
        state: z.enum(['notOnline', 'cancelled', 'notYetOpen', 'open', 'ended']),
      })
      .nullable()
      .describe('Online: the live room on this site.'),
  })
  .describe('Where the meeting happens, as its page shows it to the caller.');

const occurrenceItem = z
  .object({
    id: z.number().int().describe('The id of this date (an occurrence) of the meeting.'),
    meetingId: z.number().int(),
    title: z.string(),
    kind: z.enum(kinds),
    timeZone: z.string().describe("The meeting's own IANA zone, in which its times and repeats are read."),
    startsAt: at,
    endsAt: at,
    cancelled: z.boolean(),
    cancelNote: z.string().nullable(),
    repeats: z.boolean(),
    capacity: z.number().int().nullable().describe('Places at each date; null for no limit.'),
    placesLeft: z.number().int().nullable(),
    waitlist: z.boolean().describe('When full, "going" puts the person on a waitlist.'),
    going: z.number().int(),
    myAnswer: z.enum(statuses).nullable().describe("The caller's own answer, or null."),
    place,
    url: z.string().describe('Its page on this site.'),
  })
  .meta({ id: 'MeetingDate' });

const occurrenceDetail = occurrenceItem
  .extend({
    description: z.string().describe('Markdown, as the leaders wrote it.'),
    maybe: z.number().int(),
    waitlisted: z.number().int(),
    waitlistPosition: z.number().int().nullable().describe("The caller's place on the waitlist (1 is next)."),
    attendees: z
      .array(z.object({ name: z.string(), status: z.enum(['going', 'maybe', 'waitlisted']) }))
      .nullable()
      .describe("Who answered, by their names in the group: for the group's leaders only, null for anyone else."),
  })
  .meta({ id: 'MeetingDateDetail' });

type PlaceFields = Pick<
  Meeting,
  'kind' | 'address' | 'directions' | 'accessibilityNotes' | 'dialIn' | 'dialInPin' | 'cancelledAt'
>;

function placeOf(
  m: PlaceFields,
  o: { id: number; startsAt: Date; endsAt: Date; cancelledAt: Date | null; liveEndedAt: Date | null },
) {
  return {
    address: m.kind === 'in_person' ? m.address : null,
    directions: m.kind === 'in_person' ? m.directions : null,
    accessibilityNotes: m.kind === 'in_person' ? m.accessibilityNotes : null,
    dialIn: m.kind === 'phone' ? m.dialIn : null,
    dialInPin: m.kind === 'phone' ? m.dialInPin : null,
    liveRoom:
      m.kind === 'online'
        ? { url: `/meetings/${o.id}/room`, state: liveRoomState(m as Meeting, o as MeetingOccurrence) }
        : null,
  };
}

function detailOf(page: OccurrencePage): z.infer<typeof occurrenceDetail> {
  const { meeting, occurrence } = page;
  return {
    id: occurrence.id,
    meetingId: meeting.id,
    title: meeting.title,
    kind: meeting.kind,
    timeZone: meeting.timeZone,
    startsAt: occurrence.startsAt.toISOString(),
    endsAt: occurrence.endsAt.toISOString(),
    cancelled: occurrence.cancelledAt !== null || meeting.cancelledAt !== null,
    cancelNote: occurrence.cancelNote,
    repeats: meeting.rrule !== null,
    capacity: meeting.capacity,
    placesLeft: placesLeft(meeting, page.going),
    waitlist: meeting.waitlist,
    going: page.going,
    myAnswer: page.mine,
    // readOccurrence has already blanked the number for anyone who may not have it.
    place: placeOf(meeting, occurrence),
    url: `/meetings/${occurrence.id}`,
    description: meeting.description,
    maybe: page.maybe,
    waitlisted: page.waitlisted,
    waitlistPosition: page.position,
    attendees: page.attendees,
  };
}

interface ListRow {
  id: number | string;
  meetingId: number | string;
  title: string;
  kind: MeetingKind;
  timeZone: string;
  startsAt: string | Date;
  endsAt: string | Date;
  cancelled: boolean;
  seriesCancelledAt: string | Date | null;
  cancelledAt: string | Date | null;
  liveEndedAt: string | Date | null;
  cancelNote: string | null;
  capacity: number | null;
  waitlist: boolean;
  repeats: boolean;
  address: string | null;
  directions: string | null;
  accessibilityNotes: string | null;
  dialIn: string | null;
  dialInPin: string | null;
  going: number | string;
  mine: RsvpStatus | null;
}

const date = (v: string | Date) => new Date(v);
const dateOrNull = (v: string | Date | null) => (v === null ? null : new Date(v));

/**
 * A group's dates, one page of them, in the order of its meetings page (to come: soonest first,
 * leaving out cancelled series; past: latest first), keyed by start and id. One query.
 */
async function listDates(
  db: Db,
  groupId: number,
  viewerId: number,
  dialIn: boolean,
  when: 'upcoming' | 'past',
  after: [string, number] | null,
  limit: number,
  now = new Date(),
): Promise<ListRow[]> {
  const nowAt = sql`${now.toISOString()}::timestamptz`;
  const upcoming = when === 'upcoming';
  const key = after
    ? upcoming
      ? sql`and (o.starts_at, o.id) > (${after[0]}::timestamptz, ${after[1]})`
      : sql`and (o.starts_at, o.id) < (${after[0]}::timestamptz, ${after[1]})`
    : sql``;
  const result = (await db.execute(sql`
    select o.id, o.meeting_id as "meetingId", m.title, m.kind, m.time_zone as "timeZone",
      o.starts_at as "startsAt", o.ends_at as "endsAt",
      (o.cancelled_at is not null or (m.cancelled_at is not null and m.cancelled_at < o.starts_at)) as cancelled,
      m.cancelled_at as "seriesCancelledAt", o.cancelled_at as "cancelledAt", o.live_ended_at as "liveEndedAt",
      o.cancel_note as "cancelNote", m.capacity, m.waitlist, m.rrule is not null as repeats,
      m.address, m.directions, m.accessibility_notes as "accessibilityNotes",
      ${dialIn ? sql`m.dial_in` : sql`null::text`} as "dialIn",
      ${dialIn ? sql`m.dial_in_pin` : sql`null::text`} as "dialInPin",
      (select count(*)::int from meeting_rsvps r where r.occurrence_id = o.id and r.status = 'going') as going,
      (select r.status from meeting_rsvps r where r.occurrence_id = o.id and r.user_id = ${viewerId}) as mine
    from meeting_occurrences o join meetings m on m.id = o.meeting_id
    where o.group_id = ${groupId}
      and ${upcoming ? sql`o.ends_at > ${nowAt} and m.cancelled_at is null` : sql`o.ends_at <= ${nowAt}`}
      ${key}
    order by ${upcoming ? sql`o.starts_at, o.id` : sql`o.starts_at desc, o.id desc`}
    limit ${limit + 1}`)) as unknown as { rows: ListRow[] };
  return result.rows;
}

function itemOf(r: ListRow): z.infer<typeof occurrenceItem> {
  const id = Number(r.id);
  const going = Number(r.going);
  const startsAt = date(r.startsAt);
  const endsAt = date(r.endsAt);
  const occurrence = {
    id,
    startsAt,
    endsAt,
    cancelledAt: dateOrNull(r.cancelledAt),
    liveEndedAt: dateOrNull(r.liveEndedAt),
  };
  return {
    id,
    meetingId: Number(r.meetingId),
    title: r.title,
    kind: r.kind,
    timeZone: r.timeZone,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    cancelled: r.cancelled,
    cancelNote: r.cancelNote,
    repeats: r.repeats,
    capacity: r.capacity,
    placesLeft: placesLeft(r, going),
    waitlist: r.waitlist,
    going,
    myAnswer: r.mine,
    place: placeOf({ ...r, cancelledAt: dateOrNull(r.seriesCancelledAt) }, occurrence),
    url: `/meetings/${id}`,
  };
}

/**
 * For an organisation token, refuses a date of a group outside its organisation before anything
 * is read or changed (one query, only for such tokens); the services decide the rest.
 */
async function assertTokenReachesOccurrence(db: Db, request: FastifyRequest, occurrenceId: number): Promise<void> {
  if (request.apiCaller?.organisationId == null) return;
  const access = await accessGroupById(
    db,
    request.viewer,
    sql`(select o.group_id from meeting_occurrences o where o.id = ${occurrenceId})`,
  );
  assertTokenReaches(request, access.group);
}

const occurrenceParams = z.object({ occurrenceId: idParam });
const cursorKey = z.tuple([z.iso.datetime(), z.number().int()]);

export const meetingApiRoutes: ApiRoutes = async (api, deps) => {
  const { db } = deps;
  const effects: MeetingEffects = { mailer: deps.mailer, baseUrl: deps.baseUrl };

  api.get(
    '/groups/:slug/meetings',
    {
      schema: {
        tags: ['Meetings'],
        summary: "A group's meeting dates",
        description:
          "The dates of the group's meetings, as its meetings page lists them to the caller: those to come " +
          '(and under way) soonest first, or with `when=past` the past ones, latest first. For whoever may read ' +
          "the group's discussions. Times are UTC; `timeZone` is the meeting's own.",
        params: z.object({ slug: z.string().max(200) }),
        querystring: pageQuery.extend({ when: z.enum(['upcoming', 'past']).default('upcoming') }),
        response: { 200: pageOf(occurrenceItem) },
      },
    },
    async (request) => {
      const { cursor, limit, when } = request.query;
      const after = decodeCursor(cursor, cursorKey);
      const access = await accessMeetingsOf(db, request.viewer, request.params.slug);
      assertTokenReaches(request, access.group);
      const rows = await listDates(
        db,
        access.group.id,
        request.viewer?.id ?? -1,
        canSeeDialIn(access),
        when,
        after,
        limit,
      );
      return toPage(rows, limit, (r) => [date(r.startsAt).toISOString(), Number(r.id)], itemOf);
    },
  );

  api.get(
    '/meetings/:occurrenceId',
    {
      schema: {
        tags: ['Meetings'],
        summary: 'One date of a meeting',
        description:
          'One date (occurrence) of a meeting, as its page shows it to the caller: answers counted, the ' +
          "caller's own answer and waitlist place, and for the group's leaders who is coming.",
        params: occurrenceParams,
        response: { 200: occurrenceDetail },
      },
    },
    async (request) => {
      const page = await readOccurrence(db, request.viewer, request.params.occurrenceId);
      assertTokenReaches(request, page.access.group);
      return detailOf(page);
    },
  );

  api.post(
    '/meetings/:occurrenceId/rsvp',
    {
      schema: {
        tags: ['Meetings'],
        summary: 'Say whether you are coming',
        description:
          'Going, maybe or not going, for members in good standing. "Going" to a full meeting puts the caller ' +
          'on its waitlist (`status: waitlisted`), or is refused when it keeps none; "not going" frees their ' +
          'place for the first person waiting. Answering "going" again keeps one\'s place.',
        params: occurrenceParams,
        body: z.object({ answer: z.enum(['going', 'maybe', 'not_going']) }),
        response: {
          200: z.object({
            status: z.enum(statuses).describe('Where the caller now stands: `waitlisted` when the meeting was full.'),
            meeting: occurrenceDetail,
          }),
        },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      const { occurrenceId } = request.params;
      await assertTokenReachesOccurrence(db, request, occurrenceId);
      const { status } = await rsvp(db, effects, viewer, occurrenceId, { status: request.body.answer });
      return { status, meeting: detailOf(await readOccurrence(db, viewer, occurrenceId)) };
    },
  );
};
