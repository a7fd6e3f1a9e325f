/** The shape of a language file, and its compiled form. */
import { compilePhrase, PhraseSet } from './phrases.js';
import { wordsOf } from './normalise.js';

export type RiskCategory = 'suicide' | 'self_harm' | 'overdose' | 'danger';

export const RISK_CATEGORIES: readonly RiskCategory[] = ['suicide', 'self_harm', 'overdose', 'danger'];

/**
 * One language's rules: plain lists an operator can read and change. Every list is matched on
 * normalised text (lower case, accents folded, apostrophes dropped); phrases use the syntax
 * described in phrases.ts.
 */
export interface LanguageRules {
  /** ISO 639-1 code. */
  language: string;
  /** Shorthand and common spellings, one word each, and the words they stand for ("kms": "kill myself"). */
  shorthand: Record<string, string>;
  /** Words that split a sentence into parts read separately ("but"): a recovery story before "but" does not excuse what follows. */
  contrast: string[];
  /** Phrases that read as someone in danger now, by category. */
  risk: Record<RiskCategory, string[]>;
  /** Words that negate a risk phrase starting within four words after them ("never", "not"). */
  negators: string[];
  /** Words that, between a negator and a phrase, cancel the negation ("can't STOP thinking about ..."). */
  negationBreakers: string[];
  /**
   * Where a comma does not by itself end a negation's reach, the words that open a new clause after
   * one. German sets off every subordinate and infinitive clause with a comma ("ich habe nie daran
   * gedacht, mich umzubringen"), so there a comma ends it only before "ich" ("ich kann nicht mehr,
   * ich will sterben"). Elsewhere leave it out: any comma ends it.
   */
  clauseOpeners?: string[];
  /** Phrases that, overlapping a risk phrase, show it means something else ("die my hair", "kill me when he sees"). */
  notRisk: string[];
  /** Phrases that put the part of the sentence in the past or in recovery ("years ago", "free of"). */
  pastOrRecovery: string[];
  /** Phrases that bring a past or recovery part back to now ("again", "tonight"). */
  now: string[];
  /** Phrases that show the part talks about the subject rather than from it ("prevention", "documentary"). */
  discussion: string[];
  /** Laughter and jokes: they excuse threats from others ("he'll kill me lol"), not words about oneself. */
  joking: string[];
  /** Very common words of the language, used only to guess the language when no phrase matched. */
  common: string[];
}

type Tag = RiskCategory;

export interface CompiledRules {
  language: string;
  shorthand: Map<string, string[]>;
  contrast: ReadonlySet<string>;
  risk: PhraseSet<Tag>;
  negators: ReadonlySet<string>;
  negationBreakers: ReadonlySet<string>;
  clauseOpeners: ReadonlySet<string> | null;
  notRisk: PhraseSet<null>;
  pastOrRecovery: PhraseSet<null>;
  now: PhraseSet<null>;
  discussion: PhraseSet<null>;
  joking: PhraseSet<null>;
  common: ReadonlySet<string>;
}

function oneWordEach(list: readonly string[], what: string, language: string): Set<string> {
  const out = new Set<string>();
  for (const item of list) {
    const words = wordsOf(item);
    if (words.length !== 1) throw new Error(`${language} ${what}: "${item}" must be one word.`);
    out.add(words[0]!);
  }
  return out;
}

function plain(list: readonly string[]): PhraseSet<null> {
  return new PhraseSet(list.map((p) => compilePhrase(p, null)));
}

/** Compiles a language file; throws a readable error naming the phrase it cannot read. */
export function compileRules(rules: LanguageRules): CompiledRules {
  const shorthand = new Map<string, string[]>();
  for (const [from, to] of Object.entries(rules.shorthand)) {
    const key = wordsOf(from);
    if (key.length !== 1) throw new Error(`${rules.language} shorthand: "${from}" must be one word.`);
    shorthand.set(key[0]!, wordsOf(to));
  }
  const risk = RISK_CATEGORIES.flatMap((category) => rules.risk[category].map((p) => compilePhrase(p, category)));
  return {
    language: rules.language,
    shorthand,
    contrast: oneWordEach(rules.contrast, 'contrast', rules.language),
    risk: new PhraseSet(risk),
    negators: oneWordEach(rules.negators, 'negators', rules.language),
    negationBreakers: oneWordEach(rules.negationBreakers, 'negationBreakers', rules.language),
    clauseOpeners: rules.clauseOpeners ? oneWordEach(rules.clauseOpeners, 'clauseOpeners', rules.language) : null,
    notRisk: plain(rules.notRisk),
    pastOrRecovery: plain(rules.pastOrRecovery),
    now: plain(rules.now),
    discussion: plain(rules.discussion),
    joking: plain(rules.joking),
    common: oneWordEach(rules.common, 'common', rules.language),
  };
}
