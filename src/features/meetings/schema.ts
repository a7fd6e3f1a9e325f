import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

/** Where a meeting happens: a room somewhere, a phone line, or Mutual's own live room. */
export const meetingKindEnum = pgEnum('meeting_kind', ['in_person', 'phone', 'online']);

/** A member's answer for one occurrence; waitlisted when they said "going" to a full meeting. */
export const rsvpStatusEnum = pgEnum('rsvp_status', ['going', 'maybe', 'not_going', 'waitlisted']);

/**
 * A meeting a group's leaders schedule: once, or again and again by an RFC 5545 rule read in the
 * meeting's own time zone ("every second Tuesday at 19:00 Europe/London" stays at 19:00 across
 * daylight-saving changes). Its dates are kept as rows in meeting_occurrences.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** Markdown, as written, and sanitised HTML made from it. */
    description: text('description').notNull().default(''),
    descriptionHtml: text('description_html').notNull().default(''),
    kind: meetingKindEnum('kind').notNull(),
    /** IANA zone the times and the rule are read in ("Europe/London"). */
    timeZone: text('time_zone').notNull(),
    /** The first occurrence's start. */
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull().default(60),
    /** An RFC 5545 RRULE value without DTSTART ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"); null for a one-off. */
    rrule: text('rrule'),
    /** In person: where, how to get there, what to know about access. */
    address: text('address'),
    directions: text('directions'),
    accessibilityNotes: text('accessibility_notes'),
    /** By phone: shown to members only. */
    dialIn: text('dial_in'),
    dialInPin: text('dial_in_pin'),
    /** Places at each occurrence; null for no limit. Support circles are kept small. */
    capacity: integer('capacity').default(12),
    /** When full, "going" puts a member on a waitlist rather than refusing. */
    waitlist: boolean('waitlist').notNull().default(true),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The whole series was cancelled. */
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [index('meetings_group_idx').on(t.groupId)],
);

/**
 * One date of a meeting. Rows are made ahead (a few months) from the rule, and topped up by the
 * worker; an exception is an occurrence cancelled or moved on its own.
 */
export const meetingOccurrences = pgTable(
  'meeting_occurrences',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** Where the rule put it (the RECURRENCE-ID), which stays the same when the occurrence is moved. */
    originalStartsAt: timestamp('original_starts_at', { withTimezone: true }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelNote: text('cancel_note'),
    /** A facilitator ended the online meeting's live room. */
    liveEndedAt: timestamp('live_ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('meeting_occurrences_original_key').on(t.meetingId, t.originalStartsAt),
    index('meeting_occurrences_group_idx').on(t.groupId, t.startsAt),
    index('meeting_occurrences_starts_idx')
      .on(t.startsAt)
      .where(sql`cancelled_at is null`),
  ],
);

/** Members' answers, per occurrence. The waitlist is in order of responded_at. */
export const meetingRsvps = pgTable(
  'meeting_rsvps',
  {
    occurrenceId: integer('occurrence_id')
      .notNull()
      .references(() => meetingOccurrences.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: rsvpStatusEnum('status').notNull(),
    respondedAt: timestamp('responded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.occurrenceId, t.userId] }),
    index('meeting_rsvps_user_idx').on(t.userId),
    index('meeting_rsvps_waitlist_idx')
      .on(t.occurrenceId, t.respondedAt)
      .where(sql`status = 'waitlisted'`),
  ],
);

/**
 * A member's secret calendar address (their meetings, and the groups they belong to, as .ics).
 * Only a hash is kept; resetting it makes a new token and the old address stops working.
 */
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Whether the member wants meeting reminders, and how (per account; every group). */
export const meetingReminderSettings = pgTable('meeting_reminder_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  byEmail: boolean('by_email').notNull().default(true),
  inApp: boolean('in_app').notNull().default(true),
  /** Remind 24 hours before, and 1 hour before. */
  dayBefore: boolean('day_before').notNull().default(true),
  hourBefore: boolean('hour_before').notNull().default(true),
});

export type Meeting = typeof meetings.$inferSelect;
export type MeetingOccurrence = typeof meetingOccurrences.$inferSelect;
export type MeetingRsvp = typeof meetingRsvps.$inferSelect;
export type MeetingKind = (typeof meetingKindEnum.enumValues)[number];
export type RsvpStatus = (typeof rsvpStatusEnum.enumValues)[number];
