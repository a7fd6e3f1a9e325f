import { z } from 'zod';
import { Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { isTimeZone, wallClockToUtc } from '../../platform/text/zoned-time.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { firstStart, normaliseRule, presetRule, repeatChoices } from './occurrences.js';
import { meetingKindEnum, type Meeting } from './schema.js';

/*
 * What the meeting forms send, checked with zod; every message is a key in the catalog's
 * meetings.errors, so a form that is wrong comes back with the person's text and a clear message.
 */

const oneLine = (s: string) => !/[\r\n]/u.test(s);

/** An optional line of text: empty becomes null. */
const optionalLine = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .refine(oneLine, message)
    .optional()
    .transform((v) => v || null);

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v || null);

const dateField = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/u, 'meetings.errors.date');
const timeField = z
  .string()
  .trim()
  .regex(/^\d{2}:\d{2}$/u, 'meetings.errors.time');
const zoneField = z.string().trim().refine(isTimeZone, 'meetings.errors.timeZone');

export const meetingInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(3, 'meetings.errors.title')
      .max(120, 'meetings.errors.title')
      .refine(oneLine, 'meetings.errors.title'),
    description: optionalText(10_000, 'meetings.errors.description').transform((v) => v ?? ''),
    kind: z.enum(meetingKindEnum.enumValues, 'meetings.errors.kind'),
    date: dateField,
    time: timeField,
    timeZone: zoneField,
    duration: z.coerce
      .number('meetings.errors.duration')
      .int('meetings.errors.duration')
      .min(15, 'meetings.errors.duration')
      .max(720, 'meetings.errors.duration'),
    repeat: z.enum(repeatChoices, 'meetings.errors.repeat'),
    rrule: z.string().max(500, 'meetings.errors.rruleLong').optional(),
    address: optionalLine(300, 'meetings.errors.address'),
    directions: optionalText(2000, 'meetings.errors.directions'),
    accessibilityNotes: optionalText(2000, 'meetings.errors.accessibilityNotes'),
    dialIn: optionalLine(100, 'meetings.errors.dialIn'),
    dialInPin: optionalLine(40, 'meetings.errors.dialInPin'),
    // Empty for no limit.
    capacity: z
      .string()
      .trim()
      .regex(/^\d{0,4}$/u, 'meetings.errors.capacity')
      .optional()
      .transform((v) => (v ? Number(v) : null))
      .refine((v) => v === null || (v >= 1 && v <= 1000), 'meetings.errors.capacity'),
    // A checkbox: present when ticked.
    waitlist: z
      .string()
      .optional()
      .transform((v) => v !== undefined),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'in_person' && !v.address)
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'meetings.errors.addressNeeded' });
    if (v.kind === 'phone' && !v.dialIn)
      ctx.addIssue({ code: 'custom', path: ['dialIn'], message: 'meetings.errors.dialInNeeded' });
  });

/** A meeting's row as the form describes it (without its group, author or dates of record). */
export type MeetingFields = Pick<
  Meeting,
  | 'title'
  | 'description'
  | 'descriptionHtml'
  | 'kind'
  | 'timeZone'
  | 'startsAt'
  | 'durationMinutes'
  | 'rrule'
  | 'address'
  | 'directions'
  | 'accessibilityNotes'
  | 'dialIn'
  | 'dialInPin'
  | 'capacity'
  | 'waitlist'
>;

/**
 * The form's fields as a meeting: the first date and time read on the chosen zone's clock, the
 * repeat choice made into a rule (or the typed rule checked), and only the place of its kind kept.
 */
export function meetingFields(input: unknown): MeetingFields {
  const data = parseInput(meetingInput, input);
  const dtstart = wallClockToUtc(data.date, data.time, data.timeZone);
  if (!dtstart) throw new Invalid({ date: 'meetings.errors.date' });
  let rrule: string | null;
  if (data.repeat === 'custom') {
    const read = normaliseRule(data.rrule ?? '');
    if ('error' in read) throw new Invalid({ rrule: read.error });
    rrule = read.rule;
  } else {
    rrule = presetRule(data.repeat, dtstart, data.timeZone);
  }
  // The first meeting is the rule's first date on or after the one given, so DTSTART always agrees with the rule.
  const startsAt = firstStart({ startsAt: dtstart, timeZone: data.timeZone, rrule });
  if (!startsAt) throw new Invalid({ rrule: 'meetings.errors.rruleNoDates' });
  const inPerson = data.kind === 'in_person';
  const phone = data.kind === 'phone';
  return {
    title: data.title,
    description: data.description,
    descriptionHtml: renderMarkdown(data.description),
    kind: data.kind,
    timeZone: data.timeZone,
    startsAt,
    durationMinutes: data.duration,
    rrule,
    address: inPerson ? data.address : null,
    directions: inPerson ? data.directions : null,
    accessibilityNotes: inPerson ? data.accessibilityNotes : null,
    dialIn: phone ? data.dialIn : null,
    dialInPin: phone ? data.dialInPin : null,
    capacity: data.capacity,
    waitlist: data.waitlist,
  };
}

export const cancelInput = z.object({
  note: optionalText(1000, 'meetings.errors.note'),
});

export const moveInput = z.object({ date: dateField, time: timeField, timeZone: zoneField });

export const rsvpInput = z.object({
  status: z.enum(['going', 'maybe', 'not_going'], 'meetings.errors.status'),
});
export type RsvpAnswer = z.infer<typeof rsvpInput>['status'];
