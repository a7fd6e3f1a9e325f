import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import type { GuidedCues } from './types.js';

// Reading whom a person looks for help for, from their own words, in every language we have cues for.

const cueLanguages: readonly GuidedCues[] = [en, es, fr];

/** Lower case, without accents; apostrophes and punctuation split words ("I'm" → "i m"). */
function wordsOf(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const compiled = cueLanguages.map((c) => ({
  lossTopic: c.lossTopic,
  caring: c.caring.map(wordsOf),
  someoneClose: c.someoneClose.map(wordsOf),
  self: c.self.map(wordsOf),
  loss: c.loss.map(wordsOf),
}));

function contains(words: string[], phrases: string[][]): boolean {
  return phrases.some((p) => {
    for (let i = 0; i + p.length <= words.length; i++) if (p.every((w, j) => words[i + j] === w)) return true;
    return false;
  });
}

export type Audience = 'carers' | 'self' | 'both';

export interface TextReading {
  /** Whom the words say the help is for, or null when they do not tell. */
  audience: Audience | null;
  /** Someone has died: the grief topic is looked for too. */
  lossTopic: string | null;
}

/**
 * Whom a person's words say they are looking for help for. Saying outright that they look after
 * someone makes them a carer; naming someone close ("my mum has dementia") does too, unless they
 * speak of a death (grief is their own) or of their own diagnosis.
 */
export function readText(text: string): TextReading {
  const words = wordsOf(text);
  const has = (key: 'caring' | 'someoneClose' | 'self' | 'loss') => compiled.some((c) => contains(words, c[key]));
  const caring = has('caring');
  const self = has('self');
  const loss = has('loss');
  const lossTopic = loss && !caring ? (compiled.find((c) => contains(words, c.loss))?.lossTopic ?? null) : null;
  if (caring) return { audience: self ? 'both' : 'carers', lossTopic };
  if (loss || self) return { audience: 'self', lossTopic };
  if (has('someoneClose')) return { audience: 'carers', lossTopic: null };
  return { audience: null, lossTopic: null };
}
