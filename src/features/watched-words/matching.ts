import type { WatchedWordAction } from './schema.js';

/** Text as words are compared: accents taken off, lower case, so "Café" matches "cafe". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A watched word as a regular expression: every character taken literally (so a word can never
 * inject a pattern) except `*`, which stands for any letters or digits; spaces in a phrase match
 * any run of spaces; and it matches only as whole words, never inside another word.
 */
export function wordPattern(word: string): string {
  const parts = foldText(word.trim())
    .split('*')
    .map((part) => part.split(/\s+/u).map(escapeRegExp).join('\\s+'));
  return `(?<![\\p{L}\\p{N}])${parts.join('[\\p{L}\\p{N}]*')}(?![\\p{L}\\p{N}])`;
}

/** A watched word as an admin may enter it: some letters or digits, not only wildcards. */
export function isUsableWord(word: string): boolean {
  return /[\p{L}\p{N}]/u.test(word);
}

export interface WordMatch {
  word: string;
  action: WatchedWordAction;
}

/** Patterns already built, by word: a long list is not rebuilt for every post. Only a cache. */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 10_000;

function patternOf(word: string): RegExp {
  let pattern = patterns.get(word);
  if (!pattern) {
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    pattern = new RegExp(wordPattern(word), 'u');
    patterns.set(word, pattern);
  }
  return pattern;
}

/** Every watched word the text uses, in the order given. */
export function findWatchedWords(text: string, words: readonly WordMatch[]): WordMatch[] {
  if (words.length === 0) return [];
  const folded = foldText(text);
  return words.filter((w) => isUsableWord(w.word) && patternOf(w.word).test(folded));
}
