import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, parseExamples } from './evaluation.js';
import { detectRisk } from './index.js';
import { compilePhrase } from './phrases.js';

const here = resolve(import.meta.dirname);
const root = resolve(here, '../../../..');

describe('crisis-language detection: named cases', () => {
  // [language, text, at risk?]
  const cases: [string, string, boolean][] = [
    ['en', "I don't want to be here anymore", true],
    ['en', 'I don’t want to be here anymore', true],
    ['en', 'he said he will kill me tonight', true],
    ['en', 'my friend just swallowed all her pills', true],
    ['en', 'kms', true],
    ['en', 'I keep thinking about how to unalive myself', true],
    ['en', 'I WANT TO DIE', true],
    ['en', 'this migraine is killing me', false],
    ['en', "I'd kill for a coffee", false],
    ['en', 'dying to see you', false],
    ['en', 'I nearly died laughing', false],
    ['en', 'this job is suicide', false],
    ['en', "I was suicidal years ago and I'm doing better", false],
    ['en', 'two years free of self-harm', false],
    ['en', 'my brother took his own life last year', false],
    ['en', 'I would never hurt myself', false],
    ['en', 'suicide prevention training', false],
    ['en', 'the dose of paracetamol for a child', false],
    ['es', 'Ya no quiero vivir', true],
    ['es', 'mi marido dice que esta noche me va a matar', true],
    ['es', 'mi amiga se acaba de tomar todas sus pastillas', true],
    ['es', 'no kiero vivir mas', true],
    ['es', 'Esta migraña me está matando', false],
    ['es', 'Mataría por un café', false],
    ['es', 'Nunca me haría daño', false],
    ['es', 'Mi hermano se quitó la vida el año pasado', false],
    ['fr', 'je veux mourir', true],
    ['fr', "j'ai envie d’en finir", true],
    ['fr', 'Il a dit qu’il allait me tuer ce soir', true],
    ['fr', 'Cette migraine me tue', false],
    ['fr', 'Je tuerais pour un café', false],
    ['fr', 'Je ne me ferais jamais de mal', false],
    ['de', 'Ich will nicht mehr leben', true],
    ['de', 'meine Freundin hat gerade alle ihre Tabletten geschluckt', true],
    ['de', 'Diese Migräne bringt mich um', false],
    ['de', 'Ich würde für einen Kaffee töten', false],
    ['de', 'Ich würde mir nie etwas antun', false],
    ['pt', 'Não quero mais viver', true],
    ['pt', 'nao quero mais viver', true],
    ['pt', 'Meu ex disse que vai me matar hoje', true],
    ['pt', 'Essa enxaqueca está me matando', false],
    ['pt', 'Eu mataria por um café', false],
    ['pt', 'Eu nunca me machucaria', false],
  ];

  it.each(cases)('[%s] %s → at risk: %s', (language, text, atRisk) => {
    expect(detectRisk(text, { language }).atRisk).toBe(atRisk);
  });

  it('names the kinds of risk it found and the language it read', () => {
    expect(detectRisk('He said he will kill me tonight')).toEqual({
      atRisk: true,
      categories: ['danger'],
      language: 'en',
    });
    expect(detectRisk('My friend just swallowed all her pills').categories).toEqual(['overdose']);
    expect(detectRisk('I cut myself again last night').categories).toEqual(['self_harm']);
    expect(detectRisk('quiero morirme').language).toBe('es');
    expect(detectRisk('je veux me suicider').categories).toEqual(['suicide']);
  });

  it('reads a post with no risk as not at risk, and guesses its language or keeps the hint', () => {
    expect(detectRisk('Hola a todos, hoy es un buen día para mí y quiero compartirlo con el grupo')).toEqual({
      atRisk: false,
      categories: [],
      language: 'es',
    });
    expect(detectRisk('ok', { language: 'fr' }).language).toBe('fr');
    expect(detectRisk('').atRisk).toBe(false);
  });

  it('ends a negation at a comma, except before a German subordinate clause', () => {
    for (const text of [
      'I can’t go on, I want to die',
      'Não aguento mais, quero morrer',
      'No puedo más, quiero morirme',
      'Je n’en peux plus, je veux en finir',
      'Ich kann nicht mehr, ich will sterben',
    ])
      expect(detectRisk(text).atRisk, text).toBe(true);
    for (const text of ['Ich habe nie daran gedacht, mich umzubringen', 'No, I would never hurt myself'])
      expect(detectRisk(text).atRisk, text).toBe(false);
  });

  it('reads a risk sentence after "but", even when an earlier part of the sentence is about recovery', () => {
    expect(detectRisk('I was clean for two years but tonight I want to die').atRisk).toBe(true);
  });
});

