/**
 * Speed of crisis-language detection (`npx tsx bench/detection.ts`): microseconds per post for short
 * posts (the evaluation set), ordinary posts of about 1,500 characters, the longest post allowed
 * (50,000 characters) written normally, and 50,000 characters built to be slow to read.
 */
import { readFileSync } from 'node:fs';
import { detectRisk } from '../src/features/safety/detection/index.js';
import { parseExamples } from '../src/features/safety/detection/evaluation.js';

const texts = parseExamples(
  readFileSync(new URL('../src/features/safety/detection/eval-set.tsv', import.meta.url), 'utf8'),
).map((e) => e.text);

function sized(length: number, offset: number): string {
  let out = '';
  for (let i = offset; out.length < length; i++) out += texts[i % texts.length]! + (i % 4 === 3 ? '\n\n' : ' ');
  return out.slice(0, length);
}

const fill = (unit: string) => unit.repeat(Math.ceil(50_000 / unit.length)).slice(0, 50_000);

const scenarios: { name: string; posts: string[] }[] = [
  { name: 'short posts (evaluation set)', posts: texts },
  { name: 'posts of 1,500 characters', posts: Array.from({ length: 200 }, (_, i) => sized(1_500, i * 7)) },
  { name: 'posts of 50,000 characters', posts: Array.from({ length: 10 }, (_, i) => sized(50_000, i * 13)) },
  {
    name: '50,000 characters, hostile',
    posts: [
      fill('want to '),
      fill('kill myself suicidal overdose '),
      fill('took all of the my '),
      fill("don't stop not never "),
      fill('I was suicidal years ago, die my hair lol '),
      fill("l'd'j'm'n'qu'''"),
    ],
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// Warm up the JIT so the first scenario is not charged for it.
for (const t of texts) detectRisk(t);

console.log('scenario                          posts   mean µs    p50 µs    p99 µs    max µs');
for (const { name, posts } of scenarios) {
  const rounds = Math.max(1, Math.ceil(2_000 / posts.length));
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const post of posts) {
      const start = process.hrtime.bigint();
      detectRisk(post);
      times.push(Number(process.hrtime.bigint() - start) / 1_000);
    }
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const cols = [mean, percentile(times, 50), percentile(times, 99), times.at(-1)!].map((n) => n.toFixed(1).padStart(9));
  console.log(`${name.padEnd(32)} ${String(posts.length).padStart(6)} ${cols.join(' ')}`);
}
