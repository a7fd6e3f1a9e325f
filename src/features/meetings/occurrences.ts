import { RRuleTemporal } from 'rrule-temporal';
import { toText } from 'rrule-temporal/totext';
import { Temporal } from 'temporal-polyfill';
import { withValues } from '../../platform/views/forms.js';
import { wallClockFields } from '../../platform/text/zoned-time.js';

/*
 * A meeting's dates. A rule is an RFC 5545 RRULE read in the meeting's own time zone, so "every
 * second Tuesday at 19:00 Europe/London" stays at 19:00 on London's clock through summer time.
 * rrule-temporal expands it with Temporal; this module says which rules we take, turns the form's
 * simple choices into rules and back, and lists the starts in a window.
 */

/** Occurrences are kept as rows this far ahead of now (and of a first meeting further off). */
export const HORIZON_DAYS = 183;
/** At most this many rows are made for one meeting at a time: a daily meeting for six months. */
export const MAX_AHEAD = 200;

const DAY_MS = 24 * 3600_000;

/** How the form offers repeating: once, weekly, every two weeks, monthly on the Nth weekday, or a rule. */
export const repeatChoices = ['once', 'weekly', 'fortnightly', 'monthly', 'custom'] as const;
export type RepeatChoice = (typeof repeatChoices)[number];

const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** The weekday code ("TU") and the week of the month (1–4, or -1 for the last) of a start on its zone's clock. */
function weekdayOf(startsAt: Date, timeZone: string): { code: string; nth: number } {
  const { date } = wallClockFields(startsAt, timeZone);
  const plain = Temporal.PlainDate.from(date);
  const nth = Math.ceil(plain.day / 7);
  return { code: weekdays[plain.dayOfWeek - 1]!, nth: nth > 4 ? -1 : nth };
}

