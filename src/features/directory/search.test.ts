import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { makeEntry } from '../../../test/helpers/directory.js';
import { countQueries } from '../../platform/db/client.js';
import { refreshDirectoryStats } from './stats.js';
import { emptyDirectoryQuery, matchTopics, parseDirectoryQuery, searchDirectory } from './search.js';
import type { DirectoryQuery } from './types.js';

const leeds = { name: 'Leeds', latitude: 53.7965, longitude: -1.5478 };
const bradford = { name: 'Bradford', latitude: 53.7939, longitude: -1.7521 };
const london = { name: 'London', latitude: 51.5085, longitude: -0.1257 };

describe('searching the directory', () => {
  let world: TestWorld;
  const search = (q: Partial<DirectoryQuery>) => searchDirectory(world.database.db, { ...emptyDirectoryQuery(), ...q });
  const names = async (q: Partial<DirectoryQuery>) => (await search(q)).results.map((r) => r.name);

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Owner');
    const e = (spec: Parameters<typeof makeEntry>[2]) => makeEntry(world, owner, spec);
    await e({
      name: 'Diabetes friends',
      summary: 'Living with type 1 and type 2, together.',
      topics: ['diabetes'],
      formats: ['forum', 'chat'],
      activeMembers: 12,
      postsLast30Days: 80,
      replyRate: 0.9,
    });
    await e({
      name: 'Kitchen table',
      summary: 'A cooking circle for everyone.',
      description: 'Some of us have diabetes and swap recipes.',
      formats: ['forum'],
    });
    await e({
      name: 'MS Circle Leeds',
      summary: 'Meeting in person in Leeds.',
      topics: ['multiple-sclerosis'],
      formats: ['in_person'],
      leadership: 'professional',
      place: leeds,
      meetings: [{ weekday: 2, start: '19:00', timeZone: 'Europe/London', place: 'in_person' }],
    });
    await e({
      name: 'Bradford walkers',
      summary: 'Walking together after a loss.',
      topics: ['bereavement'],
      formats: ['in_person'],
      place: bradford,
      meetings: [{ weekday: 6, start: '10:00', timeZone: 'Europe/London', place: 'in_person' }],
    });
    await e({
      name: 'London grief cafe',
      summary: 'Tea and talk after someone dies.',
      topics: ['bereavement'],
      formats: ['in_person'],
      place: london,
      access: 'approval',
    });
    await e({
      name: 'Sober mornings',
      summary: 'Daily check-ins for staying sober.',
      topics: ['alcohol'],
      formats: ['online_meetings'],
      meetings: [{ weekday: 1, start: '07:30', timeZone: 'America/New_York' }],
    });
    await e({ name: 'Carers of people with dementia', topics: ['dementia-carers'], audiences: ['carers'] });
    await e({ name: 'Hidden diabetes group', topics: ['diabetes'], listed: false });
    await e({ name: 'Pending diabetes listing', topics: ['diabetes'], listing: 'pending' });
    await e({
      name: 'Diabetes walk and talk',
      summary: 'A hosted elsewhere walking group.',
      topics: ['diabetes'],
      listing: 'approved',
      formats: ['in_person'],
    });
    await e({ name: 'Quiet anxiety corner', summary: 'Talking about anxiety.', topics: ['anxiety'] });
    await e({
      name: 'Lively anxiety corner',
      summary: 'Talking about anxiety.',
      topics: ['anxiety'],
      activeMembers: 30,
      postsLast30Days: 200,
      replyRate: 0.95,
    });
    await e({
      name: 'Evening worriers',
      summary: 'An online meeting for anxiety, in the evening in New York.',
      topics: ['anxiety'],
      formats: ['online_meetings'],
      meetings: [{ weekday: 3, start: '19:00', timeZone: 'America/New_York' }],
    });
    await refreshDirectoryStats(world.database.db);
  });
  afterAll(() => world.close());

  it('finds by name, and ranks a name above a mention in the description', async () => {
    const found = await names({ text: 'diabetes' });
    expect(found.indexOf('Diabetes friends')).toBeLessThan(found.indexOf('Kitchen table'));
    expect(found).toContain('Kitchen table');
  });

  it('corrects a typo', async () => {
    const results = await search({ text: 'diabetis' });
    expect(results.correctedText).toBe('diabetes');
    expect(results.results.map((r) => r.name)).toContain('Diabetes friends');
  });

  it('expands synonyms and abbreviations', async () => {
    const ms = await search({ text: 'MS' });
    expect(ms.matchedTopics.map((t) => t.slug)).toEqual(['multiple-sclerosis']);
    expect(ms.results[0]?.name).toBe('MS Circle Leeds');
    expect(await names({ text: 'bereavement' })).toEqual(
      expect.arrayContaining(['Bradford walkers', 'London grief cafe']),
    );
    expect((await names({ text: 'AA' }))[0]).toBe('Sober mornings');
  });

  it('never shows unlisted groups or pending listings', async () => {
    const results = await search({ text: 'diabetes' });
    const found = results.results.map((r) => r.name);
    expect(found).not.toContain('Hidden diabetes group');
    expect(found).not.toContain('Pending diabetes listing');
    expect(found).toContain('Diabetes walk and talk');
    expect(results.total).toBe(3);
  });

  it('filters by distance and sorts by it', async () => {
    const near = { label: 'Leeds', latitude: leeds.latitude, longitude: leeds.longitude, country: 'GB' };
    const results = await search({ near, withinKm: 25, sort: 'distance' });
    expect(results.results.map((r) => r.name)).toEqual(['MS Circle Leeds', 'Bradford walkers']);
    expect(results.results[1]?.distanceKm).toBeGreaterThan(10);
    expect(results.results[1]?.distanceKm).toBeLessThan(16);
  });

  it('ranks an active, responsive group above a silent one with the same words', async () => {
    const found = await names({ text: 'anxiety corner' });
    expect(found.slice(0, 2)).toEqual(['Lively anxiety corner', 'Quiet anxiety corner']);
  });

  it("finds meetings in the visitor's own evenings, in two time zones", async () => {
    // 19:00 in New York is midnight in London; 19:00 in Leeds is 14:00 in New York.
    expect(await names({ when: ['evenings'], timeZone: 'America/New_York' })).toEqual(['Evening worriers']);
    expect(await names({ when: ['evenings'], timeZone: 'Europe/London' })).toEqual(['MS Circle Leeds']);
    expect(await names({ when: ['afternoons'], timeZone: 'America/New_York' })).toContain('MS Circle Leeds');
    // 07:30 in New York is 12:30 in London: morning there, afternoon here.
    expect(await names({ when: ['mornings'], timeZone: 'America/New_York' })).toContain('Sober mornings');
    expect(await names({ when: ['mornings'], timeZone: 'Europe/London' })).not.toContain('Sober mornings');
    expect(await names({ when: ['weekends'], timeZone: 'Europe/London' })).toEqual(['Bradford walkers']);
  });

  it('combines facets: OR within one, AND across them, counts leaving out their own choice', async () => {
    const results = await search({ formats: ['in_person', 'online_meetings'], topics: ['grief-loss'] });
    expect(results.results.map((r) => r.name).sort()).toEqual(['Bradford walkers', 'London grief cafe']);
    const format = Object.fromEntries(results.facets.format.map((f) => [f.value, f.count]));
    // Formats counted among grief groups, whatever format was chosen.
    expect(format).toMatchObject({ in_person: 2, online_meetings: 0, forum: 0 });
    const topic = Object.fromEntries(results.facets.topic.map((f) => [f.value, f.count]));
    // Topics counted among in-person or online-meeting entries: a category counts its children.
    expect(topic).toMatchObject({ 'grief-loss': 2, bereavement: 2, 'multiple-sclerosis': 1, 'chronic-illness': 2 });
    expect(topic.alcohol).toBe(1);
    const access = await search({ access: ['approval'] });
    expect(access.results.map((r) => r.name)).toEqual(['London grief cafe']);
    const leaders = await search({ leadership: ['professional'] });
    expect(leaders.results.map((r) => r.name)).toEqual(['MS Circle Leeds']);
    const carers = await search({ audiences: ['carers'] });
    expect(carers.results.map((r) => r.name)).toEqual(['Carers of people with dementia']);
    const elsewhere = await search({ kinds: ['listing'] });
    expect(elsewhere.results.map((r) => r.name)).toEqual(['Diabetes walk and talk']);
    expect(elsewhere.results[0]?.href).toMatch(/^\/listings\/\d+$/);
  });

  it('never counts unlisted groups or pending listings in any facet', async () => {
    const results = await search({ topics: ['diabetes'] });
    expect(results.total).toBe(2);
    const kind = Object.fromEntries(results.facets.kind.map((f) => [f.value, f.count]));
    expect(kind).toEqual({ group: 1, listing: 1 });
    const everything = await search({});
    const topic = Object.fromEntries(everything.facets.topic.map((f) => [f.value, f.count]));
    expect(topic.diabetes).toBe(2);
  });

  it('counts facets', async () => {
    const results = await search({ formats: ['in_person'] });
    expect(results.total).toBe(4);
    const format = Object.fromEntries(results.facets.format.map((f) => [f.value, f.count]));
    expect(format.in_person).toBe(4);
    expect(format.forum).toBeGreaterThanOrEqual(3);
  });

  it('makes the same number of queries whatever the page size', async () => {
    const db = world.database.db;
    const q = { ...emptyDirectoryQuery(), text: 'diabetis group' };
    await searchDirectory(db, q);
    const small = await countQueries(() => searchDirectory(db, { ...q, pageSize: 1 }));
    const large = await countQueries(() => searchDirectory(db, { ...q, pageSize: 50 }));
    expect(large.queries).toBe(small.queries);
    expect(small.queries).toBeLessThanOrEqual(2);
  });

  it('answers a repeated search from memory when the page asks it to, until the answer expires', async () => {
    const db = world.database.db;
    const q = { ...emptyDirectoryQuery(), text: 'quilting' };
    const first = await searchDirectory(db, q, { cacheMs: 60_000 });
    expect(first.total).toBe(0);
    const owner = await world.createUser('Quilter');
    await makeEntry(world, owner, { name: 'Quilting for calm', summary: 'Sewing together, slowly, on Sundays.' });
    const again = await countQueries(() => searchDirectory(db, q, { cacheMs: 60_000 }));
    expect(again.queries).toBe(0);
    expect(again.result.total).toBe(0);
    // A different search, or one without the memory, sees the new group at once.
    expect((await searchDirectory(db, q)).results.map((r) => r.name)).toEqual(['Quilting for calm']);
    expect((await searchDirectory(db, { ...q, sort: 'newest' }, { cacheMs: 60_000 })).total).toBe(1);
  });

  it('matches topics by name and synonym, longest first', async () => {
    const found = await matchTopics(world.database.db, 'My mum has dementia and I’m exhausted');
    expect(found.map((t) => t.slug)).toEqual(expect.arrayContaining(['dementia-carers', 'dementia', 'ageing-parents']));
    expect(found[0]?.slug).toBe('dementia-carers');
  });

  it('parses a query string without throwing', () => {
    const q = parseDirectoryQuery(
      { q: '  grief ', format: ['forum', 'nonsense'], page: '-3', within: '7', sort: 'distance', tz: 'Nowhere/Else' },
      { timeZone: 'Europe/Paris' },
    );
    expect(q).toMatchObject({ text: 'grief', formats: ['forum'], page: 1, withinKm: 25, sort: 'relevance' });
    expect(q.timeZone).toBe('Europe/Paris');
    expect(parseDirectoryQuery('junk', { timeZone: 'UTC' }).text).toBe('');
  });
});

