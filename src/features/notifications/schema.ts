import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import { listings } from '../directory/schema.js';
import { meetingOccurrences } from '../meetings/schema.js';

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
  ],
);

export type Notification = typeof notifications.$inferSelect;
export type NotificationKind = (typeof notificationKindEnum.enumValues)[number];
