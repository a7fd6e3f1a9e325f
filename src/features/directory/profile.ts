import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { accessGroup, assertCanManage, type Actor, type Group, type GroupAccess } from '../groups/index.js';
import { resolvePlace } from './places.js';
import { isTimeZone, parseClockTime, clockTime, utcWeekMinute } from './schedule.js';
import {
  directoryAudiences,
  directoryEntries,
  directoryFormats,
  meetingPlaces,
  meetingTimes,
  topics,
  type DirectoryAudience,
  type DirectoryFormat,
} from './schema.js';
import type { MeetingTimeView, Place } from './types.js';

/*
 * A directory entry's profile: what it is about (topics), how and for whom it runs (formats,
 * audiences), where it meets and when. Groups edit theirs at /g/:slug/listing; listings are
 * submitted with the same fields. The form posts flat names (topics, formats, audiences, place,
 * meetingDay0 … meetingPlace6) so that each field's error sits beside it.
 */

export const maxTopics = 5;
export const maxMeetings = 7;
/** Meeting rows a form shows without JavaScript: three, or one more than the meetings saved. */
export const meetingRows = (saved: number) => Math.min(maxMeetings, Math.max(3, saved + 1));

/** A checkbox sends nothing, one value, or several: always a list. */
const toList = (v: unknown) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

const meetingRowKeys = ['Day', 'Start', 'Length', 'Zone', 'Place'] as const;

export interface MeetingInput extends MeetingTimeView {
  place: (typeof meetingPlaces)[number];
}

/** A profile ready to save: topics by slug, the place resolved, meetings parsed. */
export interface EntryProfile {
  topics: string[];
  formats: DirectoryFormat[];
  audiences: DirectoryAudience[];
  place: Place | null;
  meetings: MeetingInput[];
}

const rowShape = Object.fromEntries(
  Array.from({ length: maxMeetings }, (_, i) =>
    meetingRowKeys.map((k) => [`meeting${k}${i}`, z.unknown().optional()]),
  ).flat(),
) as Record<string, z.ZodOptional<z.ZodUnknown>>;

const strings = z.array(z.string().max(100)).max(50);

/**
 * Every field is checked in one pass, so that a person who got several wrong sees every message
 * at once, each beside its field.
 */
export const entryProfileInput = z
  .object({
    topics: z.preprocess(toList, strings),
    formats: z.preprocess(toList, strings),
    audiences: z.preprocess(toList, strings),
    place: z.preprocess(text, z.string()),
    ...rowShape,
  })
  .transform((input, ctx): EntryProfile => {
    const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const topicSlugs = [...new Set(input.topics)];
    if (topicSlugs.length > maxTopics) fail('topics', 'directorySettings.errors.tooManyTopics');
    const formats = directoryFormats.filter((f) => input.formats.includes(f));
    if (formats.length < input.formats.length) fail('formats', 'forms.invalid');
    else if (formats.length === 0) fail('formats', 'directorySettings.errors.formatRequired');
    const audiences = directoryAudiences.filter((a) => input.audiences.includes(a));
    if (audiences.length < input.audiences.length) fail('audiences', 'forms.invalid');
    else if (audiences.length === 0) fail('audiences', 'directorySettings.errors.audienceRequired');
    let place: Place | null = null;
    if (input.place.length > 200) fail('place', 'directorySettings.errors.placeLength');
    else if (input.place) {
      place = resolvePlace(input.place);
      if (!place) fail('place', 'directorySettings.errors.placeNotFound');
    }
    const meetings: MeetingInput[] = [];
    for (let i = 0; i < maxMeetings; i++) {
      const row = meetingRowKeys.map((k) => text((input as Record<string, unknown>)[`meeting${k}${i}`]));
      const [day = '', start = '', length = '', zone = '', where = ''] = row;
      // Length, zone and place come filled in: a row without a day or a time is an empty row.
      if (!day && !start) continue;
      const weekday = /^[0-6]$/.test(day) ? Number(day) : null;
      if (weekday === null) fail(`meetingDay${i}`, 'directorySettings.errors.dayRequired');
      const startMinute = parseClockTime(start);
      if (startMinute === null) {
        fail(`meetingStart${i}`, `directorySettings.errors.${start ? 'startInvalid' : 'startRequired'}`);
      }
      const durationMinutes = length === '' ? 60 : /^\d{1,3}$/.test(length) ? Number(length) : -1;
      if (durationMinutes < 15 || durationMinutes > 600) {
        fail(`meetingLength${i}`, 'directorySettings.errors.durationInvalid');
      }
      if (!isTimeZone(zone)) fail(`meetingZone${i}`, 'directorySettings.errors.timeZoneInvalid');
      const placeOf = meetingPlaces.find((p) => p === where);
      if (!placeOf) fail(`meetingPlace${i}`, 'directorySettings.errors.placeInvalid');
      if (weekday !== null && startMinute !== null && placeOf) {
        meetings.push({ weekday, startMinute, durationMinutes, timeZone: zone, place: placeOf });
      }
    }
    return { topics: topicSlugs, formats, audiences, place, meetings };
  });

