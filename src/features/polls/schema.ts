import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import { threads } from '../forum/schema.js';
import { meetings } from '../meetings/schema.js';

export const pollKindEnum = pgEnum('poll_kind', ['choice', 'time']);
export const pollResultsEnum = pgEnum('poll_results', ['after_vote', 'after_close']);

/**
 * A poll in a thread. 'choice' offers answers; 'time' ("find a time") offers meeting times, and
 * its winning time becomes a scheduled meeting in one step (meeting_id, once made).
 */
export const polls = pgTable(
  'polls',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    kind: pollKindEnum('kind').notNull().default('choice'),
    question: text('question').notNull(),
    multiple: boolean('multiple').notNull().default(false),
    /** Votes are counted but who voted for what is shown to nobody. */
    anonymous: boolean('anonymous').notNull().default(false),
    results: pollResultsEnum('results').notNull().default('after_vote'),
    /** 'time' polls: the zone the times were offered in, and each meeting's length. */
    timeZone: text('time_zone'),
    durationMinutes: integer('duration_minutes'),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    meetingId: integer('meeting_id').references(() => meetings.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('polls_thread_idx').on(t.threadId), index('polls_group_idx').on(t.groupId)],
);

export const pollOptions = pgTable(
  'poll_options',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    pollId: integer('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    /** 'time' polls: the time offered. */
    startsAt: timestamp('starts_at', { withTimezone: true }),
  },
  (t) => [index('poll_options_poll_idx').on(t.pollId, t.position)],
);

export const pollVotes = pgTable(
  'poll_votes',
  {
    optionId: integer('option_id')
      .notNull()
      .references(() => pollOptions.id, { onDelete: 'cascade' }),
    pollId: integer('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.optionId, t.userId] }), index('poll_votes_poll_user_idx').on(t.pollId, t.userId)],
);

export type PollRow = typeof polls.$inferSelect;
export type PollOptionRow = typeof pollOptions.$inferSelect;
