import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import { meetingOccurrences } from '../meetings/schema.js';

/**
 * A live room: a group's own chat room (occurrence_id null, one per group), or the room of one
 * online meeting's occurrence, open while the meeting runs.
 */
export const chatRooms = pgTable(
  'chat_rooms',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    occurrenceId: integer('occurrence_id').references(() => meetingOccurrences.id, { onDelete: 'cascade' }),
    /** A facilitator paused the chat: nobody but leaders may post until it is resumed. */
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    /** A facilitator ended the meeting: the room is read-only. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chat_rooms_group_key')
      .on(t.groupId)
      .where(sql`occurrence_id is null`),
    uniqueIndex('chat_rooms_occurrence_key').on(t.occurrenceId),
  ],
);

/** A message in a room. Plain text; shown under the author's name in the group. */
export const chatMessages = pgTable(
  'chat_messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    roomId: integer('room_id')
      .notNull()
      .references(() => chatRooms.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** A facilitator removed it: its words are gone for everyone. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedBy: integer('removed_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('chat_messages_room_idx').on(t.roomId, t.id), index('chat_messages_author_idx').on(t.authorId)],
);

/**
 * Who is or was in a room: presence (last_seen_at, refreshed while their socket is open) and a
 * facilitator's mute or removal for the rest of the meeting.
 */
export const chatParticipants = pgTable(
  'chat_participants',
  {
    roomId: integer('room_id')
      .notNull()
      .references(() => chatRooms.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    mutedAt: timestamp('muted_at', { withTimezone: true }),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('chat_participants_user_idx').on(t.userId)],
);

export type ChatRoom = typeof chatRooms.$inferSelect;
export type ChatMessage = typeof chatMessages.$inferSelect;
