import {
  boolean,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups, memberships } from '../groups/schema.js';
import { posts } from '../forum/schema.js';

/** How a member follows a group by email. */
export const listModeEnum = pgEnum('list_mode', ['every_post', 'daily', 'weekly', 'none']);
export type ListMode = (typeof listModeEnum.enumValues)[number];

/** A group's mailing list, as its owner sets it up. No row: the defaults below. */
export const listSettings = pgTable('list_settings', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** What new members get; existing members keep their own choice. */
  defaultMode: listModeEnum('default_mode').notNull().default('daily'),
  /** Members whose email is verified may start a discussion by writing to the group's address. */
  postByEmail: boolean('post_by_email').notNull().default(true),
  /** The newsletter archive is readable by anyone (public groups only), not just members. */
  newsletterArchivePublic: boolean('newsletter_archive_public').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A member's email choice for one group. A trigger adds the row when someone joins (with the
 * group's default at that moment); leaving the group removes it.
 */
export const listSubscriptions = pgTable(
  'list_subscriptions',
  {
    groupId: integer('group_id').notNull(),
    userId: integer('user_id').notNull(),
    mode: listModeEnum('mode').notNull(),
    /** The group's newsletters reach this member (they can turn them off with one click). */
    newsletters: boolean('newsletters').notNull().default(true),
    /** The end of the window the last digest covered; the next covers from here. */
    lastDigestAt: timestamp('last_digest_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    foreignKey({ columns: [t.groupId, t.userId], foreignColumns: [memberships.groupId, memberships.userId] }).onDelete(
      'cascade',
    ),
    index('list_subscriptions_user_idx').on(t.userId),
    index('list_subscriptions_group_mode_idx').on(t.groupId, t.mode),
  ],
);

/** A person's mail settings across groups. No row: the defaults. */
export const mailSettings = pgTable('mail_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The hour of the day (0–23, in the person's time zone) digests are sent. */
  digestHour: smallint('digest_hour').notNull().default(8),
  /** The day weekly digests are sent: 0 Sunday … 6 Saturday. */
  digestWeekday: smallint('digest_weekday').notNull().default(1),
  /** Hard bounces since mail last reached the address. */
  hardBounces: integer('hard_bounces').notNull().default(0),
  /** Set after 3 hard bounces: no list mail goes out until the person resumes it. */
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A bounce (a delivery status notification to a VERP address) received for a person's address. */
export const mailBounces = pgTable(
  'mail_bounces',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hard: boolean('hard').notNull(),
    /** The status code and the server's words ("5.1.1 user unknown"), without addresses. */
    diagnostic: text('diagnostic').notNull().default(''),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mail_bounces_user_idx').on(t.userId, t.receivedAt)],
);

/** Posts whose "every post" mail has been queued: each post is mailed once. */
export const listMailings = pgTable(
  'list_mailings',
  {
    postId: integer('post_id')
      .primaryKey()
      .references(() => posts.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('list_mailings_queued_at_idx').on(t.queuedAt)],
);

/**
 * Mail received and posted, by its Message-ID: the same message delivered twice (a retrying
 * server, a member who sends again) is posted once. Only the id and the post are kept.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    messageId: text('message_id').primaryKey(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    postId: integer('post_id').references(() => posts.id, { onDelete: 'set null' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inbound_messages_received_at_idx').on(t.receivedAt)],
);

export type ListSettings = typeof listSettings.$inferSelect;
export type ListSubscription = typeof listSubscriptions.$inferSelect;
export type MailSettings = typeof mailSettings.$inferSelect;
export const listModes = listModeEnum.enumValues;
