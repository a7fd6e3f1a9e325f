import { sql } from 'drizzle-orm';
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
import { organisations } from '../organisations/schema.js';

export const leadershipEnum = pgEnum('group_leadership', ['peer', 'professional']);
export const visibilityEnum = pgEnum('group_visibility', ['public', 'members']);
export const roleEnum = pgEnum('group_role', ['owner', 'facilitator', 'moderator', 'member']);
export const joinPolicyEnum = pgEnum('group_join_policy', ['open', 'approval', 'invitation', 'paid']);
export const feeIntervalEnum = pgEnum('group_fee_interval', ['once', 'month', 'year']);

export const groups = pgTable(
  'groups',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull().default(''),
    descriptionHtml: text('description_html').notNull().default(''),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    language: text('language').notNull().default('en'),
    leadership: leadershipEnum('leadership').notNull().default('peer'),
    visibility: visibilityEnum('visibility').notNull().default('public'),
    memberCount: integer('member_count').notNull().default(0),
    joinPolicy: joinPolicyEnum('join_policy').notNull().default('open'),
    /** Unlisted groups are reachable only by link or invitation: never in listings, search or feeds. */
    listed: boolean('listed').notNull().default(true),
    /** Up to five questions an applicant answers when the join policy is approval. */
    entryQuestions: text('entry_questions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    organisationId: integer('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    /** When set, only people whose account email is at this domain may join (organisation groups). */
    allowedEmailDomain: text('allowed_email_domain'),
    /**
     * The group's facilitators may start a private conversation with any of its members, whatever
     * the member's own setting (professionally run groups; src/features/messages). Off: they are
     * held to each member's choice like anyone else.
     */
    facilitatorsMayMessage: boolean('facilitators_may_message').notNull().default(true),
    /** New posts from members wait for a facilitator's or moderator's approval. */
    preModeration: boolean('pre_moderation').notNull().default(false),
    /** A member's first post in the group waits for a leader's approval until they are trusted (level 2). */
    approveFirstPosts: boolean('approve_first_posts').notNull().default(false),
    /** One post per member per this many minutes; 0 is off. */
    slowModeMinutes: integer('slow_mode_minutes').notNull().default(0),
    /** Closed to new threads and replies from members (leaders can still post). */
    closedToPosts: boolean('closed_to_posts').notNull().default(false),
    /** Members may post as "Anonymous member": nobody in the group sees who wrote it. */
    anonymousPosts: boolean('anonymous_posts').notNull().default(false),
    /**
     * Besides site administrators, the group's facilitators may reveal who wrote an anonymous post
     * (with a reason). Members are told this on the form before they post.
     */
    facilitatorsReveal: boolean('facilitators_reveal').notNull().default(false),
    /** A post is hidden once this many flags from trusted members are open on it (src/features/moderation). */
    flagHideThreshold: integer('flag_hide_threshold').notNull().default(3),
    /** Membership fee in the currency's minor unit; null when the group is free. */
    feeAmountCents: integer('fee_amount_cents'),
    /** The least a member may pay on the sliding scale; null when there is no sliding scale. */
    feeMinimumCents: integer('fee_minimum_cents'),
    feeCurrency: text('fee_currency').notNull().default('GBP'),
    feeInterval: feeIntervalEnum('fee_interval'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('groups_slug_key').on(t.slug),
    index('groups_created_at_idx').on(t.createdAt),
    index('groups_last_activity_at_idx').on(t.lastActivityAt),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull().default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /** A facilitator's professional credential, e.g. "Licensed clinical social worker". */
    credential: text('credential'),
    credentialVerifiedAt: timestamp('credential_verified_at', { withTimezone: true }),
    credentialVerifiedBy: integer('credential_verified_by').references(() => users.id, { onDelete: 'set null' }),
    /** Paid groups: access runs to this time (plus a grace period); null for free or waived. */
    paidUntil: timestamp('paid_until', { withTimezone: true }),
    /** Paid groups: the owner granted a hardship waiver, so no fee is due. */
    feeWaived: boolean('fee_waived').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('memberships_user_id_idx').on(t.userId)],
);

export const applicationStatusEnum = pgEnum('application_status', ['pending', 'approved', 'declined', 'withdrawn']);

/** A request to join a group whose join policy is approval, with the answers to its questions. */
export const applications = pgTable(
  'applications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    questions: text('questions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    answers: text('answers')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: applicationStatusEnum('status').notNull().default('pending'),
    decisionMessage: text('decision_message'),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('applications_group_status_idx').on(t.groupId, t.status, t.createdAt),
    index('applications_user_idx').on(t.userId),
  ],
);

/** Invite links (email null) and invitations sent to one email address. Only the token's hash is kept. */
export const invitations = pgTable(
  'invitations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    email: text('email'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    maxUses: integer('max_uses').notNull().default(1),
    uses: integer('uses').notNull().default(0),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('invitations_token_hash_key').on(t.tokenHash), index('invitations_group_idx').on(t.groupId)],
);

/**
 * The name a person goes by in one group instead of their site-wide pseudonym, so that nobody can
 * link their presence across groups. It outlives the membership: posts written under it keep it
 * after the person leaves (showing the pseudonym then would link the two).
 */
export const groupAliases = pgTable(
  'group_aliases',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    alias: text('alias').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    uniqueIndex('group_aliases_group_alias_key').on(t.groupId, sql`lower(${t.alias})`),
  ],
);

/** People removed from a group for good: they cannot rejoin or apply again. */
export const bans = pgTable(
  'bans',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    bannedBy: integer('banned_by').references(() => users.id, { onDelete: 'set null' }),
    /**
     * Set when moderators banned "the author of this anonymous post" without learning who it is:
     * the ban is shown by the post, never by the person, and their membership row stays (so the
     * member list does not change and give them away); the ban alone shuts them out.
     */
    anonymousPostId: integer('anonymous_post_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] })],
);

/**
 * Every moderation and leadership action, with who, what, when and why; read by a group's
 * owners, facilitators and site administrators.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    subjectUserId: integer('subject_user_id').references(() => users.id, { onDelete: 'set null' }),
    threadId: integer('thread_id'),
    postId: integer('post_id'),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_group_idx').on(t.groupId, t.createdAt)],
);

/** Private notes facilitators keep about a member, seen only by the group's facilitators and owners. */
export const facilitatorNotes = pgTable(
  'facilitator_notes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    subjectUserId: integer('subject_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('facilitator_notes_group_subject_idx').on(t.groupId, t.subjectUserId)],
);

export type Group = typeof groups.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type JoinPolicy = (typeof joinPolicyEnum.enumValues)[number];
export type Application = typeof applications.$inferSelect;
export type GroupRole = (typeof roleEnum.enumValues)[number];
export type Leadership = (typeof leadershipEnum.enumValues)[number];
export type Visibility = (typeof visibilityEnum.enumValues)[number];
