import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

export const newsletterStatusEnum = pgEnum('newsletter_status', ['draft', 'scheduled', 'sending', 'sent']);
export const newsletterAudienceEnum = pgEnum('newsletter_audience', ['members', 'members_and_subscribers']);

/** A group's newsletter: written in Markdown by its owner, facilitators or organisation admins. */
export const newsletters = pgTable(
  'newsletters',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    audience: newsletterAudienceEnum('audience').notNull().default('members'),
    status: newsletterStatusEnum('status').notNull().default('draft'),
    /** When a scheduled newsletter goes out. */
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** How many it was sent to, once sent. */
    recipientCount: integer('recipient_count'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('newsletters_group_idx').on(t.groupId, t.createdAt),
    index('newsletters_scheduled_idx').on(t.scheduledFor),
  ],
);

/**
 * People outside the group who asked for its newsletters on its public page. The address is kept
 * only from the request: until confirmed (double opt-in) it receives nothing but the confirmation;
 * unsubscribing deletes the row.
 */
export const newsletterSubscribers = pgTable(
  'newsletter_subscribers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** Lower-cased; never shown to anyone, the group's leaders included. */
    email: text('email').notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('newsletter_subscribers_group_email_key').on(t.groupId, t.email)],
);

export type Newsletter = typeof newsletters.$inferSelect;
export type NewsletterSubscriber = typeof newsletterSubscribers.$inferSelect;