/** Parses a posted profile, throwing Invalid with messages by field. */
export function parseEntryProfile(body: unknown): EntryProfile {
  return parseInput(entryProfileInput, body);
}

/**
 * Writes a profile to an entry: its topics, formats, audiences and place, and its meeting times
 * (replaced, each with its minute of the week in UTC for "evenings" and "weekends"). In one
 * transaction (a savepoint when the caller is already in one).
 */
export async function saveEntryProfile(
  db: DbOrTx,
  entryId: number,
  groupId: number | null,
  profile: EntryProfile,
  at = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const found =
      profile.topics.length === 0
        ? []
        : await tx.select({ id: topics.id }).from(topics).where(inArray(topics.slug, profile.topics));
    if (found.length !== profile.topics.length) throw new Invalid({ topics: 'directorySettings.errors.unknownTopic' });
    await tx
      .update(directoryEntries)
      .set({
        topicIds: found.map((t) => t.id),
        formats: profile.formats,
        audiences: profile.audiences,
        placeName: profile.place?.label ?? null,
        countryCode: profile.place?.country ?? null,
        latitude: profile.place?.latitude ?? null,
        longitude: profile.place?.longitude ?? null,
      })
      .where(eq(directoryEntries.id, entryId));
    await tx.delete(meetingTimes).where(eq(meetingTimes.entryId, entryId));
    if (profile.meetings.length > 0) {
      await tx.insert(meetingTimes).values(
        profile.meetings.slice(0, maxMeetings).map((m) => ({
          entryId,
          groupId,
          weekday: m.weekday,
          startMinute: m.startMinute,
          durationMinutes: m.durationMinutes,
          timeZone: m.timeZone,
          place: m.place,
          utcWeekMinute: utcWeekMinute(m.weekday, m.startMinute, m.timeZone, at),
        })),
      );
    }
  });
}

/** An entry's profile as saved, for its form and its page. */
export interface EntryProfileView {
  entryId: number;
  topics: { slug: string; name: string }[];
  formats: DirectoryFormat[];
  audiences: DirectoryAudience[];
  place: Place | null;
  meetings: MeetingTimeView[];
  searchEngines: boolean;
}

/** Loads an entry's profile in one query (its topics' names and its meetings included), or null. */
export async function loadEntryProfile(db: DbOrTx, entryId: number): Promise<EntryProfileView | null> {
  return loadProfile(db, eq(directoryEntries.id, entryId));
}

/** A group's profile, from its directory entry; null only if the entry is missing. */
export async function loadGroupProfile(db: DbOrTx, groupId: number): Promise<EntryProfileView | null> {
  return loadProfile(db, eq(directoryEntries.groupId, groupId));
}

// Written out with the table's name: Drizzle may leave columns in select fields unqualified.
const topicsJson = sql<{ slug: string; name: string }[]>`coalesce((
  select json_agg(json_build_object('slug', t.slug, 'name', t.name) order by t.position, t.name)
  from topics t where t.id = any(directory_entries.topic_ids)), '[]'::json)`;
const meetingsJson = sql<MeetingTimeView[]>`coalesce((
  select json_agg(json_build_object('weekday', m.weekday, 'startMinute', m.start_minute,
    'durationMinutes', m.duration_minutes, 'timeZone', m.time_zone, 'place', m.place)
    order by m.weekday, m.start_minute, m.id)
  from meeting_times m where m.entry_id = directory_entries.id), '[]'::json)`;

async function loadProfile(db: DbOrTx, which: SQL | undefined): Promise<EntryProfileView | null> {
  const [entry] = await db
    .select({
      entryId: directoryEntries.id,
      formats: directoryEntries.formats,
      audiences: directoryEntries.audiences,
      placeName: directoryEntries.placeName,
      countryCode: directoryEntries.countryCode,
      latitude: directoryEntries.latitude,
      longitude: directoryEntries.longitude,
      searchEngines: directoryEntries.searchEngines,
      topics: topicsJson,
      meetings: meetingsJson,
    })
    .from(directoryEntries)
    .where(which);
  if (!entry) return null;
  const place =
    entry.placeName !== null && entry.latitude !== null && entry.longitude !== null
      ? { label: entry.placeName, latitude: entry.latitude, longitude: entry.longitude, country: entry.countryCode }
      : null;
  return {
    entryId: entry.entryId,
    topics: entry.topics,
    formats: entry.formats as DirectoryFormat[],
    audiences: entry.audiences as DirectoryAudience[],
    place,
    meetings: entry.meetings,
    searchEngines: entry.searchEngines,
  };
}

/** The directory entry of a group (every group has one, kept by a trigger). */
export async function groupEntryId(db: DbOrTx, groupId: number): Promise<number | null> {
  const [row] = await db
    .select({ id: directoryEntries.id })
    .from(directoryEntries)
    .where(eq(directoryEntries.groupId, groupId));
  return row?.id ?? null;
}

