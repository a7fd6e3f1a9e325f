import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { posts } from '../forum/schema.js';
import { groups } from '../groups/schema.js';

/** Why a member flagged a post; 'watched_word' is for flags raised automatically. */
export const flagReasonEnum = pgEnum('flag_reason', [
  'harmful',
  'unsafe_advice',
  'spam',
  'harassment',
  'danger',
  'other',
  'watched_word',
]);

/** What a moderator decided about a flagged post (each closes its open flags). */
export const flagOutcomeEnum = pgEnum('flag_outcome', [
  'approved',
  'hidden',
  'deleted',
  'content_warning',
  'warned',
  'silenced',
  'removed',
]);

/**
 * A member's flag on a post, or one raised automatically (watched words). Open flags put the post
 * in the group's review queue; a moderator's decision closes them all, and the flaggers are told
 * the outcome. Who flagged is never shown to the post's author.
 */
export const flags = pgTable(
  'flags',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id').notNull(),
    /** Null for an automatic flag, and once the flagger has deleted their account. */
    flaggerId: integer('flagger_id').references(() => users.id, { onDelete: 'set null' }),
    automatic: boolean('automatic').notNull().default(false),
    reason: flagReasonEnum('reason').notNull(),
    note: text('note'),
    /** The flagger was trusted (trust level 1 or more) when they flagged: it counts towards hiding. */
    counts: boolean('counts').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: integer('closed_by').references(() => users.id, { onDelete: 'set null' }),
    outcome: flagOutcomeEnum('outcome'),
  },
  (t) => [
    index('flags_group_open_idx')
      .on(t.groupId, t.createdAt)
      .where(sql`closed_at is null`),
    index('flags_post_idx').on(t.postId),
    index('flags_flagger_idx').on(t.flaggerId),
    // One open flag per member per post, and one open automatic flag per post.
    uniqueIndex('flags_open_member_key')
      .on(t.postId, t.flaggerId)
      .where(sql`closed_at is null and flagger_id is not null`),
    uniqueIndex('flags_open_automatic_key')
      .on(t.postId)
      .where(sql`closed_at is null and automatic`),
  ],
);

/**
 * A member paused from posting in one group until `endsAt` (or until a moderator lifts it). For the
 * author of an anonymous post it is shown by the post, never by the person's name.
 */
export const silences = pgTable(
  'silences',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The post the silence was decided on; for an anonymous post, the only way it is shown. */
    postId: integer('post_id'),
    anonymous: boolean('anonymous').notNull().default(false),
    reason: text('reason').notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftedBy: integer('lifted_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('silences_group_user_idx').on(t.groupId, t.userId, t.endsAt), index('silences_user_idx').on(t.userId)],
);

export type Flag = typeof flags.$inferSelect;
export type FlagReason = (typeof flagReasonEnum.enumValues)[number];
export type FlagOutcome = (typeof flagOutcomeEnum.enumValues)[number];
export type Silence = typeof silences.$inferSelect;