describe('crisis-language detection: evaluation sets', () => {
  const sets = ['eval-set.tsv', 'holdout.tsv'].map((name) =>
    parseExamples(readFileSync(join(here, name), 'utf8'), name),
  );

  it('are large enough, in every language, and about half positive', () => {
    const [dev, holdout] = sets as [ReturnType<typeof parseExamples>, ReturnType<typeof parseExamples>];
    const count = (lang: string) => dev.filter((e) => e.lang === lang).length;
    expect(dev.length).toBeGreaterThanOrEqual(400);
    expect(count('en')).toBeGreaterThanOrEqual(120);
    for (const lang of ['es', 'fr', 'de', 'pt']) expect(count(lang)).toBeGreaterThanOrEqual(70);
    expect(holdout.length).toBeGreaterThanOrEqual(100);
    expect(new Set(holdout.map((e) => e.lang))).toEqual(new Set(['en', 'es', 'fr', 'de', 'pt']));
    for (const set of sets) {
      const share = set.filter((e) => e.label === 1).length / set.length;
      expect(share).toBeGreaterThan(0.4);
      expect(share).toBeLessThan(0.6);
    }
  });

  it('keeps recall at 0.95 or more and precision at 0.85 or more on both sets together', () => {
    const { overall } = evaluate(sets.flat());
    expect(overall.recall).toBeGreaterThanOrEqual(0.95);
    expect(overall.precision).toBeGreaterThanOrEqual(0.85);
  });
});

describe('crisis-language detection: hostile input', () => {
  const size = 50_000;
  const repeat = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

  it.each([
    ['one long word', repeat('a')],
    ['the start of many phrases', repeat('want to ')],
    ['phrases that almost match with gaps', repeat('took all of the my ')],
    ['negators and breakers', repeat("don't stop not never ")],
    ['apostrophes and elisions', repeat("l'd'j'm'n'qu'''")],
    ['punctuation only', repeat('.,;!?…\n')],
    ['numbers', repeat('12345678901234567890 ')],
    ['accents and marks', repeat('é̀̀̀̀ñ')],
    ['real risk words', repeat('kill myself suicidal overdose ')],
  ])('returns on 50,000 characters of %s', (_name, text) => {
    expect(text.length).toBe(size);
    const result = detectRisk(text);
    expect(typeof result.atRisk).toBe('boolean');
  });
});

describe('crisis-language detection: phrase lists', () => {
  it('explain a phrase they cannot read', () => {
    expect(() => compilePhrase('want to d!e', 'suicide')).toThrow(/"want to d!e".*not one word/);
    expect(() => compilePhrase('... die', 'suicide')).toThrow(/must start and end with a word/);
  });
});

describe('npm run safety:eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safety-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(content: string | null, ...extra: string[]) {
    const file = join(dir, `set-${Math.random().toString(36).slice(2)}.tsv`);
    if (content !== null) writeFileSync(file, content);
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/safety-eval.ts', file, ...extra], {
      cwd: root,
      encoding: 'utf8',
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  }

  it('prints precision and recall per language and, last, overall', () => {
    const { status, stdout } = run(
      [
        'label\tlang\ttext',
        "1\ten\tI don't want to be here anymore",
        '0\ten\tthis migraine is killing me',
        '1\tes\tquiero morirme',
        '0\tes\tme muero de risa',
        '1\tfr\tjust a sentence without risk words',
      ].join('\n') + '\n',
      '--errors',
    );
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('overall precision 1.000 recall 0.667');
    expect(stdout).toMatch(/^en\s+2\s+1\s+1\.000\s+1\.000/m);
    expect(stdout).toMatch(/^fr\s+1\s+1\s+0\.000\s+0\.000/m);
    expect(stdout).toContain('line 6 [fr] missed: just a sentence without risk words');
  });

  it.each([
    ['a missing file', null, /cannot read .*: no such file/],
    ['a wrong header', 'label,lang,text\n1,en,hello\n', /first line must be the header/],
    ['a row with two fields', 'label\tlang\ttext\n1\ten\n', /line 2: expected 3 tab-separated fields, found 2/],
    ['a bad label', 'label\tlang\ttext\nyes\ten\thello\n', /line 2: the label must be 0 or 1/],
    ['a bad language', 'label\tlang\ttext\n1\tenglish\thello\n', /line 2: the language must be a two-letter code/],
    ['no examples', 'label\tlang\ttext\n', /no examples/],
  ])('fails with a clear message and exit code 1 on %s', (_name, content, message) => {
    const { status, stderr, stdout } = run(content);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});
