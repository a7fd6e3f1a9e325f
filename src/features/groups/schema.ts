import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';

export const leadershipEnum = pgEnum('group_leadership', ['peer', 'professional']);
export const visibilityEnum = pgEnum('group_visibility', ['public', 'members']);
export const roleEnum = pgEnum('group_role', ['owner', 'moderator', 'member']);

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
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('memberships_user_id_idx').on(t.userId)],
);

export type Group = typeof groups.$inferSelect;
export type GroupRole = (typeof roleEnum.enumValues)[number];
export type Leadership = (typeof leadershipEnum.enumValues)[number];
export type Visibility = (typeof visibilityEnum.enumValues)[number];
