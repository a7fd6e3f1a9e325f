import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refreshDirectoryStats } from '../../src/features/directory/index.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeEntry } from '../helpers/directory.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * The directory in a real browser: Sam, on a small phone, searches for "diabetis", is shown
 * diabetes groups, ticks "In person" and sees the results and counts refresh in place (htmx),
 * the count announced and the address following; then opens a group. Every page is checked with
 * axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Searching the directory, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let sam: Person;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Olu');
    const e = (spec: Parameters<typeof makeEntry>[2]) => makeEntry(world, owner, spec);
    await e({ name: 'Type 1 together', topics: ['diabetes'], formats: ['forum', 'chat'], activeMembers: 40 });
    await e({
      name: 'Diabetes walk and talk',
      topics: ['diabetes'],
      formats: ['in_person'],
      place: { name: 'Leeds', latitude: 53.7965, longitude: -1.5478 },
      meetings: [{ weekday: 6, start: '10:00', timeZone: 'Europe/London', place: 'in_person' }],
    });
    await e({ name: 'Grief cafe', topics: ['bereavement'], formats: ['in_person'] });
    await refreshDirectoryStats(world.database.db);
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    sam = await Person.open(browser, baseUrl, 'Sam', audit, { width: 360, height: 740 });
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('searches, filters in place and opens a group', async () => {
    const { page } = sam;
    await sam.visit('/');
    await page.getByLabel('Search support groups by what you are going through').fill('diabetis');
    await sam.follow(() => page.getByRole('button', { name: 'Search' }).click());
    expect(sam.path).toBe('/groups?q=diabetis');
    await expect.poll(() => page.locator('#directory-status').textContent()).toBe('2 groups found');
    await page.getByText('Showing results for diabetes (you searched for diabetis).').waitFor();
    // The browser's time zone goes with the next search.
    expect(await page.locator('input[name=tz]').inputValue()).not.toBe('');

    await sam.markDocument();
    await page.getByRole('group', { name: 'How it meets' }).getByLabel('In person').check();
    await expect.poll(() => page.locator('#directory-status').textContent()).toBe('1 group found');
    expect(await sam.isSameDocument()).toBe(true);
    expect(sam.path).toContain('format=in_person');
    // The box just ticked keeps the focus after the swap.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-format-in_person');
    await expect.poll(() => page.locator('.directory-card').count()).toBe(1);
    await sam.check();

    await sam.follow(() => page.getByRole('link', { name: 'Diabetes walk and talk' }).click());
    await page.getByRole('heading', { level: 1, name: 'Diabetes walk and talk' }).waitFor();
  });
});
