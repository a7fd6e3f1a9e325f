import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

/** A PostgreSQL text-search configuration's name ('english', 'spanish', 'simple'). */
const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** How a group keeps in touch; a group or listing offers one or more. */
export const directoryFormats = ['forum', 'chat', 'online_meetings', 'in_person', 'phone', 'mailing_list'] as const;
export type DirectoryFormat = (typeof directoryFormats)[number];

/** Who a group is for: people going through it themselves, or the family, friends and carers of someone who is. */
export const directoryAudiences = ['self', 'carers'] as const;
export type DirectoryAudience = (typeof directoryAudiences)[number];

/** How to get in: the join policies of a group (paid: a membership fee). */
export const directoryAccess = ['open', 'approval', 'invitation', 'paid'] as const;
export type DirectoryAccess = (typeof directoryAccess)[number];

/** Where a meeting happens. */
export const meetingPlaces = ['online', 'in_person', 'phone'] as const;

export const entryKindEnum = pgEnum('directory_entry_kind', ['group', 'listing']);
export const listingStatusEnum = pgEnum('listing_status', ['pending', 'approved', 'declined', 'claimed']);
export const claimStatusEnum = pgEnum('listing_claim_status', ['pending', 'approved', 'declined']);

/**
 * The taxonomy of conditions and life situations groups are filed under. Top-level topics (no
 * parent) are categories ("Mental health"); their children are specific ("Depression"). Synonyms
 * are lower-case words, phrases and abbreviations in any language ("ms", "bereavement", "aa") that
 * search expands to the topic. Site admins edit it; a built-in one is seeded by a migration.
 */
export const topics = pgTable(
  'topics',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => topics.id, { onDelete: 'set null' }),
    synonyms: text('synonyms')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Topics about caring for someone else (caregiving, dementia carers): the guided flow favours them for carers. */
    forCarers: boolean('for_carers').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('topics_slug_key').on(t.slug), index('topics_parent_idx').on(t.parentId)],
);

/**
 * Groups hosted elsewhere (in person, by phone, on another platform), submitted by anyone signed
 * in and shown in the directory once a site admin approves them. Where, when and what they are
 * about lives in their directory entry, as it does for groups.
 */
export const listings = pgTable(
  'listings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** How to reach the group: an email address, phone number or address the organiser chose to publish. */
    contact: text('contact').notNull().default(''),
    website: text('website'),
    /** The organisation or person that runs it, as they wish to be named. */
    organiser: text('organiser').notNull().default(''),
    status: listingStatusEnum('status').notNull().default('pending'),
    submittedBy: integer('submitted_by').references(() => users.id, { onDelete: 'set null' }),
    reviewedBy: integer('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
    /** Set when the organiser claimed the listing and turned it into a Mutual group. */
    claimedGroupId: integer('claimed_group_id').references(() => groups.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('listings_status_idx').on(t.status, t.createdAt), index('listings_submitted_by_idx').on(t.submittedBy)],
);

/** An organiser's request to take over a listing and turn it into a Mutual group; a site admin decides. */
export const listingClaims = pgTable(
  'listing_claims',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** How they are connected to the group, so an admin can check. */
    message: text('message').notNull(),
    status: claimStatusEnum('status').notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('listing_claims_listing_idx').on(t.listingId), index('listing_claims_user_idx').on(t.userId)],
);

/**
 * One row per group and per listing: what the directory, search, the guided flow and the sitemap
 * read. For a group, the columns copied from `groups` (name … member_count) are kept up to date by
 * a trigger on `groups` (migration 0007); the directory settings (topics, formats, audiences,
 * place, search engines) are the group leaders' own, edited at /g/:slug/listing; the activity
 * columns are refreshed by the directory's stats job. `search` is set by a trigger from the name
 * (weight A), tags and topic names and synonyms (B), summary (C) and description (D), in the
 * entry's language's text-search configuration, plus the name and tags unstemmed ('simple').
 */
