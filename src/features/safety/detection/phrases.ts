/**
 * The small phrase language of the language files, and its matcher.
 *
 * A phrase is words separated by spaces, written as people write them (accents, capitals and
 * apostrophes do not matter). Each word may be:
 *   word         that word
 *   a|b|c        any one of these words
 *   suicid*      any word that starts with "suicid"
 *   [a|b]        optionally one of these words
 *   ...          up to three words of anything
 *   #many        a number of 10 or more ("took 30 pills")
 *   #year        a year from 1900 to 2099 ("in 2019")
 *
 * Matching walks the words of a sentence, never a regular expression over the text, and each phrase
 * has a fixed maximum length, so the time taken grows linearly with the text.
 */
import { CLAUSE_BREAK, foldText } from './normalise.js';

interface NumberRange {
  min: number;
  max: number;
}

type Slot =
  | {
      kind: 'words';
      words: ReadonlySet<string>;
      prefixes: readonly string[];
      numbers: readonly NumberRange[];
      optional: boolean;
    }
  | { kind: 'gap'; max: number };

const NUMBER_WORDS: Record<string, NumberRange> = {
  '#many': { min: 10, max: Number.MAX_SAFE_INTEGER },
  '#year': { min: 1900, max: 2099 },
};

export interface Phrase<T> {
  /** The phrase as written in the language file (shown in errors and explanations). */
  source: string;
  slots: Slot[];
  /** Every word the phrase names (a negator it names is part of it, not a negation of it). */
  words: ReadonlySet<string>;
  tag: T;
}

const GAP = 3;

function parseSlot(raw: string, source: string): Slot {
  if (raw === '...') return { kind: 'gap', max: GAP };
  const optional = raw.startsWith('[') && raw.endsWith(']');
  const body = optional ? raw.slice(1, -1) : raw;
  const words = new Set<string>();
  const prefixes: string[] = [];
  const numbers: NumberRange[] = [];
  for (const alt of body.split('|')) {
    const range = NUMBER_WORDS[alt];
    if (range) {
      numbers.push(range);
      continue;
    }
    // Apostrophes inside a word are dropped, as in post text ("don't" is "dont").
    const word = alt.replace(/'/g, '');
    if (!/^[a-z0-9]+\*?$/.test(word)) {
      throw new Error(`Crisis phrase "${source}": "${alt}" is not one word (use spaces between words).`);
    }
    if (word.endsWith('*')) prefixes.push(word.slice(0, -1));
    else words.add(word);
  }
  return { kind: 'words', words, prefixes, numbers, optional };
}

/** Compiles one phrase; throws a readable error for a phrase it cannot read. */
export function compilePhrase<T>(source: string, tag: T): Phrase<T> {
  // Fold like post text, and split French elisions the same way ("d'en" is "d en").
  const folded = foldText(source).replace(/(^|[\s|[])(qu|[cdjlmnst])'/g, '$1$2 ');
  const raws = folded.split(/\s+/).filter((r) => r !== '');
  const slots = raws.map((raw) => parseSlot(raw, source));
  const first = slots[0];
  if (!first || first.kind === 'gap' || slots[slots.length - 1]!.kind === 'gap') {
    throw new Error(`Crisis phrase "${source}" must start and end with a word.`);
  }
  const words = new Set(slots.flatMap((s) => (s.kind === 'words' ? [...s.words] : [])));
  return { source, slots, words, tag };
}

function slotAccepts(slot: Slot, word: string): boolean {
  if (slot.kind !== 'words') return false;
  if (slot.words.has(word)) return true;
  for (const p of slot.prefixes) if (word.startsWith(p)) return true;
  if (slot.numbers.length > 0 && /^[0-9]{1,9}$/.test(word)) {
    const n = Number(word);
    return slot.numbers.some((r) => n >= r.min && n <= r.max);
  }
  return false;
}

/** The end (exclusive) of the first way `slots[si..]` matches `words` from position `wi`, or -1. */
function matchFrom(slots: readonly Slot[], si: number, words: readonly string[], wi: number): number {
  if (si === slots.length) return wi;
  // A comma inside a phrase changes nothing about it ("methods, how to..."): only negation heeds it.
  if (si > 0 && words[wi] === CLAUSE_BREAK) return matchFrom(slots, si, words, wi + 1);
  const slot = slots[si]!;
  if (slot.kind === 'gap') {
    let skipped = 0;
    for (let at = wi; at <= words.length; at++) {
      if (at > wi && words[at - 1] !== CLAUSE_BREAK) skipped++;
      if (skipped > slot.max) break;
      const end = matchFrom(slots, si + 1, words, at);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (wi < words.length && slotAccepts(slot, words[wi]!)) {
    const end = matchFrom(slots, si + 1, words, wi + 1);
    if (end >= 0) return end;
  }
  return slot.optional ? matchFrom(slots, si + 1, words, wi) : -1;
}

export interface PhraseMatch<T> {
  phrase: Phrase<T>;
  start: number;
  end: number;
}

/**
 * A set of phrases indexed by the words they can start with, so a sentence is read once and only
 * phrases that can start at a word are tried there.
 */
export class PhraseSet<T> {
  private readonly byFirstWord = new Map<string, Phrase<T>[]>();
  /** Phrases whose first word is a prefix, a number or optional: tried at every word. */
  private readonly everywhere: Phrase<T>[] = [];

  constructor(phrases: readonly Phrase<T>[]) {
    for (const phrase of phrases) {
      const first = phrase.slots[0]!;
      if (first.kind === 'words' && !first.optional && first.prefixes.length === 0 && first.numbers.length === 0) {
        for (const w of first.words) {
          const list = this.byFirstWord.get(w) ?? [];
          list.push(phrase);
          this.byFirstWord.set(w, list);
        }
      } else {
        this.everywhere.push(phrase);
      }
    }
  }

  /** Every place a phrase matches in the sentence (at most one match per phrase and start). */
  matches(words: readonly string[]): PhraseMatch<T>[] {
    const found: PhraseMatch<T>[] = [];
    for (let i = 0; i < words.length; i++) {
      const candidates = this.byFirstWord.get(words[i]!);
      if (candidates) this.tryAll(candidates, words, i, found);
      if (this.everywhere.length > 0) this.tryAll(this.everywhere, words, i, found);
    }
    return found;
  }

  /** Whether any phrase matches anywhere in the sentence. */
  anyIn(words: readonly string[]): boolean {
    for (let i = 0; i < words.length; i++) {
      const candidates = this.byFirstWord.get(words[i]!);
      if (candidates && candidates.some((p) => matchFrom(p.slots, 0, words, i) > i)) return true;
      if (this.everywhere.some((p) => matchFrom(p.slots, 0, words, i) > i)) return true;
    }
    return false;
  }

  private tryAll(phrases: readonly Phrase<T>[], words: readonly string[], start: number, found: PhraseMatch<T>[]) {
    for (const phrase of phrases) {
      const end = matchFrom(phrase.slots, 0, words, start);
      if (end > start) found.push({ phrase, start, end });
    }
  }
}
