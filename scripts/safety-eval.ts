/**
 * Measures crisis-language detection on a labelled file:
 *   npm run safety:eval -- FILE.tsv [--errors]
 * The file is tab-separated with the header `label	lang	text`. Prints precision and recall per
 * language, then (with --errors) the examples it got wrong, and last `overall precision P recall R`.
 */
import { readFileSync } from 'node:fs';
import {
  evaluate,
  EvaluationFileError,
  parseExamples,
  type Scores,
} from '../src/features/safety/detection/evaluation.js';

function fail(message: string): never {
  console.error(`safety:eval: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const showErrors = args.includes('--errors');
const files = args.filter((a) => a !== '--errors');
const unknown = files.find((a) => a.startsWith('--'));
if (unknown) fail(`unknown option ${unknown}. Usage: npm run safety:eval -- FILE.tsv [--errors]`);
if (files.length !== 1) fail('give one file. Usage: npm run safety:eval -- FILE.tsv [--errors]');
const file = files[0]!;

let content: string;
try {
  content = readFileSync(file, 'utf8');
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  fail(code === 'ENOENT' ? `cannot read ${file}: no such file.` : `cannot read ${file} (${code ?? 'error'}).`);
}

let result: ReturnType<typeof evaluate>;
try {
  result = evaluate(parseExamples(content, file));
} catch (err) {
  if (err instanceof EvaluationFileError) fail(err.message);
  throw err;
}

const fixed = (n: number) => n.toFixed(3);
const row = (name: string, s: Scores) =>
  [
    name.padEnd(8),
    String(s.examples).padStart(8),
    String(s.positives).padStart(9),
    fixed(s.precision).padStart(9),
    fixed(s.recall).padStart(7),
    `  tp ${s.truePositives} fp ${s.falsePositives} fn ${s.falseNegatives}`,
  ].join(' ');

console.log(['language'.padEnd(8), 'examples', 'positives', 'precision', ' recall'].join(' '));
for (const [lang, scores] of result.byLanguage) console.log(row(lang, scores));
console.log(row('all', result.overall));
if (showErrors) {
  console.log(`\n${result.errors.length} misclassified:`);
  for (const e of result.errors) {
    const kind = e.label === 1 ? 'missed' : 'false alarm';
    console.log(`  line ${e.line} [${e.lang}] ${kind}: ${e.text}`);
  }
}
console.log(`overall precision ${fixed(result.overall.precision)} recall ${fixed(result.overall.recall)}`);
