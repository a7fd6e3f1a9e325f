/**
 * Crisis-language detection: does a post read as someone who may be in danger now (suicidal
 * thoughts or plans, self-harm, an overdose, or danger from another person)?
 *
 * Rule-based and local: every language's phrase list (languages/*.ts) is applied to every post,
 * and a phrase found counts unless its context says otherwise: a negation just before it ("I would
 * never hurt myself"), a figurative or other meaning overlapping it ("die my hair"), or, in the same
 * part of the sentence, the past or recovery ("years ago", "free of"), discussion ("prevention
 * training") or, for threats from others only, laughter. See docs/safety.md for the choices made.
 */
import { CLAUSE_BREAK, foldText, sentencesOf } from './normalise.js';
import type { PhraseMatch } from './phrases.js';
import { compileRules, RISK_CATEGORIES, type CompiledRules, type LanguageRules, type RiskCategory } from './rules.js';
import { de } from './languages/de.js';
import { en } from './languages/en.js';
import { es } from './languages/es.js';
import { fr } from './languages/fr.js';
import { pt } from './languages/pt.js';

export type { RiskCategory } from './rules.js';

export interface RiskResult {
  /** The text reads as someone who may be in danger now and needs a crisis response. */
  atRisk: boolean;
  categories: RiskCategory[];
  /** The language the text was read as (ISO 639-1), or null when none was recognised. */
  language: string | null;
}

/** The languages whose rules are applied, in the order ties are broken. */
export const LANGUAGE_RULES: readonly LanguageRules[] = [en, es, fr, de, pt];

const COMPILED: readonly CompiledRules[] = LANGUAGE_RULES.map(compileRules);

/** How many words before a phrase a negator may stand ("I'm not going to hurt myself"). */
const NEGATION_WINDOW = 4;

/** Words read to guess the language of a post in which no phrase matched. */
const GUESS_WORDS = 300;

function expandShorthand(words: readonly string[], shorthand: ReadonlyMap<string, string[]>): string[] {
  const out: string[] = [];
  for (const w of words) {
    const to = shorthand.get(w);
    if (to) out.push(...to);
    else out.push(w);
  }
  return out;
}

/** Parts of a sentence, split at contrast words ("..., but ..."), each read on its own. */
function partsOf(words: readonly string[], contrast: ReadonlySet<string>): string[][] {
  const parts: string[][] = [[]];
  for (const w of words) {
    if (contrast.has(w)) parts.push([]);
    else parts[parts.length - 1]!.push(w);
  }
  return parts.filter((p) => p.length > 0);
}

/**
 * A negator shortly before the phrase ("I would never hurt myself"), or inside a gap of it that the
 * phrase does not itself ask for ("ich würde mir nie etwas antun").
 */
function isNegated(part: readonly string[], match: PhraseMatch<RiskCategory>, rules: CompiledRules): boolean {
  for (let i = match.start + 1; i < match.end; i++) {
    const w = part[i]!;
    if (rules.negators.has(w) && !match.phrase.words.has(w)) return true;
  }
  for (let i = match.start - 1; i >= 0 && i >= match.start - NEGATION_WINDOW; i--) {
    const w = part[i]!;
    if (w === CLAUSE_BREAK && (!rules.clauseOpeners || rules.clauseOpeners.has(part[i + 1] ?? ''))) return false;
    if (rules.negationBreakers.has(w)) return false;
    if (rules.negators.has(w)) return true;
  }
  return false;
}

/**
 * For each word of the part, how many words up to it are covered by a phrase with another meaning
 * ("die my hair"), so whether a risk phrase overlaps one is a subtraction, however many there are.
 */
function otherMeaningCoverage(part: readonly string[], rules: CompiledRules): number[] | null {
  const others = rules.notRisk.matches(part);
  if (others.length === 0) return null;
  const covered = new Array<number>(part.length).fill(0);
  for (const o of others) for (let i = o.start; i < o.end; i++) covered[i] = 1;
  const sums = [0];
  for (let i = 0; i < part.length; i++) sums.push(sums[i]! + covered[i]!);
  return sums;
}

/** The categories of risk one language's rules find in the text's sentences. */
function categoriesIn(sentences: readonly string[][], rules: CompiledRules): Set<RiskCategory> {
  const found = new Set<RiskCategory>();
  for (const sentence of sentences) {
    for (const part of partsOf(expandShorthand(sentence, rules.shorthand), rules.contrast)) {
      let matches = rules.risk.matches(part);
      if (matches.length === 0) continue;
      const coverage = otherMeaningCoverage(part, rules);
      matches = matches.filter(
        (m) => !isNegated(part, m, rules) && !(coverage && coverage[m.end]! - coverage[m.start]! > 0),
      );
      if (matches.length === 0) continue;
      if (rules.discussion.anyIn(part)) continue;
      if (rules.pastOrRecovery.anyIn(part) && !rules.now.anyIn(part)) continue;
      const joking = rules.joking.anyIn(part);
      for (const m of matches) if (!(joking && m.phrase.tag === 'danger')) found.add(m.phrase.tag);
    }
  }
  return found;
}

function guessLanguage(sentences: readonly string[][], hint: string | undefined): string | null {
  const words = sentences.flat().slice(0, GUESS_WORDS);
  let best: string | null = null;
  let bestCount = 1;
  for (const rules of COMPILED) {
    let count = 0;
    for (const w of words) if (rules.common.has(w)) count++;
    if (count > bestCount || (count === bestCount && count > 1 && rules.language === hint)) {
      best = rules.language;
      bestCount = count;
    }
  }
  return best ?? hint ?? null;
}

/**
 * Reads a post (title and body) for crisis language in every supported language. `language` is a
 * hint: when several languages' rules match, or none does, it is preferred.
 */
export function detectRisk(text: string, options: { language?: string } = {}): RiskResult {
  const sentences = sentencesOf(foldText(text), { clauses: true });
  const hint = options.language?.toLowerCase().slice(0, 2);
  const byLanguage: { language: string; categories: Set<RiskCategory> }[] = [];
  for (const rules of COMPILED) {
    const categories = categoriesIn(sentences, rules);
    if (categories.size > 0) byLanguage.push({ language: rules.language, categories });
  }
  if (byLanguage.length === 0) return { atRisk: false, categories: [], language: guessLanguage(sentences, hint) };
  const all = new Set(byLanguage.flatMap((l) => [...l.categories]));
  const language = (byLanguage.find((l) => l.language === hint) ?? byLanguage[0]!).language;
  return { atRisk: true, categories: RISK_CATEGORIES.filter((c) => all.has(c)), language };
}
