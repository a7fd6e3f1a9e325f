import { z } from 'zod';
import { Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { wallClockToUtc } from '../../platform/text/zoned-time.js';

/*
 * What the poll forms send, checked with zod; every message is a key in the catalog's polls.errors,
 * so a form that is wrong comes back with the person's text and a clear message.
 */

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;
export const MIN_TIMES = 2;
export const MAX_TIMES = 10;
/** How many rows of times a new "find a time" form offers before "Add another time". */
export const FIRST_TIME_ROWS = 3;

const oneLine = (s: string) => !/[\r\n]/u.test(s);

const optionalText = z
  .string()
  .trim()
  .max(50_000, 'polls.errors.bodyLength')
  .optional()
  .transform((v) => v || null);

/** A checkbox: present when ticked. */
const ticked = z
  .string()
  .optional()
  .transform((v) => v !== undefined);

const closing = {
  closeDate: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null),
  closeTime: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null),
};

const votes = z.enum(['named', 'anonymous'], 'polls.errors.votes');

export const choicePollInput = z.object({
  question: z
    .string()
    .trim()
    .min(3, 'polls.errors.question')
    .max(200, 'polls.errors.question')
    .refine(oneLine, 'polls.errors.question'),
  body: optionalText,
  options: z
    .string('polls.errors.optionCount')
    .transform((v) =>
      v
        .split(/\r?\n/u)
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    )
    .refine((lines) => lines.length >= MIN_OPTIONS && lines.length <= MAX_OPTIONS, 'polls.errors.optionCount')
    .refine((lines) => lines.every((line) => line.length <= 200), 'polls.errors.optionLength')
    .refine(
      (lines) => new Set(lines.map((line) => line.toLowerCase())).size === lines.length,
      'polls.errors.optionTwice',
    ),
  multiple: ticked,
  votes,
  results: z.enum(['after_vote', 'after_close'], 'polls.errors.results'),
  ...closing,
});

export const timePollInput = z.object({
  title: z
    .string()
    .trim()
    .min(3, 'polls.errors.meetingTitle')
    .max(120, 'polls.errors.meetingTitle')
    .refine(oneLine, 'polls.errors.meetingTitle'),
  body: optionalText,
  duration: z.coerce
    .number('polls.errors.duration')
    .int('polls.errors.duration')
    .min(15, 'polls.errors.duration')
    .max(720, 'polls.errors.duration'),
  votes,
  ...closing,
});

/** How many rows of times a "find a time" form shows: what it sent (and one more when asked), within bounds. */
export function timeRowsOf(body: unknown): number {
  const sent = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const rows = z.coerce.number().int().min(MIN_TIMES).max(MAX_TIMES).catch(FIRST_TIME_ROWS).parse(sent.rows);
  return Math.min(MAX_TIMES, rows + (sent.more !== undefined ? 1 : 0));
}

/**
 * The closing time, read on the writer's clock: null when both fields are empty; it must be in
 * the future, so that people have a chance to vote.
 */
export function closesAtOf(
  data: { closeDate: string | null; closeTime: string | null },
  timeZone: string,
  now: Date,
): Date | null {
  if (!data.closeDate && !data.closeTime) return null;
  const at =
    data.closeDate &&
    /^\d{4}-\d{2}-\d{2}$/u.test(data.closeDate) &&
    data.closeTime &&
    /^\d{2}:\d{2}$/u.test(data.closeTime)
      ? wallClockToUtc(data.closeDate, data.closeTime, timeZone)
      : null;
  if (!at) throw new Invalid({ closeDate: 'polls.errors.closeTime' });
  if (at.getTime() <= now.getTime()) throw new Invalid({ closeDate: 'polls.errors.closePast' });
  return at;
}

/**
 * The times a "find a time" form offers (date_0/time_0, date_1/time_1…), read on the writer's
 * clock; empty rows are left out. Between 2 and 10, each in the future, none twice.
 */
export function offeredTimes(body: unknown, timeZone: string, now: Date): Date[] {
  const sent = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const times: Date[] = [];
  for (let i = 0; i < MAX_TIMES; i += 1) {
    const date = typeof sent[`date_${i}`] === 'string' ? (sent[`date_${i}`] as string).trim() : '';
    const time = typeof sent[`time_${i}`] === 'string' ? (sent[`time_${i}`] as string).trim() : '';
    if (!date && !time) continue;
    const at =
      /^\d{4}-\d{2}-\d{2}$/u.test(date) && /^\d{2}:\d{2}$/u.test(time) ? wallClockToUtc(date, time, timeZone) : null;
    if (!at) throw new Invalid({ [`date_${i}`]: 'polls.errors.time' });
    if (at.getTime() <= now.getTime()) throw new Invalid({ [`date_${i}`]: 'polls.errors.timePast' });
    if (times.some((t) => t.getTime() === at.getTime())) throw new Invalid({ [`date_${i}`]: 'polls.errors.timeTwice' });
    times.push(at);
  }
  if (times.length < MIN_TIMES) throw new Invalid({ date_0: 'polls.errors.timeCount' });
  return times.sort((a, b) => a.getTime() - b.getTime());
}

/** The options ticked: one id or several, as a form sends them. */
const voteInput = z.object({
  option: z
    .union([z.string(), z.array(z.string())], 'polls.errors.chooseOne')
    .transform((v) => [v].flat().map(Number))
    .refine(
      (ids) => ids.length > 0 && ids.every((id) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647),
      'polls.errors.chooseOne',
    ),
});

export function chosenOptions(input: unknown): number[] {
  return [...new Set(parseInput(voteInput, input).option)];
}

/** "Schedule this time": which time, and the meeting's kind and place (the rest comes from the poll). */
export const scheduleInput = z.object({
  option: z.coerce.number('polls.errors.chooseTime').int('polls.errors.chooseTime').positive('polls.errors.chooseTime'),
});
