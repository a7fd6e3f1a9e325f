import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { groups } from '../groups/schema.js';
import { nextOccurrence } from './json-ld.js';
import { directoryEntries, meetingTimes } from './schema.js';
import { sitemapFileCount, sitemapUrls } from './seo.js';

const BASE = 'https://mutual.example';

/** The JSON-LD blocks of a page, parsed as a search engine would. */
function jsonLdOf(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
    (m) => JSON.parse(m[1]!) as Record<string, unknown>,
  );
}
const noindex = (html: string) => html.includes('<meta name="robots" content="noindex"/>');
const canonicalOf = (html: string) => /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1] ?? null;

describe('the next occurrence of a weekly meeting', () => {
  it.each([
    // Friday 27 March 2026, 12:00 UTC; the clocks go forward in London on Sunday 29 March.
    ['Europe/London', 2, 19 * 60 + 30, '2026-03-27T12:00:00Z', '2026-03-31T19:30:00+01:00', '2026-03-31T18:30:00.000Z'],
    // The same day, later: this week's meeting.
    ['Europe/London', 5, 19 * 60, '2026-03-27T12:00:00Z', '2026-03-27T19:00:00+00:00', '2026-03-27T19:00:00.000Z'],
    // The same day, already begun: next week's, after the change.
    ['Europe/London', 5, 9 * 60, '2026-03-27T12:00:00Z', '2026-04-03T09:00:00+01:00', '2026-04-03T08:00:00.000Z'],
    // New York changes on 8 March 2026; Saturday evening before it, the meeting is on Monday.
    ['America/New_York', 1, 18 * 60, '2026-03-07T23:00:00Z', '2026-03-09T18:00:00-04:00', '2026-03-09T22:00:00.000Z'],
    // Kolkata: half-hour offset, and already Sunday there while it is Saturday in UTC.
    ['Asia/Kolkata', 0, 7 * 60, '2026-03-07T20:00:00Z', '2026-03-08T07:00:00+05:30', '2026-03-08T01:30:00.000Z'],
  ])('%s weekday %i at minute %i, from %s', (zone, weekday, minute, now, local, utc) => {
    const next = nextOccurrence(weekday, minute, zone, new Date(now));
    expect(next.local).toBe(local);
    expect(next.utc.toISOString()).toBe(utc);
  });
});

