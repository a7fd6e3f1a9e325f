import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { ApiClient } from '../../../test/helpers/api.js';
import { makeEntry } from '../../../test/helpers/directory.js';

interface Entry {
  kind: string;
  slug: string | null;
  name: string;
  formats: string[];
  topics: { slug: string }[];
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
  total: number;
}

describe('finding groups through the JSON API', () => {
  let world: TestWorld;
  let api: ApiClient;
  const find = async (query: string) => {
    const res = await api.get(`/api/v1/groups?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return JSON.parse(res.body) as Page;
  };

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Owner');
    const e = (spec: Parameters<typeof makeEntry>[2]) => makeEntry(world, owner, spec);
    await e({ name: 'Diabetes friends', topics: ['diabetes'], formats: ['forum', 'chat'] });
    await e({ name: 'Walking after loss', topics: ['bereavement'], formats: ['in_person'] });
    await e({ name: 'Tea after loss', topics: ['bereavement'], formats: ['in_person', 'phone'] });
    await e({ name: 'Evening grief circle', topics: ['bereavement'], formats: ['online_meetings'] });
    await e({ name: 'Hidden bereavement group', topics: ['bereavement'], formats: ['in_person'], listed: false });
    await e({ name: 'Bereavement cafe elsewhere', topics: ['bereavement'], listing: 'approved' });
    api = new ApiClient(world.app, null);
  });
  afterAll(() => world.close());

  it('searches with the directory’s filters, and never lists an unlisted group', async () => {
    const inPerson = await find('topic=bereavement&format=in_person&kind=group');
    expect(inPerson.items.map((g) => g.name).sort()).toEqual(['Tea after loss', 'Walking after loss']);
    expect(inPerson.items.every((g) => g.kind === 'group' && g.slug !== null)).toBe(true);
    const both = await find('topic=bereavement&format=in_person&format=phone');
    expect(both.items.map((g) => g.name)).toContain('Tea after loss');
    const text = await find('q=diabetes');
    expect(text.items.map((g) => g.name)).toEqual(['Diabetes friends']);
    const all = await find('limit=100');
    expect(all.items.map((g) => g.name)).not.toContain('Hidden bereavement group');
    expect(all.items.find((g) => g.name === 'Bereavement cafe elsewhere')).toMatchObject({
      kind: 'listing',
      slug: null,
    });
  });

  it('pages with a cursor: every entry once, in a stable order', async () => {
    const whole = await find('topic=bereavement&limit=100');
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await find(`topic=bereavement&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(whole.total);
      names.push(...page.items.map((g) => g.name));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(whole.total / 2));
    expect(names).toEqual(whole.items.map((g) => g.name));
  });

  it('refuses a filter it does not know with a problem naming it', async () => {
    const res = await api.get('/api/v1/groups?format=carrier-pigeon');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Object.keys((JSON.parse(res.body) as { errors: Record<string, string> }).errors)).toEqual(['format']);
  });
});