/** The rule a simple choice makes for a first meeting at `startsAt` in `timeZone`; null for once. */
export function presetRule(choice: Exclude<RepeatChoice, 'custom'>, startsAt: Date, timeZone: string): string | null {
  if (choice === 'once') return null;
  const { code, nth } = weekdayOf(startsAt, timeZone);
  if (choice === 'weekly') return `FREQ=WEEKLY;BYDAY=${code}`;
  if (choice === 'fortnightly') return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${code}`;
  return `FREQ=MONTHLY;BYDAY=${nth}${code}`;
}

/** Which choice of the form a meeting's rule is, so that the edit form shows it as it was made. */
export function repeatChoiceOf(rrule: string | null, startsAt: Date, timeZone: string): RepeatChoice {
  if (rrule === null) return 'once';
  for (const choice of ['weekly', 'fortnightly', 'monthly'] as const) {
    if (presetRule(choice, startsAt, timeZone) === rrule) return choice;
  }
  return 'custom';
}

const byDayPart = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/;
const untilPart = /^(\d{8})(T\d{6}Z)?$/;

/**
 * Reads a rule someone typed ("FREQ=MONTHLY;BYDAY=-1FR", with or without "RRULE:") into the form
 * we keep: upper case, no spaces. Only what a meeting needs is taken: FREQ DAILY, WEEKLY or
 * MONTHLY, INTERVAL, BYDAY (with "2TU" or "-1FR" in monthly rules), BYMONTHDAY, COUNT or UNTIL,
 * and WKST. Returns the rule, or the key of a message that says what is wrong.
 */
export function normaliseRule(input: string): { rule: string } | { error: string } {
  const text = input
    .trim()
    .replace(/^RRULE:/i, '')
    .replace(/\s+/g, '')
    .replace(/;+$/, '')
    .toUpperCase();
  if (text === '') return { error: 'meetings.errors.rruleEmpty' };
  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    const [key, value, extra] = piece.split('=');
    if (!key || value === undefined || value === '' || extra !== undefined)
      return { error: withValues('meetings.errors.rrulePart', { part: piece.slice(0, 40) }) };
    if (parts.has(key)) return { error: withValues('meetings.errors.rruleTwice', { part: key.slice(0, 20) }) };
    parts.set(key, value);
  }
  const freq = parts.get('FREQ');
  if (!freq || !['DAILY', 'WEEKLY', 'MONTHLY'].includes(freq)) return { error: 'meetings.errors.rruleFreq' };
  for (const [key, value] of parts) {
    switch (key) {
      case 'FREQ':
        break;
      case 'INTERVAL': {
        const n = Number(value);
        if (!/^\d{1,3}$/.test(value) || n < 1 || n > 52) return { error: 'meetings.errors.rruleInterval' };
        break;
      }
      case 'COUNT': {
        const n = Number(value);
        if (!/^\d{1,4}$/.test(value) || n < 1 || n > 1000) return { error: 'meetings.errors.rruleCount' };
        break;
      }
      case 'UNTIL':
        if (!untilPart.test(value) || !realDate(value.slice(0, 8))) return { error: 'meetings.errors.rruleUntil' };
        break;
      case 'BYDAY':
        for (const day of value.split(',')) {
          const m = byDayPart.exec(day);
          if (!m || m[1] === '0')
            return { error: withValues('meetings.errors.rruleByDay', { part: day.slice(0, 20) }) };
          // "The second Tuesday" means something only within a month.
          if (m[1] && freq !== 'MONTHLY')
            return { error: withValues('meetings.errors.rruleByDay', { part: day.slice(0, 20) }) };
        }
        break;
      case 'BYMONTHDAY':
        for (const day of value.split(',')) {
          const n = Number(day);
          if (!/^-?\d{1,2}$/.test(day) || n === 0 || n < -31 || n > 31)
            return { error: 'meetings.errors.rruleByMonthDay' };
        }
        break;
      case 'WKST':
        if (!(weekdays as readonly string[]).includes(value)) return { error: 'meetings.errors.rruleWkst' };
        break;
      default:
        return { error: withValues('meetings.errors.rruleUnsupported', { part: key.slice(0, 20) }) };
    }
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) return { error: 'meetings.errors.rruleCountAndUntil' };
  return { rule: [...parts].map(([k, v]) => `${k}=${v}`).join(';') };
}

function realDate(yyyymmdd: string): boolean {
  try {
    Temporal.PlainDate.from(`${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`, {
      overflow: 'reject',
    });
    return true;
  } catch {
    return false;
  }
}

export interface Schedule {
  /** The first meeting's start (DTSTART). */
  startsAt: Date;
  timeZone: string;
  /** null for a meeting that happens once. */
  rrule: string | null;
}

function ruleOf(schedule: Schedule & { rrule: string }): RRuleTemporal {
  const dtstart = Temporal.Instant.fromEpochMilliseconds(schedule.startsAt.getTime()).toZonedDateTimeISO(
    schedule.timeZone,
  );
  return new RRuleTemporal({ rruleString: schedule.rrule, dtstart });
}

/**
 * The starts of a meeting from `from` to `to` (both included), in order, at most `limit`. A
 * rule's dates that a clock change skips are left out, as RFC 5545 says.
 */
export function startsBetween(schedule: Schedule, from: Date, to: Date, limit = MAX_AHEAD): Date[] {
  if (schedule.rrule === null) {
    const t = schedule.startsAt.getTime();
    return t >= from.getTime() && t <= to.getTime() ? [schedule.startsAt] : [];
  }
  const found = ruleOf({ ...schedule, rrule: schedule.rrule }).between(from, to, true);
  return found.slice(0, limit).map((z) => new Date(z.epochMilliseconds));
}

/** The first start of a schedule: DTSTART itself when the rule agrees with it, else the rule's first date; null if none. */
export function firstStart(schedule: Schedule): Date | null {
  if (schedule.rrule === null) return schedule.startsAt;
  const [first] = ruleOf({ ...schedule, rrule: schedule.rrule }).all((_, i) => i < 1);
  return first ? new Date(first.epochMilliseconds) : null;
}

/** The end of the window rows are made for: six months past now, or past the first meeting if that is later. */
export function horizonOf(startsAt: Date, now: Date): Date {
  return new Date(Math.max(now.getTime(), startsAt.getTime()) + HORIZON_DAYS * DAY_MS);
}

/** The calendar day of a moment on a zone's clock ("2026-10-27"), to match a changed meeting's dates with its old ones. */
export function localDay(at: Date, timeZone: string): string {
  return wallClockFields(at, timeZone).date;
}

/** A rule in words, on the meeting's own clock ("every 2 weeks on Tuesday at 7 PM"); English where its language is not known. */
export function describeRule(schedule: Schedule & { rrule: string }, locale: string): string {
  const rule = ruleOf(schedule);
  const language = ['en', 'es', 'hi', 'yue', 'ar', 'he', 'zh', 'de', 'fr'].includes(locale) ? locale : 'en';
  return toText(rule, language, { excludeTzAbbreviation: true });
}
