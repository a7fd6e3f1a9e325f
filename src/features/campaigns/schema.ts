import {
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

export const campaignStatusEnum = pgEnum('campaign_status', ['draft', 'published', 'closed']);

/** An advocacy campaign a group publishes: a public page with a statement and a call to action. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** Its address: /campaigns/<slug>. */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    statement: text('statement').notNull(),
    statementHtml: text('statement_html').notNull(),
    /** What people are asked to do, in a sentence ("Sign our letter to the health board"). */
    callToAction: text('call_to_action').notNull().default(''),
    /** An event, a petition elsewhere, a page to read: http(s) only. */
    actionUrl: text('action_url'),
    /** When the campaign's event happens, if it has one. */
    eventAt: timestamp('event_at', { withTimezone: true }),
    /** People may add their name to the letter (otherwise the page only counts and links). */
    signable: boolean('signable').notNull().default(true),
    status: campaignStatusEnum('status').notNull().default('draft'),
    signatureCount: integer('signature_count').notNull().default(0),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('campaigns_slug_key').on(t.slug), index('campaigns_group_idx').on(t.groupId, t.status)],
);

export const campaignUpdates = pgTable(
  'campaign_updates',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').notNull(),
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaign_updates_campaign_idx').on(t.campaignId, t.createdAt)],
);

/**
 * A member's signature. Signing publicly shows their name in the group (alias or pseudonym) on the
 * campaign's page; signing anonymously only counts.
 */
export const campaignSignatures = pgTable(
  'campaign_signatures',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').notNull(),
    public: boolean('public').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId] })],
);

export type Campaign = typeof campaigns.$inferSelect;
