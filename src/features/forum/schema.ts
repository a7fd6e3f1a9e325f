import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

export const postStatusEnum = pgEnum('post_status', ['published', 'pending', 'rejected']);

export const threads = pgTable(
  'threads',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    pinned: boolean('pinned').notNull().default(false),
    locked: boolean('locked').notNull().default(false),
    /** Replies that are visible to members (not hidden, not deleted). */
    replyCount: integer('reply_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastPostAt: timestamp('last_post_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('threads_group_listing_idx').on(t.groupId, t.pinned, t.lastPostAt)],
);

export const posts = pgTable(
  'posts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    isOpening: boolean('is_opening').notNull().default(false),
    /** Pre-moderated groups: a member's post is pending until a leader approves (or rejects) it. */
    status: postStatusEnum('status').notNull().default('published'),
    body: text('body').notNull(),
    /** Sanitised HTML rendered from the Markdown body when it is written. */
    bodyHtml: text('body_html').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenBy: integer('hidden_by').references(() => users.id, { onDelete: 'set null' }),
    /** Shown as "Anonymous member": the author is kept (for editing, limits, moderation, reveal), never shown. */
    anonymous: boolean('anonymous').notNull().default(false),
    /**
     * "Anonymous 2": the author's place among the thread's anonymous authors, fixed when they first
     * post anonymously in it, so that the conversation stays readable and the label never shifts.
     */
    anonymousNumber: integer('anonymous_number'),
    /** The group let its facilitators reveal anonymous authors when this was posted (as the author was told). */
    facilitatorsMayReveal: boolean('facilitators_may_reveal').notNull().default(false),
    /**
     * A content warning: a preset's key ('suicide', 'self_harm', ...) or the author's own words;
     * null for none (src/features/content-warnings).
     */
    contentWarning: text('content_warning'),
    /*
     * Posts also have a `search` tsvector column with a GIN index (posts_search_idx), added and kept
     * by migration 0007's SQL (a trigger: body, and an opening post's thread title weighted higher,
     * in the group's language). It is left out of this table on purpose, so that the many queries
     * that load whole posts never carry it; only forum/search.ts reads it, in SQL.
     */
  },
  (t) => [
    index('posts_thread_idx').on(t.threadId, t.createdAt),
    index('posts_group_idx').on(t.groupId),
    // A person's recent posts, anywhere: posting limits and duplicate detection (trust).
    index('posts_author_idx').on(t.authorId, t.createdAt),
    // New posts of the last days, for the mailing lists' "every post" scan and digests.
    index('posts_created_at_idx').on(t.createdAt),
  ],
);

/** Earlier versions of a post, kept on every edit and shown to moderators. */
export const postRevisions = pgTable(
  'post_revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    title: text('title'),
    body: text('body').notNull(),
    /** When this version was replaced. */
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('post_revisions_post_idx').on(t.postId)],
);

export const reactionKindEnum = pgEnum('reaction_kind', ['support', 'me_too', 'thinking_of_you', 'helpful']);

export const reactions = pgTable(
  'reactions',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: reactionKindEnum('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId, t.kind] }), index('reactions_group_idx').on(t.groupId)],
);

export const reactionKinds = reactionKindEnum.enumValues;
export type ReactionKind = (typeof reactionKinds)[number];
export type Post = typeof posts.$inferSelect;
export type Thread = typeof threads.$inferSelect;