describe('search engines', () => {
  let world: TestWorld;
  let owner: { id: number; pseudonym: string; email: string; password: string };
  let ownerAgent: Agent;
  const slugs = { found: '', quiet: '', members: '', unlisted: '', xss: '' };

  async function optIn(slug: string) {
    const [g] = await world.database.db.select({ id: groups.id }).from(groups).where(eq(groups.slug, slug));
    await world.database.db
      .update(directoryEntries)
      .set({ searchEngines: true })
      .where(eq(directoryEntries.groupId, g!.id));
    return g!.id;
  }

  beforeAll(async () => {
    world = await createWorld({ baseUrl: `${BASE}/` });
    await world.createUser('Site Admin');
    owner = await world.createUser('Owner Ash');
    ownerAgent = world.agent();
    await ownerAgent.logIn(owner.email, owner.password);
    const db = world.database.db;
    slugs.found = (
      await makeGroup(world, owner, {
        name: 'Leeds carers circle',
        summary: 'Carers of people with dementia, in Leeds.',
      })
    ).slug;
    slugs.quiet = (await makeGroup(world, owner, { name: 'Quiet public group' })).slug;
    slugs.members = (await makeGroup(world, owner, { name: 'Members only circle', visibility: 'members' })).slug;
    slugs.unlisted = (await makeGroup(world, owner, { name: 'Unlisted circle' })).slug;
    slugs.xss = (await makeGroup(world, owner, { name: '</script><script>alert(1)</script>' })).slug;
    const foundId = await optIn(slugs.found);
    await optIn(slugs.members);
    await optIn(slugs.xss);
    const unlistedId = await optIn(slugs.unlisted);
    await db.update(groups).set({ listed: false }).where(eq(groups.id, unlistedId));
    const [entry] = await db
      .update(directoryEntries)
      .set({ placeName: 'Leeds, United Kingdom', countryCode: 'GB', latitude: 53.8, longitude: -1.55 })
      .where(eq(directoryEntries.groupId, foundId))
      .returning();
    await db.insert(meetingTimes).values([
      {
        entryId: entry!.id,
        groupId: foundId,
        weekday: 2,
        startMinute: 19 * 60 + 30,
        durationMinutes: 90,
        timeZone: 'Europe/London',
        place: 'in_person',
        utcWeekMinute: 2 * 1440 + 19 * 60 + 30,
      },
      {
        entryId: entry!.id,
        groupId: foundId,
        weekday: 6,
        startMinute: 10 * 60,
        durationMinutes: 60,
        timeZone: 'Europe/London',
        place: 'online',
        utcWeekMinute: 6 * 1440 + 10 * 60,
      },
    ]);
  });
  afterAll(() => world.close());

  it('lets a public, listed group that chose it be listed, with canonical, Open Graph and structured data', async () => {
    const visitor = world.agent();
    for (const path of [`/g/${slugs.found}`, `/g/${slugs.found}/about`]) {
      const page = await visitor.get(`${path}?page=1&utm_source=mail`);
      expect(page.statusCode).toBe(200);
      expect(noindex(page.body)).toBe(false);
      // Without paging or tracking parameters, at the public address (no doubled slash).
      expect(canonicalOf(page.body)).toBe(`${BASE}${path}`);
      expect(page.body).toContain(`<meta property="og:url" content="${BASE}${path}"/>`);
      expect(page.body).toContain('<meta property="og:site_name" content="Mutual"/>');
      expect(page.body).toContain(
        '<meta property="og:description" content="Carers of people with dementia, in Leeds."/>',
      );
      expect(page.body).toContain('<meta name="twitter:card" content="summary"/>');
      const [org, ...events] = jsonLdOf(page.body);
      expect(org).toMatchObject({
        '@context': 'https://schema.org',
        '@type': 'Organization',
        name: 'Leeds carers circle',
        description: 'Carers of people with dementia, in Leeds.',
        url: `${BASE}/g/${slugs.found}`,
        location: { '@type': 'Place', name: 'Leeds, United Kingdom', address: { addressCountry: 'GB' } },
      });
      expect(events).toHaveLength(2);
      const inPerson = events.find((e) => e.eventAttendanceMode === 'https://schema.org/OfflineEventAttendanceMode');
      expect(inPerson).toMatchObject({
        '@type': 'Event',
        name: 'Leeds carers circle',
        duration: 'PT1H30M',
        location: { '@type': 'Place', name: 'Leeds, United Kingdom' },
        organizer: { '@type': 'Organization', name: 'Leeds carers circle' },
        isAccessibleForFree: true,
      });
      expect(String(inPerson!.startDate)).toMatch(/^\d{4}-\d{2}-\d{2}T19:30:00\+0[01]:00$/);
      const online = events.find((e) => e.eventAttendanceMode === 'https://schema.org/OnlineEventAttendanceMode');
      expect(online).toMatchObject({ location: { '@type': 'VirtualLocation', url: `${BASE}/g/${slugs.found}` } });
      // No member, not even the owner, is named in it.
      expect(page.body.match(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g)!.join('')).not.toContain(
        owner.pseudonym,
      );
    }
  });

  it('keeps every other group page out of search engines', async () => {
    const visitor = world.agent();
    const thread = await makeThread(world, owner, slugs.found, 'Our first meeting', 'Welcome, everyone.');
    const pages = [
      `/g/${slugs.quiet}`, // public and listed, but did not choose search engines
      `/g/${slugs.quiet}/about`,
      `/g/${slugs.members}`, // chose it, but members-only
      `/g/${slugs.members}/about`,
      `/g/${slugs.unlisted}`, // chose it, but unlisted
      `/g/${slugs.unlisted}/about`,
      `/g/${slugs.found}/t/${thread.id}`, // discussions, never
      '/login',
      '/signup',
    ];
    for (const path of pages) {
      const page = await visitor.get(path);
      expect(page.statusCode, path).toBe(200);
      expect(noindex(page.body), path).toBe(true);
      expect(canonicalOf(page.body), path).toBeNull();
      expect(jsonLdOf(page.body), path).toEqual([]);
      expect(page.body, path).not.toContain('og:title');
    }
    // Signed in, even the chosen group's page is personal: search engines only ever see a visitor's.
    for (const path of [
      '/account',
      '/account/settings',
      '/notifications',
      `/g/${slugs.found}/threads/new`,
      `/g/${slugs.found}`,
    ]) {
      const page = await ownerAgent.get(path);
      expect(page.statusCode, path).toBe(200);
      expect(noindex(page.body), path).toBe(true);
    }
  });

  it('lets the site’s own front pages be listed', async () => {
    const visitor = world.agent();
    for (const path of ['/', '/groups', '/help']) {
      const page = await visitor.get(path);
      expect(page.statusCode, path).toBe(200);
      expect(noindex(page.body), path).toBe(false);
      expect(canonicalOf(page.body), path).toBe(`${BASE}${path}`);
    }
  });

  it('keeps a hostile group name inert inside the structured data', async () => {
    const page = await world.agent().get(`/g/${slugs.xss}/about`);
    const scripts = page.body.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g) ?? [];
    expect(scripts).toHaveLength(1);
    // The name's own tags are escaped, so only the block's real closing tag ends it.
    expect(scripts[0]).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(jsonLdOf(page.body)[0]!.name).toBe('</script><script>alert(1)</script>');
  });

  it('serves robots.txt that keeps crawlers from personal pages and points at the sitemap', async () => {
    const res = await world.agent().get('/robots.txt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const lines = res.body.split('\n');
    for (const path of ['/account', '/admin', '/notifications', '/search', '/g/*/t/', '/listings/new'])
      expect(lines).toContain(`Disallow: ${path}`);
    expect(lines).toContain('Allow: /');
    expect(lines).toContain(`Sitemap: ${BASE}/sitemap.xml`);
  });

  it('lists in the sitemap only public, listed groups that chose search engines', async () => {
    const index = await world.agent().get('/sitemap.xml');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^application\/xml/);
    expect(index.headers['cache-control']).toBe('public, max-age=3600');
    expect(index.body).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(index.body).toContain(`<loc>${BASE}/sitemaps/1.xml</loc>`);
    expect(index.body).not.toContain('/sitemaps/2.xml');

    const file = await world.agent().get('/sitemaps/1.xml');
    expect(file.statusCode).toBe(200);
    const locs = [...file.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual(
      expect.arrayContaining([
        `${BASE}/`,
        `${BASE}/groups`,
        `${BASE}/find`,
        `${BASE}/help`,
        `${BASE}/g/${slugs.found}`,
        `${BASE}/g/${slugs.found}/about`,
        `${BASE}/g/${slugs.xss}`,
      ]),
    );
    for (const hidden of [slugs.quiet, slugs.members, slugs.unlisted])
      expect(file.body, hidden).not.toContain(`/g/${hidden}<`);
    expect(file.body).toMatch(new RegExp(`<loc>${BASE}/g/${slugs.found}</loc><lastmod>\\d{4}-\\d{2}-\\d{2}T`));
    expect((await world.agent().get('/sitemaps/2.xml')).statusCode).toBe(404);
    expect((await world.agent().get('/sitemaps/x.xml')).statusCode).toBe(404);
  });

  it('splits a big sitemap into files, each built with one query', async () => {
    const db = world.database.db;
    // Two findable groups, one per file: the site's pages open the first.
    expect(await sitemapFileCount(db, 1)).toBe(2);
    const first = await sitemapUrls(db, 1, 1);
    const second = await sitemapUrls(db, 2, 1);
    expect(first!.map((u) => u.path)).toEqual([
      '/',
      '/groups',
      '/find',
      '/help',
      `/g/${slugs.found}`,
      `/g/${slugs.found}/about`,
    ]);
    expect(second!.map((u) => u.path)).toEqual([`/g/${slugs.xss}`, `/g/${slugs.xss}/about`]);
    expect(await sitemapUrls(db, 3, 1)).toBeNull();
  });
});
