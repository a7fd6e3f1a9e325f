/**
 * schema.org descriptions of a group or a listing for search engines: an Organization, and one
 * Event for the next occurrence of each weekly meeting. Built only from what the directory shows
 * anyone (name, summary, place, meeting times, the organisation that runs it): never a member,
 * never a discussion.
 */
import type { MeetingTimeView } from './types.js';

export interface PresenceSubject {
  name: string;
  summary: string;
  /** The absolute address of the group's or listing's page. */
  url: string;
  /** A gazetteer label ("Leeds, United Kingdom") for groups that meet in a place. */
  placeName: string | null;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
  free: boolean;
  /** The organisation that runs the group (name and absolute address), or a listing's organiser. */
  parent: { name: string; url?: string } | null;
  /** Where a listing's group is hosted (its own website), for `sameAs`. */
  website?: string | null;
  meetingTimes: MeetingTimeView[];
}

type Thing = Record<string, unknown>;

function placeOf(s: PresenceSubject): Thing | null {
  if (!s.placeName) return null;
  return {
    '@type': 'Place',
    name: s.placeName,
    ...(s.countryCode ? { address: { '@type': 'PostalAddress', addressCountry: s.countryCode } } : {}),
    ...(s.latitude !== null && s.longitude !== null
      ? { geo: { '@type': 'GeoCoordinates', latitude: s.latitude, longitude: s.longitude } }
      : {}),
  };
}

export function organizationLd(s: PresenceSubject): Thing {
  const place = placeOf(s);
  return {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    name: s.name,
    ...(s.summary ? { description: s.summary } : {}),
    url: s.url,
    ...(s.website ? { sameAs: [s.website] } : {}),
    ...(place ? { location: place, areaServed: place } : {}),
    ...(s.parent
      ? {
          parentOrganization: {
            '@type': 'Organization',
            name: s.parent.name,
            ...(s.parent.url ? { url: s.parent.url } : {}),
          },
        }
      : {}),
  };
}

/** One Event per weekly meeting, at its next occurrence after `now`. */
export function meetingEventsLd(s: PresenceSubject, now = new Date()): Thing[] {
  const organizer = s.parent
    ? { '@type': 'Organization', name: s.parent.name, url: s.parent.url ?? s.url }
    : { '@type': 'Organization', name: s.name, url: s.url };
  const place = placeOf(s);
  return s.meetingTimes.map((m) => {
    const start = nextOccurrence(m.weekday, m.startMinute, m.timeZone, now);
    // A meeting in a room needs a place to be "offline"; without one it is described as remote.
    const inPerson = m.place === 'in_person' && place !== null;
    return {
      '@context': 'https://schema.org',
      '@type': 'Event',
      name: s.name,
      ...(s.summary ? { description: s.summary } : {}),
      url: s.url,
      startDate: start.local,
      endDate: nextEnd(start.utc, m.durationMinutes, m.timeZone),
      duration: isoDuration(m.durationMinutes),
      eventStatus: 'https://schema.org/EventScheduled',
      eventAttendanceMode: inPerson
        ? 'https://schema.org/OfflineEventAttendanceMode'
        : 'https://schema.org/OnlineEventAttendanceMode',
      location: inPerson ? place : { '@type': 'VirtualLocation', url: s.url },
      organizer,
      isAccessibleForFree: s.free,
    };
  });
}

function isoDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m || !h ? `${m}M` : ''}`;
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function zoned(at: Date, timeZone: string): ZonedParts & { offset: string } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  // "GMT+05:30", or "GMT" for UTC itself.
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: weekdays.indexOf(parts.weekday ?? 'Sun'),
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
    offset,
  };
}

function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/u.exec(offset);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number) => String(n).padStart(2, '0');

function localIso(at: Date, timeZone: string): string {
  const z = zoned(at, timeZone);
  return `${z.year}-${pad(z.month)}-${pad(z.day)}T${pad(Math.floor(z.minuteOfDay / 60))}:${pad(z.minuteOfDay % 60)}:00${z.offset}`;
}

/**
 * The next start of a weekly meeting after `now`, as an instant and as local time with its UTC
 * offset ("2026-12-01T19:30:00+00:00"), which is what schema.org asks for. Found from the
 * meeting's own calendar date, so daylight saving between now and then is accounted for.
 */
export function nextOccurrence(
  weekday: number,
  startMinute: number,
  timeZone: string,
  now = new Date(),
): { utc: Date; local: string } {
  const today = zoned(now, timeZone);
  let days = (weekday - today.weekday + 7) % 7;
  if (days === 0 && startMinute <= today.minuteOfDay) days = 7;
  const wall = Date.UTC(today.year, today.month - 1, today.day + days, 0, startMinute);
  // The wall-clock time read as UTC, corrected by the zone's offset at that moment (twice, in case
  // the first guess fell on the other side of a daylight-saving change).
  let utc = wall - offsetMinutes(zoned(new Date(wall), timeZone).offset) * 60_000;
  utc = wall - offsetMinutes(zoned(new Date(utc), timeZone).offset) * 60_000;
  const at = new Date(utc);
  return { utc: at, local: localIso(at, timeZone) };
}

function nextEnd(start: Date, durationMinutes: number, timeZone: string): string {
  return localIso(new Date(start.getTime() + durationMinutes * 60_000), timeZone);
}
