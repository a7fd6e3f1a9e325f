/**
 * Evaluation of the detector on a labelled file: tab-separated, a header row `label	lang	text`,
 * then one example a line (label 1 = needs a crisis response, 0 = not; lang ISO 639-1).
 * Used by `npm run safety:eval` and by the detection tests.
 */
import { detectRisk } from './index.js';

export interface Example {
  /** Line number in the file (1 is the header). */
  line: number;
  label: 0 | 1;
  lang: string;
  text: string;
}

/** A file that cannot be read as an evaluation set; the message says where and why. */
export class EvaluationFileError extends Error {}

export const HEADER = 'label\tlang\ttext';

export function parseExamples(content: string, name = 'file'): Example[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] !== HEADER) {
    throw new EvaluationFileError(`${name}: the first line must be the header "label<TAB>lang<TAB>text".`);
  }
  const examples: Example[] = [];
  lines.forEach((raw, index) => {
    if (index === 0 || raw.trim() === '') return;
    const line = index + 1;
    const fields = raw.split('\t');
    if (fields.length !== 3) {
      throw new EvaluationFileError(`${name} line ${line}: expected 3 tab-separated fields, found ${fields.length}.`);
    }
    const [label, lang, text] = fields as [string, string, string];
    if (label !== '0' && label !== '1') {
      throw new EvaluationFileError(`${name} line ${line}: the label must be 0 or 1, not "${label}".`);
    }
    if (!/^[a-z]{2}$/.test(lang)) {
      throw new EvaluationFileError(`${name} line ${line}: the language must be a two-letter code, not "${lang}".`);
    }
    if (text.trim() === '') throw new EvaluationFileError(`${name} line ${line}: the text is empty.`);
    examples.push({ line, label: label === '1' ? 1 : 0, lang, text });
  });
  if (examples.length === 0) throw new EvaluationFileError(`${name}: there are no examples after the header.`);
  return examples;
}

export interface Scores {
  examples: number;
  positives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  byLanguage: Map<string, Scores>;
  overall: Scores;
  /** Examples the detector got wrong, in file order. */
  errors: (Example & { predicted: 0 | 1 })[];
}

function scoresOf(results: { label: 0 | 1; predicted: 0 | 1 }[]): Scores {
  const tp = results.filter((r) => r.label === 1 && r.predicted === 1).length;
  const fp = results.filter((r) => r.label === 0 && r.predicted === 1).length;
  const fn = results.filter((r) => r.label === 1 && r.predicted === 0).length;
  const positives = tp + fn;
  return {
    examples: results.length,
    positives,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    // With nothing predicted, precision is 1 only if there was nothing to find.
    precision: tp + fp === 0 ? (positives === 0 ? 1 : 0) : tp / (tp + fp),
    recall: positives === 0 ? 1 : tp / positives,
  };
}

export function evaluate(examples: readonly Example[]): Evaluation {
  const results = examples.map((e) => ({
    ...e,
    predicted: (detectRisk(e.text, { language: e.lang }).atRisk ? 1 : 0) as 0 | 1,
  }));
  const byLanguage = new Map<string, Scores>();
  for (const lang of [...new Set(results.map((r) => r.lang))].sort()) {
    byLanguage.set(lang, scoresOf(results.filter((r) => r.lang === lang)));
  }
  return { byLanguage, overall: scoresOf(results), errors: results.filter((r) => r.label !== r.predicted) };
}
