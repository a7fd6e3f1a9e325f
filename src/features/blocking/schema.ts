import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { posts, threads } from '../forum/schema.js';
import { groups } from '../groups/schema.js';

/**
 * One member blocked another, in one group. A block holds only in the group where it was made: a
 * block that followed the person into other groups would show the blocker which alias there
 * belongs to the same account.
 */
export const blocks = pgTable(
  'blocks',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    blockerId: integer('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: integer('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The name the blocker saw (an alias or a pseudonym), kept so that the list never shows another. */
    blockedName: text('blocked_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.blockerId, t.blockedId] }),
    index('blocks_blocked_idx').on(t.groupId, t.blockedId),
    index('blocks_blocker_idx').on(t.blockerId),
  ],
);

/** "Hide this post for me": what a member is offered instead of a block on an anonymous post. */
export const hiddenPosts = pgTable(
  'hidden_posts',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] }), index('hidden_posts_group_idx').on(t.groupId)],
);

/** A member muted a thread: it leaves their thread list and (issue 15) sends them no notifications. */
export const threadMutes = pgTable(
  'thread_mutes',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] }), index('thread_mutes_group_idx').on(t.groupId)],
);

export type Block = typeof blocks.$inferSelect;
