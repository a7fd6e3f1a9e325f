import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { withValues } from '../../platform/views/forms.js';
import { assertSiteAdmin } from '../accounts/index.js';
import { findWatchedWords, isUsableWord } from './matching.js';
import { watchedWordActionEnum, watchedWords, type WatchedWord } from './schema.js';

/** What a post's words ask for: refused (thrown), held for approval, or flagged for review. */
export interface WordScreening {
  needsApproval: boolean;
  /** `watched_word:<word>` for each flagging word used, for the review queue. */
  flags: string[];
}

/**
 * Checks a post's words against the site's watched words, in one query. A blocking word refuses
 * the post with a message naming the word, so the author can change it; the text is kept.
 */
export async function screenWatchedWords(tx: DbOrTx, text: string): Promise<WordScreening> {
  const words = await tx.select({ word: watchedWords.word, action: watchedWords.action }).from(watchedWords);
  const used = findWatchedWords(text, words);
  const blocked = used.find((w) => w.action === 'block');
  if (blocked) throw new Invalid({ '': withValues('watchedWords.blocked', { word: blocked.word }) });
  return {
    needsApproval: used.some((w) => w.action === 'approve'),
    flags: used.filter((w) => w.action === 'flag').map((w) => `watched_word:${w.word}`),
  };
}

export async function listWatchedWords(db: Db, viewer: Viewer | null): Promise<WatchedWord[]> {
  assertSiteAdmin(viewer);
  return db
    .select()
    .from(watchedWords)
    .orderBy(asc(watchedWords.action), asc(sql`lower(${watchedWords.word})`));
}

const wordInput = z.object({
  word: z
    .string('watchedWords.errors.wordRequired')
    .trim()
    .min(1, 'watchedWords.errors.wordRequired')
    .max(100, 'watchedWords.errors.wordLength')
    .refine(isUsableWord, 'watchedWords.errors.wordLetters'),
  action: z.enum(watchedWordActionEnum.enumValues, 'watchedWords.errors.actionRequired'),
});

export async function addWatchedWord(db: Db, viewer: Viewer | null, input: unknown): Promise<WatchedWord> {
  assertSiteAdmin(viewer);
  const data = parseInput(wordInput, input);
  const word = data.word.replace(/\s+/gu, ' ');
  return db.transaction(async (tx) => {
    const [added] = await tx
      .insert(watchedWords)
      .values({ word, action: data.action, createdBy: viewer.id })
      .onConflictDoNothing()
      .returning();
    if (!added) throw new Invalid({ word: 'watchedWords.errors.duplicate' });
    return added;
  });
}

export async function removeWatchedWord(db: Db, viewer: Viewer | null, id: number): Promise<void> {
  assertSiteAdmin(viewer);
  const removed = await db.delete(watchedWords).where(eq(watchedWords.id, id)).returning({ id: watchedWords.id });
  if (removed.length === 0) throw new NotFound();
}
