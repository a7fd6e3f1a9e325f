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
import { posts, threads } from '../forum/schema.js';

/** A member's choices about giving and receiving support. No row: the defaults. */
export const supportSettings = pgTable('support_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** "Someone in this group is waiting for a reply" suggestions after the member was helped. */
  replyPrompts: boolean('reply_prompts').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A short private thank-you for a reply: only the person thanked sees it (and its sender, their own). */
export const thanks = pgTable(
  'thanks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    fromUserId: integer('from_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    toUserId: integer('to_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('thanks_post_from_key').on(t.postId, t.fromUserId),
    index('thanks_to_idx').on(t.toUserId, t.createdAt),
  ],
);

export const badgeEnum = pgEnum('support_badge', ['first_reply', 'welcomer', 'steady_presence']);
export type Badge = (typeof badgeEnum.enumValues)[number];

/**
 * Badges a member has earned (computed from what they did), and whether they chose to show each one.
 * Earned badges are private until shown; nothing ranks members against each other.
 */
export const memberBadges = pgTable(
  'member_badges',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    badge: badgeEnum('badge').notNull(),
    earnedAt: timestamp('earned_at', { withTimezone: true }).notNull().defaultNow(),
    shown: boolean('shown').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.userId, t.badge] })],
);

/**
 * Threads whose author was told, 24 hours on with no reply, that their post was seen: each is told
 * once. Only the thread is kept.
 */
export const unansweredNotices = pgTable('unanswered_notices', {
  threadId: integer('thread_id')
    .primaryKey()
    .references(() => threads.id, { onDelete: 'cascade' }),
  groupId: integer('group_id').notNull(),
  notifiedAt: timestamp('notified_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Thanks = typeof thanks.$inferSelect;
