import { boolean, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

/**
 * A group's guidelines and community agreements ("what is said here stays here"), which every
 * member accepts on joining or applying, and again when they change (version grows), and the
 * welcome its leaders send each new member.
 */
export const groupAgreements = pgTable('group_agreements', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** Markdown, as written, and sanitised HTML made from it. */
  body: text('body').notNull().default(''),
  bodyHtml: text('body_html').notNull().default(''),
  /** 0 while the group has none; each change that asks members to accept again adds one. */
  version: integer('version').notNull().default(0),
  /** Sent to each new member from the group's leaders; empty for none. */
  welcomeMessage: text('welcome_message').notNull().default(''),
  /** Digests carry a reminder of the agreements once a month. */
  monthlyReminder: boolean('monthly_reminder').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
});

/** Which version of a group's agreements a person accepted, and when. */
export const agreementAcceptances = pgTable(
  'agreement_acceptances',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] })],
);

export type GroupAgreements = typeof groupAgreements.$inferSelect;
