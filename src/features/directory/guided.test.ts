import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeEntry } from '../../../test/helpers/directory.js';
import { countQueries } from '../../platform/db/client.js';
import { readText } from './guided.js';

const leeds = { name: 'Leeds', latitude: 53.7965, longitude: -1.5478 };

describe('reading whom a person looks for help for', () => {
  it.each([
    ['my mum has dementia and I’m exhausted', 'carers', null],
    ['I look after my dad, who had a stroke', 'carers', null],
    ['My husband’s MS is getting worse', 'carers', null],
    ['I was diagnosed with MS last year', 'self', null],
    ['I’m living with dementia', 'self', null],
    ['I lost my husband to cancer', 'self', 'grief-loss'],
    ['my son died in the spring', 'self', 'grief-loss'],
    ['I was diagnosed with lupus and I look after my son', 'both', null],
    ['anxiety and panic attacks', null, null],
    ['Cuido a mi madre, que tiene alzhéimer', 'carers', null],
    ['Je m’occupe de ma mère', 'carers', null],
    ['mi padre tiene demencia', 'carers', null],
  ])('“%s”', (text, audience, lossTopic) => {
    expect(readText(text)).toEqual({ audience, lossTopic });
  });
});

describe('help me find a group', () => {
  let world: TestWorld;
  let visitor: Agent;
  const names = (html: string) =>
    [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
  const find = (params: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const item of [v].flat()) query.append(k, item);
    return visitor.get(`/find?${query.toString()}`, headers);
  };

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Owner');
    const e = (spec: Parameters<typeof makeEntry>[2]) => makeEntry(world, owner, spec);
    await e({
      name: 'Dementia carers circle',
      summary: 'For people looking after someone with dementia.',
      topics: ['dementia-carers'],
      audiences: ['carers'],
      formats: ['online_meetings'],
      meetings: [{ weekday: 2, start: '19:30', timeZone: 'Europe/London' }],
      activeMembers: 40,
      replyRate: 0.8,
    });
    await e({
      name: 'Living with dementia',
      summary: 'For people who have a diagnosis of dementia.',
      topics: ['dementia'],
      audiences: ['self'],
      activeMembers: 90,
      replyRate: 0.9,
    });
    await e({
      name: 'Carers’ cafe',
      summary: 'A place for anyone caring for a family member.',
      topics: ['caregiving'],
      audiences: ['carers'],
      leadership: 'professional',
      activeMembers: 12,
    });
    await e({ name: 'Type 1 together', topics: ['diabetes'], activeMembers: 200, replyRate: 0.95 });
    await e({ name: 'Running for your mind', topics: ['depression'], activeMembers: 150 });
    await e({ name: 'Secret dementia carers', topics: ['dementia-carers'], audiences: ['carers'], listed: false });
    await e({
      name: 'Leeds memory cafe',
      summary: 'Tea and company for carers, in person.',
      topics: ['dementia-carers'],
      audiences: ['carers'],
      formats: ['in_person'],
      place: leeds,
      meetings: [{ weekday: 4, start: '14:00', timeZone: 'Europe/London', place: 'in_person' }],
      listing: 'approved',
    });
    visitor = world.agent();
  }, 60_000);
  afterAll(() => world.close());

  it('puts caregivers’ groups first for someone whose mum has dementia', async () => {
    const res = await find({ step: 'results', about: 'my mum has dementia and I’m exhausted' });
    expect(res.statusCode).toBe(200);
    const shown = names(res.body);
    // Carers' groups about dementia, then carers' groups in general, then the group for people with it.
    expect(shown.slice(0, 3).sort()).toEqual(
      ['Dementia carers circle', 'Leeds memory cafe'].concat('Carers’ cafe').sort(),
    );
    expect(shown.indexOf('Carers’ cafe')).toBeGreaterThan(shown.indexOf('Dementia carers circle'));
    expect(shown.indexOf('Living with dementia')).toBeGreaterThan(shown.indexOf('Carers’ cafe'));
    expect(shown).not.toContain('Type 1 together');
    expect(shown).not.toContain('Running for your mind');
    expect(shown).not.toContain('Secret dementia carers');
    const text = textOf(res.body);
    expect(text).toMatch(/We looked for groups about: Caring for someone with dementia\b/);
    expect(text).toContain('so groups for carers come first');
  });

  it('puts the group for people with dementia first for someone speaking of themselves', async () => {
    const shown = names((await find({ step: 'results', about: 'I was diagnosed with dementia in May' })).body);
    expect(shown[0]).toBe('Living with dementia');
    expect(shown).not.toContain('Type 1 together');
  });

  it('follows the answer to “who is it for” when the words do not say', async () => {
    const shown = names((await find({ step: 'results', about: 'dementia', for: 'carer' })).body);
    expect(shown.indexOf('Dementia carers circle')).toBeLessThan(shown.indexOf('Living with dementia'));
    const self = names((await find({ step: 'results', about: 'dementia', for: 'self' })).body);
    expect(self[0]).toBe('Living with dementia');
  });

  it('explains each suggestion in one line, from its facts', async () => {
    const text = textOf((await find({ step: 'results', about: 'my mum has dementia' })).body);
    expect(text).toMatch(
      /Dementia carers circle For carers · Peer-led · Meets Tuesdays 19:30–20:30 [^·]*online · 40 active members · Replies to most posts/,
    );
    expect(text).toContain('Carers’ cafe For carers · Professionally facilitated · Forum · 12 active members');
    expect(text).toMatch(
      /Leeds memory cafe Hosted elsewhere · For carers · Peer-led · Meets Thursdays 14:00–15:00 [^·]*in person · In Leeds/,
    );
  });

  it('puts an in-person group near the place first, and says how far it is', async () => {
    const res = await find({ step: 'results', about: 'my mum has dementia', way: 'in_person', near: 'Leeds' });
    const shown = names(res.body);
    expect(shown[0]).toBe('Leeds memory cafe');
    expect(textOf(res.body)).toMatch(
      /Leeds memory cafe Hosted elsewhere · For carers · Peer-led · Meets [^·]+ · Less than 1 km away/,
    );
    expect(textOf(res.body)).not.toContain('No in-person groups near');
  });

  it('relaxes wishes it cannot meet, and says so kindly', async () => {
    const res = await find({ step: 'results', about: 'my dad has dementia', way: 'in_person', near: 'Manchester' });
    const text = textOf(res.body);
    expect(text).toContain('No in-person groups near Manchester');
    expect(text).toContain('these meet online or further away');
    expect(names(res.body)[0]).toBe('Dementia carers circle');

    const phone = textOf((await find({ step: 'results', about: 'my dad has dementia', way: 'phone' })).body);
    expect(phone).toContain(
      'We found no groups for this that meet by phone yet, so these keep in touch in other ways.',
    );
    expect(phone).toContain('Dementia carers circle');

    const french = await find({ step: 'results', about: 'my dad has dementia', language: 'fr' });
    expect(textOf(french.body)).toContain(
      'No groups for this speak français (French) yet, so these are in other languages.',
    );
    expect(names(french.body)[0]).toBe('Dementia carers circle');
  });

  it('shows help above the suggestions when the words read as someone in danger, never instead of them', async () => {
    const res = await find({ step: 'results', about: 'my mum has dementia and I want to end my life' });
    const text = textOf(res.body);
    expect(text).toContain('You don’t have to face this alone');
    expect(res.body).toContain('href="/help"');
    expect(text.indexOf('You don’t have to face this alone')).toBeLessThan(text.indexOf('Dementia carers circle'));
    expect(names(res.body)[0]).toBe('Dementia carers circle');
    // And straight away on the next question, rather than only at the end.
    expect(textOf((await find({ step: '2', about: 'I want to end my life' })).body)).toContain(
      'You don’t have to face this alone',
    );
    expect(textOf((await find({ step: 'results', about: 'my mum has dementia' })).body)).not.toContain(
      'You don’t have to face this alone',
    );
  });

  it('works without JavaScript: each step is a GET form carrying the earlier answers', async () => {
    const first = await visitor.get('/find');
    expect(first.statusCode).toBe(200);
    expect(textOf(first.body)).toContain('Step 1 of 5');
    expect(first.body).toContain('<form id="directory-form" method="get" action="/find"');
    expect(/<title>([^<]*)<\/title>/.exec(first.body)?.[1]).toBe('Help me find a group · Mutual');
    expect(first.body).toContain('<link rel="canonical" href="http://localhost:3000/find"/>');
    expect(first.body).toContain('<input type="hidden" name="step" value="2"/>');
    expect(textOf(first.body)).toContain('Caregiving');

    const about = 'my mum has dementia';
    const second = await find({ step: '2', about, topic: 'caregiving' });
    expect(textOf(second.body)).toContain('Step 2 of 5');
    expect(second.body).toContain(`<input type="hidden" name="about" value="${about}"/>`);
    expect(second.body).toContain('<input type="hidden" name="topic" value="caregiving"/>');
    expect(second.body).toContain('name="for" value="carer"');
    // Back and skip are plain links that keep the answers.
    expect(second.body).toMatch(
      /href="\/find\?step=1&amp;about=my\+mum\+has\+dementia&amp;topic=caregiving"[^>]*>Back/,
    );
    expect(second.body).toMatch(/href="\/find\?step=3&amp;about=my\+mum[^"]*"[^>]*>Skip this question/);
    // What they wrote is never in the title.
    expect(/<title>([^<]*)<\/title>/.exec(second.body)?.[1]).toBe('Help me find a group, step 2 of 5 · Mutual');
    expect(second.body).toContain('<meta name="robots" content="noindex"');

    const fifth = await find({ step: '5', about, for: 'carer', way: ['forum', 'chat'], language: 'en' });
    expect(fifth.body).toContain('<input type="hidden" name="way" value="chat"/>');
    expect(fifth.body).toContain('<input type="hidden" name="step" value="results"/>');
    expect(textOf(fifth.body)).toContain('Show groups');

    const results = await find({
      step: 'results',
      about,
      for: 'carer',
      way: ['forum', 'chat'],
      language: 'en',
      near: '',
    });
    expect(/<title>([^<]*)<\/title>/.exec(results.body)?.[1]).toBe('Groups that might suit you · Mutual');
    expect(results.body).toContain('href="/listings/new"');
    const refine = /href="(\/groups\?[^"]*)">See more in the full directory/.exec(results.body)?.[1] ?? '';
    const filters = new URLSearchParams(refine.replaceAll('&amp;', '&').split('?')[1]);
    expect(filters.getAll('topic')).toEqual(expect.arrayContaining(['dementia-carers', 'caregiving']));
    expect(filters.get('audience')).toBe('carers');
    expect(filters.get('language')).toBe('en');
    expect(refine).not.toContain('about');
  });

  it('gives htmx only the step, with its heading focused, and the whole page to restore history', async () => {
    const swapped = await find({ step: '3', about: 'grief' }, { 'hx-request': 'true' });
    expect(
      swapped.body.startsWith(
        '<title>Help me find a group, step 3 of 5 · Mutual</title><div id="find-step" hx-history="false">',
      ),
    ).toBe(true);
    expect(swapped.body).toContain('<h1 id="find-heading" tabindex="-1" autofocus');
    expect(swapped.body).not.toContain('<html');
    const restored = await find(
      { step: '3', about: 'grief' },
      { 'hx-request': 'true', 'hx-history-restore-request': 'true' },
    );
    expect(restored.body).toContain('<html');
    expect(restored.body).not.toContain('autofocus');
  });

  it('brings a place it cannot find back to its question, with what was typed', async () => {
    const res = await find({ step: 'results', about: 'grief', near: 'Xyzzyqwv' });
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('Step 5 of 5');
    expect(text).toContain('We could not find a place called “Xyzzyqwv”');
    expect(res.body).toContain('value="Xyzzyqwv"');
    const long = await find({ step: '2', about: 'x'.repeat(501) });
    expect(long.statusCode).toBe(422);
    expect(textOf(long.body)).toContain('Please keep this to 500 characters');
    expect(long.body).toContain('x'.repeat(501));
  });

  it('never fails on odd input', async () => {
    const odd: Record<string, string | string[]>[] = [
      { step: 'nine', for: 'everyone', way: 'carrier pigeon', language: 'klingon', lat: '999', lon: 'x' },
      { step: 'results', topic: ['../../etc', 'caregiving'], about: '<script>alert(1)</script>' },
      { step: 'results', lat: '53.8', lon: '-1.55' },
    ];
    for (const params of odd) {
      const res = await find(params);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('<script>alert(1)</script>');
    }
  });

  it('makes the same few queries however many groups it suggests', async () => {
    const dementia = { step: 'results', about: 'my mum has dementia' };
    await find(dementia);
    const before = await countQueries(() => find(dementia));
    const owner = await world.createUser('Another owner');
    for (const n of [1, 2, 3, 4, 5]) {
      await makeEntry(world, owner, {
        name: `Dementia carers ${n}`,
        topics: ['dementia-carers'],
        audiences: ['carers'],
        meetings: [{ weekday: n, start: '10:00', timeZone: 'Europe/London' }],
      });
    }
    const after = await countQueries(() => find(dementia));
    expect(names(after.result.body).length).toBeGreaterThan(names(before.result.body).length + 3);
    expect(after.queries).toBe(before.queries);
    expect(after.queries).toBeLessThanOrEqual(12);
  });
});
