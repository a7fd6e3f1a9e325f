import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

/**
 * Where someone in crisis can turn, by country: data that site admins keep up to date, not code.
 * `country` is an ISO 3166-1 alpha-2 code, or 'ZZ' for services that answer every country.
 */
export const crisisResources = pgTable(
  'crisis_resources',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    country: text('country').notNull(),
    name: text('name').notNull(),
    /** What it is for, in a few words ("Emotional support, any time"). */
    description: text('description').notNull().default(''),
    phone: text('phone'),
    /** A number to text, and what to send if a keyword is needed ("text 988"). */
    sms: text('sms'),
    chatUrl: text('chat_url'),
    websiteUrl: text('website_url'),
    hours: text('hours').notNull().default(''),
    /** ISO 639-1 codes of the languages answered, comma-separated ("en,es"). */
    languages: text('languages').notNull().default(''),
    /** An emergency number (police, ambulance), shown first and apart from support lines. */
    emergency: boolean('emergency').notNull().default(false),
    position: integer('position').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('crisis_resources_country_idx').on(t.country, t.position)],
);

export const crisisAlertSourceEnum = pgEnum('crisis_alert_source', ['detection', 'flag']);

/**
 * A post that reads as someone who may be in danger, for the group's leaders to look at. The post
 * stays up; the alert is closed with a note once someone has looked after it.
 */
export const crisisAlerts = pgTable(
  'crisis_alerts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** The post it is about; null for a live chat message (chat_message_id). */
    threadId: integer('thread_id'),
    postId: integer('post_id'),
    /** A message in a live room (src/features/chat) rather than a post. */
    chatMessageId: bigint('chat_message_id', { mode: 'number' }),
    /** Who wrote the post: kept to send them a check-in, never shown to leaders for an anonymous post. */
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    source: crisisAlertSourceEnum('source').notNull(),
    /** Comma-separated risk categories ("suicide,overdose"). */
    categories: text('categories').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the leaders were emailed about it; null until then (the mail goes after the post is committed). */
    mailedAt: timestamp('mailed_at', { withTimezone: true }),
    /** The author asked the group's leaders to check in with them. */
    checkInRequestedAt: timestamp('check_in_requested_at', { withTimezone: true }),
    /** A leader sent the author a check-in message. */
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    index('crisis_alerts_group_idx').on(t.groupId, t.createdAt),
    // One open alert per post: a second detection (an edit) or a flag joins the open one.
    uniqueIndex('crisis_alerts_open_post_key')
      .on(t.postId)
      .where(sql`resolved_at is null`),
    uniqueIndex('crisis_alerts_open_chat_key')
      .on(t.chatMessageId)
      .where(sql`resolved_at is null and chat_message_id is not null`),
  ],
);

/** The country code that services answering every country are stored under. */
export const INTERNATIONAL = 'ZZ';

export type CrisisResource = typeof crisisResources.$inferSelect;
export type CrisisAlert = typeof crisisAlerts.$inferSelect;
