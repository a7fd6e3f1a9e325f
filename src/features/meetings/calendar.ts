import { createHash, randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import ical, { ICalEventStatus } from 'ical-generator';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { defaultLocale, supportedLocales, translator, type Translate } from '../../platform/views/i18n.js';
import { activeMemberSql, type GroupAccess } from '../groups/index.js';
import type { MeetingKind, RsvpStatus } from './schema.js';

/*
 * Calendar feeds (RFC 5545, made with ical-generator): a group's meetings, and each member's own
 * meetings (what they answered going, maybe or waitlisted to) at a secret address. One VEVENT per
 * occurrence, in UTC, with a UID that stays the same for the occurrence's life and a SEQUENCE
 * that grows each time the meeting or the occurrence changes, so calendar apps update the event
 * rather than add another. A group's feed never carries dial-in numbers or PINs: a public group's
 * is public, and any feed file can be passed on. The personal feed carries them (only members'
 * answers are in it).
 */

/** How far back and ahead feeds reach. */
const PAST_DAYS = 30;
const AHEAD_DAYS = 183;
/** A calendar app asks again about this often (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const REFRESH_SECONDS = 3600;
const MAX_EVENTS = 1000;

/** A random token of 32 bytes (43 base64url characters); only its hash is kept. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Makes the person a new calendar address, replacing any they had: the old one stops working at
 * once. Returns the token, which is shown this once (only its hash is kept).
 */
export async function resetCalendarToken(db: DbOrTx, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.execute(sql`insert into calendar_feeds (user_id, token_hash) values (${userId}, ${hashOf(token)})
    on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = now()`);
  return token;
}

/** The feed's address: https for a browser's download, webcal for "subscribe" in calendar apps. */
export function calendarUrls(baseUrl: string, token: string): { https: string; webcal: string } {
  const https = `${baseUrl.replace(/\/$/, '')}/calendar/${token}.ics`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

/** One occurrence as a feed shows it. */
interface FeedRow {
  id: number;
  title: string;
  description: string;
  kind: MeetingKind;
  group_name: string;
  starts_at: string | Date;
  ends_at: string | Date;
  cancelled: boolean;
  cancel_note: string | null;
  address: string | null;
  directions: string | null;
  accessibility_notes: string | null;
  /** Only in the personal feed. */
  dial_in?: string | null;
  dial_in_pin?: string | null;
  /** Only in the personal feed: the member's answer. */
  status?: RsvpStatus;
  sequence: number;
  changed_at: string | Date;
}

/**
 * The columns every feed reads of an occurrence `o`, its meeting `m` and group `g`. The last
 * change is the meeting's (an edit, a move of one of its occurrences) or a cancellation; SEQUENCE
 * is the seconds from the meeting's creation to it, which only grows.
 */
const feedColumns = sql`o.id, m.title, m.description, m.kind, g.name as group_name, o.starts_at, o.ends_at,
  (o.cancelled_at is not null or m.cancelled_at is not null) as cancelled, o.cancel_note,
  m.address, m.directions, m.accessibility_notes,
  least(2147483647, greatest(0, floor(extract(epoch from
    greatest(m.updated_at, o.cancelled_at, m.cancelled_at) - m.created_at))))::int as sequence,
  greatest(m.updated_at, o.cancelled_at, m.cancelled_at) as changed_at`;

/** From 30 days ago to six months ahead (a moved occurrence counts where it now is). */
function windowSql(now: Date): SQL {
  const from = new Date(now.getTime() - PAST_DAYS * 24 * 3600_000).toISOString();
  const to = new Date(now.getTime() + AHEAD_DAYS * 24 * 3600_000).toISOString();
  return sql`o.starts_at >= ${from}::timestamptz and o.starts_at <= ${to}::timestamptz`;
}

const rowsOf = (result: unknown) => (result as { rows: FeedRow[] }).rows;

interface Calendar {
  name: string;
  /** The page the feed belongs to. */
  url: string;
  rows: FeedRow[];
}

/** Plain text for DESCRIPTION: the group, what the meeting is, how to get there, and where to read more. */
function describe(t: Translate, baseUrl: string, row: FeedRow, personal: boolean): string {
  const lines = [t('meetings.calendar.group', { group: row.group_name })];
  if (row.cancelled) {
    lines.push(
      row.cancel_note
        ? t('meetings.calendar.cancelledNote', { note: row.cancel_note })
        : t('meetings.calendar.cancelled'),
    );
  }
  if (row.status === 'waitlisted') lines.push(t('meetings.calendar.waitlisted'));
  if (row.status === 'maybe') lines.push(t('meetings.calendar.maybe'));
  if (row.description.trim()) lines.push('', row.description.trim());
  const details: string[] = [];
  if (row.kind === 'in_person') {
    if (row.directions?.trim()) details.push(t('meetings.calendar.directions', { text: row.directions.trim() }));
    if (row.accessibility_notes?.trim())
      details.push(t('meetings.calendar.accessibility', { text: row.accessibility_notes.trim() }));
  } else if (row.kind === 'phone') {
    if (personal && row.dial_in?.trim()) {
      details.push(t('meetings.calendar.dialIn', { number: row.dial_in.trim() }));
      if (row.dial_in_pin?.trim()) details.push(t('meetings.calendar.pin', { pin: row.dial_in_pin.trim() }));
    } else {
      details.push(t('meetings.calendar.phoneOnPage'));
    }
  } else {
    details.push(t('meetings.calendar.online', { url: `${baseUrl}/meetings/${row.id}/room` }));
  }
  if (details.length > 0) lines.push('', ...details);
  lines.push('', `${baseUrl}/meetings/${row.id}`);
  return lines.join('\n');
}

/** Where: the address in person, the room's address online, the number by phone (personal feed only). */
function locationOf(baseUrl: string, row: FeedRow, personal: boolean): string | null {
  if (row.kind === 'in_person') return row.address?.trim() || null;
  if (row.kind === 'online') return `${baseUrl}/meetings/${row.id}/room`;
  return personal ? row.dial_in?.trim() || null : null;
}

function statusOf(row: FeedRow): ICalEventStatus {
  if (row.cancelled) return ICalEventStatus.CANCELLED;
  return row.status === 'maybe' || row.status === 'waitlisted' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED;
}

/** The iCalendar text of a feed. */
function render(t: Translate, baseUrl: string, calendar: Calendar, personal: boolean): string {
  const host = new URL(baseUrl).hostname;
  const cal = ical({
    prodId: { company: 'Mutual', product: 'Meetings', language: 'EN' },
    name: calendar.name,
    url: calendar.url,
    ttl: REFRESH_SECONDS,
  });
  for (const row of calendar.rows) {
    const page = `${baseUrl}/meetings/${row.id}`;
    const changed = new Date(row.changed_at);
    cal.createEvent({
      id: `occurrence-${row.id}@${host}`,
      sequence: Number(row.sequence),
      start: new Date(row.starts_at),
      end: new Date(row.ends_at),
      stamp: changed,
      lastModified: changed,
      summary: row.title,
      description: describe(t, baseUrl, row, personal),
      location: locationOf(baseUrl, row, personal),
      url: page,
      status: statusOf(row),
    });
  }
  return cal.toString();
}

/**
 * A group's feed, for someone who may read its meetings (accessMeetingsOf): every occurrence
 * from 30 days ago to six months ahead, cancelled ones marked so. Never a dial-in number or PIN.
 */
export async function groupFeed(
  db: DbOrTx,
  access: GroupAccess,
  opts: { baseUrl: string; locale: string; now?: Date },
): Promise<string> {
  const now = opts.now ?? new Date();
  const result = await db.execute(sql`
    select ${feedColumns}
    from meeting_occurrences o
    join meetings m on m.id = o.meeting_id
    join groups g on g.id = o.group_id
    where o.group_id = ${access.group.id} and ${windowSql(now)}
    order by o.starts_at, o.id
    limit ${MAX_EVENTS}`);
  const t = translator(opts.locale);
  const calendar = {
    name: t('meetings.calendar.groupName', { group: access.group.name }),
    url: `${opts.baseUrl}/g/${access.group.slug}/meetings`,
    rows: rowsOf(result),
  };
  return render(t, opts.baseUrl, calendar, false);
}

/**
 * The feed at a secret address, in one query: the person's answers (going, maybe, waitlisted)
 * from 30 days ago on, in the groups where they are still a member in good standing, with dial-in
 * details. Null when no such address exists (never made, or reset since).
 */
export async function personalFeed(
  db: Db,
  token: string,
  opts: { baseUrl: string; now?: Date },
): Promise<string | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const now = opts.now ?? new Date();
  const result = await db.execute(sql`
    with owner as (
      select f.user_id, u.locale from calendar_feeds f join users u on u.id = f.user_id
      where f.token_hash = ${hashOf(token)}
    )
    select owner.locale as owner_locale, e.*
    from owner
    left join lateral (
      select ${feedColumns}, m.dial_in, m.dial_in_pin, r.status
      from meeting_rsvps r
      join meeting_occurrences o on o.id = r.occurrence_id
      join meetings m on m.id = o.meeting_id
      join groups g on g.id = o.group_id
      where r.user_id = owner.user_id and r.status in ('going', 'maybe', 'waitlisted')
        and o.starts_at >= ${new Date(now.getTime() - PAST_DAYS * 24 * 3600_000).toISOString()}::timestamptz
        and ${activeMemberSql(sql.raw('o.group_id'), sql.raw('owner.user_id'), now)}
      order by o.starts_at, o.id
      limit ${MAX_EVENTS}
    ) e on true`);
  const rows = (result as unknown as { rows: (FeedRow & { owner_locale: string; id: number | null })[] }).rows;
  const first = rows[0];
  if (!first) return null;
  const locale = supportedLocales.includes(first.owner_locale) ? first.owner_locale : defaultLocale;
  const t = translator(locale);
  const calendar = {
    name: t('meetings.calendar.personalName'),
    url: `${opts.baseUrl}/account/meetings`,
    rows: rows.filter((r) => r.id !== null),
  };
  return render(t, opts.baseUrl, calendar, true);
}
