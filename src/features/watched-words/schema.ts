import { sql } from 'drizzle-orm';
import { integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';

/** What happens to a post that uses a watched word. */
export const watchedWordActionEnum = pgEnum('watched_word_action', ['block', 'approve', 'flag']);

/**
 * Site-wide words and phrases that site admins watch for in every post. `*` in a word stands for
 * any letters; matching is by whole words, ignoring case and accents.
 */
export const watchedWords = pgTable(
  'watched_words',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    word: text('word').notNull(),
    action: watchedWordActionEnum('action').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('watched_words_word_key').on(sql`lower(${t.word})`)],
);

export type WatchedWord = typeof watchedWords.$inferSelect;
export type WatchedWordAction = (typeof watchedWordActionEnum.enumValues)[number];
