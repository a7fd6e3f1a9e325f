/**
 * Text normalisation for crisis-language detection: every post and every phrase in the language
 * files pass through the same steps, so a phrase written "don't" matches "dont", "DON’T" and "Don't".
 *
 * Only simple character classes are used on the text (no nested quantifiers), so the work is linear
 * in the length of the text whatever it holds.
 */

/** Folded characters that NFKD does not decompose. */
const EXTRA_FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };

/** Lower case, accents folded, every kind of apostrophe made one. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđı]/g, (c) => EXTRA_FOLDS[c] ?? c)
    .replace(/[\u2018\u2019\u201B\u02BC\u00B4\u0060\uFF07]/g, "'");
}

/**
 * A sentence ends at . ! ? ; : … or a line break. Commas do not end one: "I was suicidal years ago,
 * now I'm better" must keep its "years ago" with the phrase it qualifies.
 */
const SENTENCE_END = /[.!?;:\u2026\n\r]+/;

/**
 * French and Catalan elisions (l', d', j', m', n', s', t', c', qu') become separate words, so
 * "l'envie de mourir" reads "l envie de mourir"; other apostrophes are dropped, so English
 * "don't" reads "dont" (as people often type it anyway).
 */
const ELISION = /(^|[^a-z0-9])(qu|[cdjlmnst])'/g;

/**
 * Stands for a comma (or dash, or bracket) between words of a post: it ends the reach of a negation
 * ("I can't go on, I want to die": the "can't" says nothing about the wish), while the sentence
 * stays one for its past and recovery words. No phrase contains it, as none is written with one.
 */
export const CLAUSE_BREAK = '_';

/** Splits folded text into sentences of words (letters and digits only), with clause breaks. */
export function sentencesOf(folded: string, opts: { clauses?: boolean } = {}): string[][] {
  const sentences: string[][] = [];
  for (const sentence of folded.split(SENTENCE_END)) {
    const marked = opts.clauses ? sentence.replace(/[,()\u2013\u2014]+/g, ` ${CLAUSE_BREAK} `) : sentence;
    const words = marked
      .replace(ELISION, '$1$2 ')
      .replace(/'/g, '')
      .split(/[^a-z0-9_]+/)
      .filter((w) => w !== '' && (opts.clauses || w !== CLAUSE_BREAK));
    if (words.length > 0) sentences.push(words);
  }
  return sentences;
}

/** Words of a short phrase, normalised exactly as post text is (used for the language files). */
export function wordsOf(phrase: string): string[] {
  return sentencesOf(foldText(phrase)).flat();
}
