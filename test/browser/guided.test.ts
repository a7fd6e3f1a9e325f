import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeEntry } from '../helpers/directory.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * "Help me find a group" in a real browser: Maya, on a small phone, writes that her mum has
 * dementia and she is exhausted, answers the questions (htmx swaps each one in place and moves
 * focus to its heading; the address follows), and gets carers' groups first, each with its reason.
 * She goes back to change an answer, then opens a suggestion. Every step is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Help me find a group, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let maya: Person;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Olu');
    const e = (spec: Parameters<typeof makeEntry>[2]) => makeEntry(world, owner, spec);
    await e({
      name: 'Dementia carers circle',
      topics: ['dementia-carers'],
      audiences: ['carers'],
      formats: ['online_meetings'],
      meetings: [{ weekday: 2, start: '19:30', timeZone: 'Europe/London' }],
      activeMembers: 40,
    });
    await e({ name: 'Living with dementia', topics: ['dementia'], activeMembers: 90 });
    await e({ name: 'Carers’ cafe', topics: ['caregiving'], audiences: ['carers'], leadership: 'professional' });
    await e({ name: 'Type 1 together', topics: ['diabetes'], activeMembers: 200 });
    await e({
      name: 'Leeds memory cafe',
      topics: ['dementia-carers'],
      audiences: ['carers'],
      formats: ['in_person'],
      place: { name: 'Leeds', latitude: 53.7965, longitude: -1.5478 },
      listing: 'approved',
    });
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    maya = await Person.open(browser, baseUrl, 'Maya', audit, { width: 360, height: 740 });
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  /** Waits for htmx to swap in the step with this heading, then checks the page as it is now. */
  async function stepShows(heading: string) {
    const { page } = maya;
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    // Focus follows the new question, so a screen reader reads it next.
    await page.waitForFunction((text) => document.activeElement?.textContent === text, heading);
    expect(await maya.isSameDocument()).toBe(true);
    await maya.check();
  }

  it('walks through the questions to carers’ groups first', async () => {
    const { page } = maya;
    await maya.visit('/find');
    await maya.markDocument();
    await page.getByLabel('In your own words').fill('my mum has dementia and I’m exhausted');
    await page.getByRole('button', { name: 'Next' }).click();
    await stepShows('Who are you looking for support for?');
    expect(maya.path).toContain('step=2');
    // The person's words are never in the title.
    expect(await page.title()).toBe('Help me find a group, step 2 of 5 · Mutual');

    await page.getByLabel('Someone I care for').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await stepShows('How would you like to take part?');
    await page.getByLabel('Meet online, by video').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await stepShows('Which language would you like the group to speak?');
    await page.getByRole('link', { name: 'Skip this question' }).click();
    await stepShows('Where are you?');
    await page.getByRole('button', { name: 'Show groups' }).click();
    await stepShows('Groups that might suit you');

    const names = await page.locator('.card-title').allTextContents();
    // Carers' groups first (the one that meets online first of all), the group for people with dementia after them.
    expect(names[0]).toBe('Dementia carers circle');
    expect(names.indexOf('Carers’ cafe')).toBeLessThan(names.indexOf('Living with dementia'));
    await page.getByText('Only a few groups for this meet online, so we have added some').waitFor();
    expect(names).not.toContain('Type 1 together');
    await page.getByText(/For carers · Peer-led · Meets Tuesdays 19:30–20:30/).waitFor();
  });

  it('goes back to change an answer, keeping the others, then opens a suggestion', async () => {
    const { page } = maya;
    await page.getByRole('link', { name: 'Change your answers' }).click();
    await stepShows('What are you going through?');
    expect(await page.getByLabel('In your own words').inputValue()).toBe('my mum has dementia and I’m exhausted');
    await page.getByRole('button', { name: 'Next' }).click();
    await stepShows('Who are you looking for support for?');
    expect(await page.getByLabel('Someone I care for').isChecked()).toBe(true);
    // The browser's own back button: the page is fetched again, as nothing was kept in its history cache.
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'What are you going through?' }).waitFor();
    await maya.check();
    await maya.visit(maya.path.replace(/step=\d/, 'step=results'));
    await maya.follow(() => page.getByRole('link', { name: 'Dementia carers circle' }).click());
    expect(maya.path).toMatch(/^\/g\//);
  });

  it('finds an in-person group near the browser’s shared location', async () => {
    const { page, context } = maya;
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 53.8, longitude: -1.55 });
    await maya.visit('/find?step=5&about=my+dad+has+dementia&way=in_person');
    await maya.markDocument();
    await page.getByRole('button', { name: 'Use my location instead' }).click();
    await stepShows('Groups that might suit you');
    expect(maya.path).toContain('lat=53.8');
    const names = await page.locator('.card-title').allTextContents();
    expect(names[0]).toBe('Leeds memory cafe');
    await page
      .getByText('Hosted elsewhere · For carers · Peer-led · In-person meetings · Less than 1 km away')
      .waitFor();
  });
});
