import { bigint, index, integer, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

/** Who may start a conversation with a person. */
export const messagePolicyEnum = pgEnum('message_policy', ['nobody', 'shared_groups', 'facilitators']);

export const messageSettings = pgTable('message_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  whoMayMessage: messagePolicyEnum('who_may_message').notNull().default('shared_groups'),
});

/**
 * A private conversation between two or a few members who share a group. When it belongs to a
 * group (group_id), its members are named by their names in that group.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('conversations_group_idx').on(t.groupId)],
);

/**
 * requested: a first message from someone new waits for this member to accept or decline;
 * active: in the conversation; declined; left.
 */
export const conversationMemberStatusEnum = pgEnum('conversation_member_status', [
  'active',
  'requested',
  'declined',
  'left',
]);

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: conversationMemberStatusEnum('status').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('conversation_members_user_idx').on(t.userId, t.status),
  ],
);

export const privateMessages = pgTable(
  'private_messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    index('private_messages_conversation_idx').on(t.conversationId, t.id),
    index('private_messages_author_idx').on(t.authorId),
  ],
);

/** A member reported a conversation: the site's moderators see the reported messages, and only those. */
export const conversationReports = pgTable(
  'conversation_reports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    reporterId: integer('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    outcome: text('outcome'),
  },
  (t) => [index('conversation_reports_open_idx').on(t.resolvedAt, t.createdAt)],
);

export const conversationReportMessages = pgTable(
  'conversation_report_messages',
  {
    reportId: integer('report_id')
      .notNull()
      .references(() => conversationReports.id, { onDelete: 'cascade' }),
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => privateMessages.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.messageId] })],
);

export type Conversation = typeof conversations.$inferSelect;
export type PrivateMessage = typeof privateMessages.$inferSelect;
export type MessagePolicy = (typeof messagePolicyEnum.enumValues)[number];
export type ConversationMemberStatus = (typeof conversationMemberStatusEnum.enumValues)[number];