/** What a profile form shows: the person's own text back after an error, or what is saved. */
export interface EntryProfileValues {
  topics: string[];
  formats: string[];
  audiences: string[];
  place: string;
  meetings: { day: string; start: string; length: string; zone: string; place: string }[];
}

/** A posted profile as the form should show it again. */
export function entryProfileValues(body: unknown): EntryProfileValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const strings = (v: unknown) => toList(v).filter((x): x is string => typeof x === 'string');
  const meetings = Array.from({ length: maxMeetings }, (_, i) => {
    const [day = '', start = '', length = '', zone = '', place = ''] = meetingRowKeys.map((k) =>
      text(b[`meeting${k}${i}`]),
    );
    return { day, start, length, zone, place };
  });
  // Keep rows up to the last one the person filled in.
  let last = meetings.length;
  while (last > 0 && !meetings[last - 1]!.day && !meetings[last - 1]!.start) last--;
  return {
    topics: strings(b.topics),
    formats: strings(b.formats),
    audiences: strings(b.audiences),
    place: text(b.place),
    meetings: meetings.slice(0, last),
  };
}

/** A saved profile as the form shows it. */
export function entryProfileValuesOf(profile: EntryProfileView | null): EntryProfileValues {
  if (!profile) return { topics: [], formats: ['forum'], audiences: ['self'], place: '', meetings: [] };
  return {
    topics: profile.topics.map((t) => t.slug),
    formats: profile.formats,
    audiences: profile.audiences,
    place: profile.place?.label ?? '',
    meetings: profile.meetings.map((m) => ({
      day: String(m.weekday),
      start: clockTime(m.startMinute),
      length: String(m.durationMinutes),
      zone: m.timeZone,
      place: m.place,
    })),
  };
}

/** Search engines may list only what anyone may find and read: public groups in the directory. */
export const mayUseSearchEngines = (group: Group) => group.visibility === 'public' && group.listed;

export interface GroupListing {
  access: GroupAccess;
  entryId: number;
  profile: EntryProfileView;
}

/** A group's directory settings, for those who may manage it. */
export async function loadGroupListing(db: DbOrTx, actor: Actor, slug: string): Promise<GroupListing> {
  const access = await accessGroup(db, actor, slug);
  assertCanManage(access);
  const profile = await loadGroupProfile(db, access.group.id);
  if (!profile) throw new NotFound();
  return { access, entryId: profile.entryId, profile };
}

/**
 * Saves how people find a group: its profile and whether search engines may list it (only when
 * it is public and listed; otherwise it is turned off, whatever was sent).
 */
export async function saveGroupListing(db: Db, actor: Actor, slug: string, body: unknown): Promise<GroupAccess> {
  const { access, entryId } = await loadGroupListing(db, actor, slug);
  const profile = parseEntryProfile(body);
  const asked = (body as Record<string, unknown> | null)?.searchEngines;
  const searchEngines = mayUseSearchEngines(access.group) && (asked === 'on' || asked === 'true' || asked === true);
  await db.transaction(async (tx) => {
    await saveEntryProfile(tx, entryId, access.group.id, profile);
    await tx.update(directoryEntries).set({ searchEngines }).where(eq(directoryEntries.id, entryId));
  });
  return access;
}

/**
 * Daylight saving moves a meeting's minute of the week in UTC twice a year: the stats job calls
 * this to compute every meeting's minute for the week of `at` again. One query reads the distinct
 * (weekday, time, zone) triples; one UPDATE per thousand changed triples writes them.
 */
export async function refreshMeetingMinutes(db: DbOrTx, at = new Date()): Promise<number> {
  const triples = await db
    .selectDistinct({
      weekday: meetingTimes.weekday,
      startMinute: meetingTimes.startMinute,
      timeZone: meetingTimes.timeZone,
      utcWeekMinute: meetingTimes.utcWeekMinute,
    })
    .from(meetingTimes);
  const changed = triples
    .filter((m) => isTimeZone(m.timeZone))
    .map((m) => ({ ...m, now: utcWeekMinute(m.weekday, m.startMinute, m.timeZone, at) }))
    .filter((m) => m.now !== m.utcWeekMinute);
  for (let i = 0; i < changed.length; i += 1000) {
    const rows = sql.join(
      changed
        .slice(i, i + 1000)
        .map((m) => sql`(${m.weekday}::int, ${m.startMinute}::int, ${m.timeZone}::text, ${m.now}::int)`),
      sql`, `,
    );
    await db.execute(sql`update meeting_times set utc_week_minute = v.minute
      from (values ${rows}) as v(weekday, start_minute, time_zone, minute)
      where meeting_times.weekday = v.weekday and meeting_times.start_minute = v.start_minute
        and meeting_times.time_zone = v.time_zone and meeting_times.utc_week_minute <> v.minute`);
  }
  return changed.length;
}
