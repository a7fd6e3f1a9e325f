import type { Translate } from '../../platform/views/i18n.js';
import type { MeetingTimeView, TimeWindow } from './types.js';

// Plain Intl is enough: we only need a zone's UTC offset at a moment, and the weekday and time
// of a moment in a zone. A date library would add weight to every page for no gain.

const DAY = 1440;
const WEEK = 7 * DAY;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = offsetFormats.get(timeZone);
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
    });
    offsetFormats.set(timeZone, f);
  }
  return f;
}

/** Catalog keys of the days, Sunday first as in `meeting_times.weekday`. */
export const weekdayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall clock in a zone at a moment: its date as UTC milliseconds at midnight, weekday and minute of the day. */
function wallClock(timeZone: string, at: Date): { midnightUtc: number; weekday: number; minute: number } {
  const parts: Record<string, string> = {};
  for (const p of partsFormat(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const midnightUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  return {
    midnightUtc,
    weekday: weekdayIndex[parts.weekday ?? 'Sun'] ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Minutes the zone is ahead of UTC at a moment (+60 for London in summer, +330 for Kolkata). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const wall = wallClock(timeZone, at);
  const wallAsUtc = wall.midnightUtc + wall.minute * 60_000;
  const atMinute = Math.floor(at.getTime() / 60_000) * 60_000;
  return Math.round((wallAsUtc - atMinute) / 60_000);
}

/** True when Intl knows the zone ("Europe/London"); the only check a time zone from a form needs. */
export function isTimeZone(value: string): boolean {
  if (!value || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * The moment a weekly time (weekday and minute in a zone) next falls in the week of `at`, as
 * seen in that zone: the week runs from Sunday 00:00 to Saturday 24:00 there.
 */
function occurrence(weekday: number, startMinute: number, timeZone: string, at: Date): Date {
  const wall = wallClock(timeZone, at);
  const sundayUtc = wall.midnightUtc - wall.weekday * DAY * 60_000;
  const wallAsUtc = sundayUtc + (weekday * DAY + startMinute) * 60_000;
  // The offset at a guess, then at the moment it gives: right on both sides of a clock change.
  const guess = wallAsUtc - utcOffsetMinutes(timeZone, new Date(wallAsUtc)) * 60_000;
  return new Date(wallAsUtc - utcOffsetMinutes(timeZone, new Date(guess)) * 60_000);
}

const mod = (n: number, m: number) => ((n % m) + m) % m;

function weekMinuteOf(moment: Date): number {
  return moment.getUTCDay() * DAY + moment.getUTCHours() * 60 + moment.getUTCMinutes();
}

/** A weekly meeting's start as a minute of the week in UTC (0 = Sunday 00:00 UTC … 10079), for the week of `at`. */
export function utcWeekMinute(weekday: number, startMinute: number, timeZone: string, at = new Date()): number {
  return weekMinuteOf(occurrence(weekday, startMinute, timeZone, at));
}

/** Each window as ranges of local minutes of the week (Sunday 00:00 = 0). */
function localRanges(window: TimeWindow): [number, number][] {
  const daily = (from: number, to: number) =>
    [0, 1, 2, 3, 4, 5, 6].map((d): [number, number] => [d * DAY + from, d * DAY + to]);
  switch (window) {
    case 'mornings':
      return daily(6 * 60, 12 * 60);
    case 'afternoons':
      return daily(12 * 60, 17 * 60);
    case 'evenings':
      return daily(17 * 60, 22 * 60);
    case 'weekdays':
      return [[1 * DAY, 6 * DAY]];
    case 'weekends':
      return [
        [0, DAY],
        [6 * DAY, WEEK],
      ];
  }
}

/**
 * The visitor's windows ("evenings", "weekends") in their time zone, as ranges [from, to) of UTC
 * minutes of the week; a range that wraps past Saturday midnight UTC is split in two. Several
 * windows are a union ("evenings or weekends"), as values of one facet are. Sorted, merged.
 */
export function windowRanges(windows: TimeWindow[], timeZone: string, at = new Date()): [number, number][] {
  const ranges: [number, number][] = [];
  for (const window of new Set(windows)) {
    for (const [from, to] of localRanges(window)) {
      // The offset on the day the range starts: a clock change in the week moves the later days.
      const start = occurrence(Math.floor(from / DAY) % 7, from % DAY, timeZone, at);
      const utcFrom = weekMinuteOf(start);
      const utcTo = utcFrom + (to - from);
      if (utcTo <= WEEK) ranges.push([utcFrom, utcTo]);
      else ranges.push([utcFrom, WEEK], [0, utcTo - WEEK]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "19:30" for a minute of the day. */
export function clockTime(minute: number): string {
  const m = mod(minute, DAY);
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "19:30" → 1170, or null when it is not a time of day. */
export function parseClockTime(text: string): number | null {
  const match = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

const zoneNames = new Map<string, string>();

/** "United Kingdom Time", "Eastern Time": the zone named as people say it, in their language. */
export function zoneName(timeZone: string, locale = 'en'): string {
  const key = `${locale}|${timeZone}`;
  let name = zoneNames.get(key);
  if (!name) {
    const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date());
    name = parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
    zoneNames.set(key, name);
  }
  return name;
}

/**
 * A weekly meeting as a person reads it: "Tuesdays 19:30–21:00 (your time), online". Shown in the
 * viewer's own zone when we know it (signed in); otherwise in the meeting's zone, named.
 */
export function describeMeetingTime(
  meeting: MeetingTimeView,
  viewerTimeZone: string | null,
  t: Translate,
  at = new Date(),
): string {
  let weekday = meeting.weekday;
  let start = meeting.startMinute;
  if (viewerTimeZone && viewerTimeZone !== meeting.timeZone && isTimeZone(viewerTimeZone)) {
    const moment = occurrence(meeting.weekday, meeting.startMinute, meeting.timeZone, at);
    const wall = wallClock(viewerTimeZone, moment);
    weekday = wall.weekday;
    start = wall.minute;
  }
  const vars = {
    day: t(`directorySettings.weekdaysPlural.${weekdayKeys[weekday] ?? 'sun'}`),
    start: clockTime(start),
    end: clockTime(start + meeting.durationMinutes),
    zone: zoneName(meeting.timeZone),
  };
  const when = viewerTimeZone
    ? t('directorySettings.meetingYourTime', vars)
    : t('directorySettings.meetingTheirTime', vars);
  const place = (['online', 'in_person', 'phone'] as const).find((p) => p === meeting.place) ?? 'online';
  return t('directorySettings.meetingWithPlace', { when, place: t(`directorySettings.meetingPlaces.${place}`) });
}