describe('the directory page', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Page owner');
    const e = (spec: Parameters<typeof makeEntry>[2]) => makeEntry(world, owner, spec);
    await e({ name: 'Diabetes in Leeds', topics: ['diabetes'], formats: ['in_person'], place: leeds });
    await e({ name: 'Diabetes in London', topics: ['diabetes'], formats: ['in_person'], place: london });
    await e({ name: 'Diabetes online', topics: ['diabetes'], formats: ['forum'], visibility: 'members' });
    await e({ name: 'Secret diabetes circle', topics: ['diabetes'], listed: false });
    await refreshDirectoryStats(world.database.db);
  });
  afterAll(() => world.close());

  it('searches without JavaScript, correcting typos, and never lists an unlisted group', async () => {
    const res = await world.agent().get('/groups?q=diabetis');
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('Showing results for diabetes (you searched for diabetis).');
    expect(text).toContain('3 groups found');
    expect(text).toContain('Diabetes online');
    expect(text).toContain('Members-only discussions');
    expect(text).not.toContain('Secret diabetes circle');
  });

  it('finds groups near a place, nearest first', async () => {
    const text = textOf((await world.agent().get('/groups?near=Leeds&within=25&sort=distance')).body);
    expect(text).toContain('Diabetes in Leeds');
    expect(text).not.toContain('Diabetes in London');
    expect(text).toContain('1 group found');
  });

  it('answers htmx with the filters and results, and the count for the live region', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/groups?format=in_person',
      headers: { 'hx-request': 'true' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<html');
    expect(res.body).toContain('id="directory"');
    expect(res.body).toMatch(/id="directory-status"[^>]*hx-swap-oob="innerHTML"/);
    expect(textOf(res.body)).toContain('2 groups found');
    expect(res.body).toMatch(/id="filter-format-in_person"[^>]*checked/);
  });

  it('shows a kind way forward when nothing matches', async () => {
    const res = await world.agent().get('/groups?q=zzzzqqq');
    expect(textOf(res.body)).toContain('No groups match all of that yet');
    expect(res.body).toContain('href="/find"');
    expect(res.body).toContain('href="/listings/new"');
  });

  it('makes the same number of queries for one result or many', async () => {
    const agent = world.agent();
    await agent.get('/groups');
    const one = await countQueries(() => agent.get('/groups?q=Leeds'));
    const all = await countQueries(() => agent.get('/groups?q=diabetes'));
    expect(all.queries).toBe(one.queries);
  });

  it('never fails on odd input', async () => {
    for (const url of [
      '/groups?page=99999999999',
      '/groups?lat=abc&lon=1',
      '/groups?within=-1&sort=nonsense',
      '/groups?topic=%00&format[]=x',
      `/groups?q=${'a'.repeat(5000)}`,
      '/groups?q=%22unclosed&q=two',
      '/groups?q=-&tz=Not/AZone',
    ]) {
      expect((await world.agent().get(url)).statusCode, url).toBe(200);
    }
  });
});
