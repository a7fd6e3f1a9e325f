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
import { listings } from '../directory/schema.js';
import { meetingOccurrences } from '../meetings/schema.js';
import { conversations } from '../messages/schema.js';

export const notificationKindEnum = pgEnum('notification_kind', [
  'author_revealed',
  'flag_outcome',
  'moderator_warning',
  'silenced',
  'crisis_alert',
  'check_in_request',
  'check_in_message',
  'listing_approved',
  'listing_declined',
  'listing_claim_approved',
  'listing_claim_declined',
  /** Someone thanked the person for a reply (src/features/support). */
  'thanks_received',
  /** The person's first discussion had no reply for a day: it was seen (src/features/support). */
  'thread_seen',
  /** A member asked to save the person's reply as a coping strategy (src/features/resources). */
  'coping_request',
  /** A resource the person suggested was approved or declined (src/features/resources). */
  'resource_approved',
  'resource_declined',
  /** A meeting the person said they would go to starts in a day, or in an hour (src/features/meetings). */
  'meeting_reminder',
  /** A place freed up and the person moved from the waitlist to going. */
  'meeting_place_offered',
  /** An occurrence the person answered was cancelled, or moved to another time. */
  'meeting_cancelled',
  'meeting_changed',
  /** Someone replied to the person's discussion or to one of their posts (src/features/following). */
  'reply',
  /** Someone mentioned the person by their name (src/features/following). */
  'mention',
  /** A new post in a thread or group the person watches (src/features/following). */
  'watched_post',
  /** Reactions to the person's post, batched into one unread notification per post ("3 people sent support"). */
  'reactions',
  /** An application to join a group was approved or declined. */
  'application_decision',
  /** For a group's leaders: something needs a moderator (a flag, a post waiting for approval). */
  'moderator_alert',
  /** Someone new asked to start a private conversation (src/features/messages). */
  'message_request',
  /** A new private message in a conversation the person is in. */
  'private_message',
  /** A new member's welcome from the group's leaders (its words are the group's welcome message; src/features/agreements). */
  'group_welcome',
  /** The group's agreements changed: the member accepts them again before posting. */
  'agreements_changed',
  /** A poll the person voted in closed, with its result (src/features/polls). */
  'poll_closed',
]);

/**
 * Things a person is told on their notifications page (and counted in the header until read).
 * What a notification says is written from its kind and fields when the page is shown, so it
 * follows the reader's language.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: notificationKindEnum('kind').notNull(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id'),
    postId: integer('post_id'),
    /** A listing of a group hosted elsewhere that the person submitted or claimed (src/features/directory). */
    listingId: integer('listing_id').references(() => listings.id, { onDelete: 'cascade' }),
    /** The meeting occurrence it is about (src/features/meetings). */
    occurrenceId: integer('occurrence_id').references(() => meetingOccurrences.id, { onDelete: 'cascade' }),
    /** A private conversation (src/features/messages). */
    conversationId: integer('conversation_id').references(() => conversations.id, { onDelete: 'cascade' }),
    /** How many things this one notification stands for (reactions batched on one post). */
    count: integer('count').notNull().default(1),
    /**
     * Notifications with the same key are one while unread: a new one adds to `count` instead of
     * making another row ("reactions:post:42").
     */
    batchKey: text('batch_key'),
    /** When this should go out by email (the person's batching and quiet hours); null: not by email. */
    emailDueAt: timestamp('email_due_at', { withTimezone: true }),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    /** Sent by Web Push (or decided not to); null while pending for a person with push on. */
    pushedAt: timestamp('pushed_at', { withTimezone: true }),
    /** Who did it, as a role ("site administrator"), never by name. */
    actorRole: text('actor_role'),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`read_at is null`),
    uniqueIndex('notifications_batch_key')
      .on(t.userId, t.batchKey)
      .where(sql`read_at is null and batch_key is not null`),
    index('notifications_email_due_idx')
      .on(t.emailDueAt)
      .where(sql`emailed_at is null and email_due_at is not null`),
  ],
);

/** What a person wants to be told of, by kind and channel; a missing row means the kind's defaults. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: notificationKindEnum('kind').notNull(),
    inApp: boolean('in_app').notNull(),
    email: boolean('email').notNull(),
    push: boolean('push').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** A person's notification settings that are not per kind. */
export const notificationSettings = pgTable('notification_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** Quiet hours on the person's own clock, minutes after midnight (from, until); null: none. */
  quietFrom: integer('quiet_from'),
  quietUntil: integer('quiet_until'),
  /** At most one notification email per this many minutes. */
  emailEveryMinutes: integer('email_every_minutes').notNull().default(60),
  lastEmailAt: timestamp('last_email_at', { withTimezone: true }),
  /** Lock-screen privacy: pushes and emails say only "You have a new reply on Mutual" unless these are on. */
  pushDetails: boolean('push_details').notNull().default(false),
  emailDetails: boolean('email_details').notNull().default(false),
});

export type Notification = typeof notifications.$inferSelect;
export type NotificationKind = (typeof notificationKindEnum.enumValues)[number];
