import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import { posts } from '../forum/schema.js';

export const resourceKindEnum = pgEnum('resource_kind', ['link', 'article']);
export const resourceStatusEnum = pgEnum('resource_status', ['suggested', 'approved', 'declined']);

/**
 * A group's resource library: links and short articles that members suggest and moderators approve.
 * Resources also have a `search` tsvector column (GIN), kept by a trigger in migration SQL, like posts.
 */
export const resources = pgTable(
  'resources',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** Who suggested or wrote it; kept for moderators, shown under the member's name in the group. */
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    kind: resourceKindEnum('kind').notNull(),
    title: text('title').notNull(),
    /** A link's address (http or https); null for an article. */
    url: text('url'),
    /** A link's description or an article's text, in Markdown. */
    body: text('body').notNull().default(''),
    bodyHtml: text('body_html').notNull().default(''),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: resourceStatusEnum('status').notNull().default('suggested'),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** When a moderator last checked it is still right ("last reviewed"). */
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    /** Professionally run groups: a facilitator vouched for it. */
    facilitatorReviewedBy: integer('facilitator_reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    facilitatorReviewedAt: timestamp('facilitator_reviewed_at', { withTimezone: true }),
    /** "This helped me" votes. */
    helpedCount: integer('helped_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('resources_group_idx').on(t.groupId, t.status, t.createdAt)],
);

export const resourceVotes = pgTable(
  'resource_votes',
  {
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.resourceId, t.userId] })],
);

export const copingStatusEnum = pgEnum('coping_status', ['requested', 'approved', 'declined']);

/**
 * "What helped me": a reply saved to the group's collection of coping strategies. It appears only
 * once its author consents, attributed to their name in the group (alias or pseudonym).
 */
export const copingStrategies = pgTable(
  'coping_strategies',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    /** Who asked to save it (null once their account is gone). */
    savedBy: integer('saved_by').references(() => users.id, { onDelete: 'set null' }),
    /** A short title for the collection ("Breathing through a panic attack"). */
    title: text('title').notNull(),
    status: copingStatusEnum('status').notNull().default('requested'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('coping_strategies_post_key').on(t.postId),
    index('coping_strategies_group_idx').on(t.groupId, t.status),
  ],
);

export type Resource = typeof resources.$inferSelect;
export type CopingStrategy = typeof copingStrategies.$inferSelect;
