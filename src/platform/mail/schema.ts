import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Mail that would have been sent when no SMTP server is configured (the embedded default),
 * kept so that nothing is lost and site admins can read it at /admin/outbox.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    to: text('to').notNull(),
    /** The From header as it would have been sent ("Sam via Caregivers Circle" <caregivers@…>); null: MAIL_FROM. */
    from: text('from'),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    /** The HTML part, when the message has one. */
    html: text('html'),
    /** Every other header it would have carried (List-Id, List-Unsubscribe, In-Reply-To, Reply-To…). */
    headers: jsonb('headers').$type<Record<string, string>>(),
    /** The Message-ID it was sent with. List mail shares one Message-ID among its recipients. */
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outbox_created_at_idx').on(t.createdAt),
    // A delivery tried twice is kept once.
    uniqueIndex('outbox_message_to_key').on(t.messageId, t.to),
  ],
);

/**
 * What has been handed to the mail server, by idempotency key ("post:42:u:7"): a job retried after
 * a crash skips the recipients it already reached. The key names no address; rows go after 30 days.
 */
export const mailSent = pgTable(
  'mail_sent',
  {
    key: text('key').primaryKey(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mail_sent_sent_at_idx').on(t.sentAt)],
);
