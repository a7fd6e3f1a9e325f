import { index, integer, pgEnum, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

/**
 * How closely a person follows a thread or a group: watching (told of every post), tracking (told of
 * replies to them and mentions: the default for threads they start or reply to), muted (told of
 * nothing but mentions). A thread's "muted" is blocking's thread_mutes, which also hides it from
 * lists: thread_follows holds watching and tracking only.
 */
export const followLevelEnum = pgEnum('follow_level', ['watching', 'tracking', 'muted']);

export const threadFollows = pgTable(
  'thread_follows',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id').notNull(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    level: followLevelEnum('level').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] }), index('thread_follows_thread_idx').on(t.threadId, t.level)],
);

export const groupFollows = pgTable(
  'group_follows',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    level: followLevelEnum('level').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), index('group_follows_group_idx').on(t.groupId, t.level)],
);

/** Who a post mentioned, so that an edit tells only people newly mentioned. */
export const mentions = pgTable(
  'mentions',
  {
    postId: integer('post_id').notNull(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] }), index('mentions_user_idx').on(t.userId)],
);

export type FollowLevel = (typeof followLevelEnum.enumValues)[number];