export const directoryEntries = pgTable(
  'directory_entries',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: entryKindEnum('kind').notNull(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    listingId: integer('listing_id').references(() => listings.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    summary: text('summary').notNull().default(''),
    description: text('description').notNull().default(''),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    language: text('language').notNull().default('en'),
    tsConfig: regconfig('ts_config').notNull().default('simple'),
    leadership: text('leadership').notNull().default('peer'),
    access: text('access').notNull().default('open'),
    free: boolean('free').notNull().default(true),
    /** Groups: listed (not unlisted). Listings: approved. Only listed entries are ever shown. */
    listed: boolean('listed').notNull().default(false),
    /** 'public' or 'members' (a members-only group is findable; its discussions are not). */
    visibility: text('visibility').notNull().default('public'),
    formats: text('formats')
      .array()
      .notNull()
      .default(sql`'{forum}'::text[]`),
    audiences: text('audiences')
      .array()
      .notNull()
      .default(sql`'{self}'::text[]`),
    topicIds: integer('topic_ids')
      .array()
      .notNull()
      .default(sql`'{}'::int[]`),
    /** Where an in-person group meets: a place name from the gazetteer and its coordinates. */
    placeName: text('place_name'),
    countryCode: text('country_code'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** The group chose to be found by search engines (public pages, sitemap). Approved listings always are. */
    searchEngines: boolean('search_engines').notNull().default(false),
    memberCount: integer('member_count').notNull().default(0),
    /** Distinct people who posted in the last 30 days. */
    activeMembers: integer('active_members').notNull().default(0),
    postsLast30Days: integer('posts_last_30_days').notNull().default(0),
    /** Share (0–1) of discussions started in the last 90 days that got a reply. */
    replyRate: real('reply_rate').notNull().default(0),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
    search: tsvector('search'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('directory_entries_group_key').on(t.groupId),
    uniqueIndex('directory_entries_listing_key').on(t.listingId),
    index('directory_entries_search_idx').using('gin', t.search),
    index('directory_entries_topics_idx').using('gin', t.topicIds),
    index('directory_entries_formats_idx').using('gin', t.formats),
    index('directory_entries_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('directory_entries_listed_idx').on(t.listed, t.lastActivityAt),
    index('directory_entries_place_idx').on(t.latitude, t.longitude),
    // The sitemap reads only the entries search engines may list, in id order, a file at a time.
    index('directory_entries_findable_idx')
      .on(t.id)
      .where(sql`listed and search_engines and visibility = 'public'`),
  ],
);

/**
 * When a group or listing meets, every week: the weekday and minute of the day in its own time
 * zone, and the same moment as a minute of the week in UTC (0 = Sunday 00:00 UTC), which the
 * directory compares with the visitor's "evenings" or "weekends" in their time zone. The UTC minute
 * is computed when saved and again by the stats job (daylight saving moves it).
 */
export const meetingTimes = pgTable(
  'meeting_times',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    entryId: integer('entry_id')
      .notNull()
      .references(() => directoryEntries.id, { onDelete: 'cascade' }),
    /** The group's id for a group's meeting; null for a listing's. */
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    /** 0 Sunday … 6 Saturday, in the meeting's time zone. */
    weekday: smallint('weekday').notNull(),
    /** Minutes after midnight, in the meeting's time zone. */
    startMinute: smallint('start_minute').notNull(),
    durationMinutes: smallint('duration_minutes').notNull().default(60),
    timeZone: text('time_zone').notNull(),
    place: text('place').notNull().default('online'),
    utcWeekMinute: integer('utc_week_minute').notNull(),
  },
  (t) => [index('meeting_times_entry_idx').on(t.entryId), index('meeting_times_utc_idx').on(t.utcWeekMinute)],
);

/** Lexicon for "did you mean": the words of entries' names, tags and topics, refreshed by the stats job. */
export const searchWords = pgTable(
  'search_words',
  {
    word: text('word').primaryKey(),
    /** How many entries use it: a more common correction wins a tie. */
    entries: integer('entries').notNull().default(0),
  },
  (t) => [index('search_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
);

export type Topic = typeof topics.$inferSelect;
export type Listing = typeof listings.$inferSelect;
export type ListingClaim = typeof listingClaims.$inferSelect;
export type DirectoryEntry = typeof directoryEntries.$inferSelect;
export type MeetingTime = typeof meetingTimes.$inferSelect;
