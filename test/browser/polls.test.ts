import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/features/accounts/schema.js';
import { joinGroup } from '../../src/features/groups/index.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Polls in a real browser: Olu, who runs the group, asks where to walk; Ana and Ben vote, htmx
 * swapping the poll in place; Olu closes it and everyone sees the results. Then Olu offers two
 * times for the walk, Ana says which she could make, and the chosen time becomes a meeting in one
 * step; Ana is told, and the meeting's page shows it. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Polls, in a browser', { timeout: 120_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let olu: Person;
  let ana: Person;
  let ben: Person;
  let slug: string;
  const nextYear = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    world = await createWorld();
    const db = world.database.db;
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = async (name: string, owner = false) => {
      const user = await world.createUser(name);
      await db
        .update(users)
        .set({ emailVerifiedAt: new Date(), timeZone: 'Europe/London' })
        .where(eq(users.id, user.id));
      if (owner) slug = (await makeGroup(world, user, { name: 'Walking for grief' })).slug;
      else await joinGroup(db, { id: user.id, pseudonym: user.pseudonym, isAdmin: false }, slug);
      const person = await Person.open(browser, baseUrl, name, audit);
      await person.logIn(user.email, user.password);
      return person;
    };
    olu = await open('Olu', true);
    ana = await open('Ana');
    ben = await open('Ben');
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('asks the group a question, takes two votes in place, and shows the results once closed', async () => {
    const { page } = olu;
    await olu.visit(`/g/${slug}`);
    await olu.follow(() => page.getByRole('link', { name: 'Start a poll' }).click());
    await page.getByLabel('Your question').fill('Where shall we walk this month?');
    await page.getByLabel('The answers').fill('By the river\nIn the park\nUp the hill');
    await page.getByLabel('Only once the poll has closed').check();
    await olu.follow(() => page.getByRole('button', { name: 'Start the poll' }).click());
    expect(olu.path).toMatch(/^\/g\/[^/]+\/t\/\d+\?notice=pollStarted$/);
    const threadPath = olu.path.replace(/\?.*$/, '');

    // Ana and Ben vote: the poll changes in place, without a new page.
    for (const [member, answer] of [
      [ana, 'In the park'],
      [ben, 'In the park'],
    ] as const) {
      await member.visit(threadPath);
      await member.markDocument();
      await member.page.getByLabel(answer).check();
      await member.page.getByRole('button', { name: 'Vote', exact: true }).click();
      await member.page.getByRole('button', { name: 'Change my vote' }).waitFor();
      expect(await member.isSameDocument()).toBe(true);
      await member.page.getByText('The results will be shown when the poll closes.').waitFor();
      await member.check();
    }
    // Ana changes her mind.
    await ana.page.getByLabel('By the river').check();
    await ana.page.getByRole('button', { name: 'Change my vote' }).click();
    await ana.page.getByText('2 people have voted').waitFor();

    await olu.visit(threadPath);
    await olu.follow(() => page.getByRole('button', { name: 'Close the poll' }).click());
    expect(await olu.notice()).toContain('The poll is closed.');
    const results = page.getByRole('list', { name: 'Results' });
    await expect(results.textContent()).resolves.toMatch(/By the river \(most chosen\)\s*1 vote \(50%\)/);
    await expect(results.textContent()).resolves.toMatch(/In the park \(most chosen\)\s*1 vote \(50%\)/);
    await expect(results.textContent()).resolves.toContain('Chosen by: Ana');

    await ben.visit('/notifications');
    await ben.page.getByText('A poll you voted in, in Where shall we walk this month?, has closed.').waitFor();
    await ben.follow(() => ben.page.getByRole('link', { name: 'See the poll' }).click());
    expect(ben.path).toBe(threadPath);
  });

  it('finds a time, and makes the chosen one a meeting in one step', async () => {
    const { page } = olu;
    await olu.visit(`/g/${slug}`);
    await olu.follow(() => page.getByRole('link', { name: 'Find a time to meet' }).click());
    await page.getByLabel('What is the meeting?').fill('Spring walk');
    await page.getByLabel('How long will it last?').selectOption('90');
    await page.locator('#field-date_0').fill(`${nextYear}-04-18`);
    await page.locator('#field-time_0').fill('10:30');
    await page.locator('#field-date_1').fill(`${nextYear}-04-25`);
    await page.locator('#field-time_1').fill('14:00');
    await olu.follow(() => page.getByRole('button', { name: 'Ask the group' }).click());
    const threadPath = olu.path.replace(/\?.*$/, '');
    await page.getByRole('heading', { name: 'Find a time: Spring walk' }).waitFor();

    // Ana could make the first time.
    await ana.visit(threadPath);
    await ana.page.getByText('Which of these times could you make?').waitFor();
    await ana.page.locator('input[name="option"]').first().check();
    await ana.page.getByRole('button', { name: 'Vote', exact: true }).click();
    await ana.page.getByText('1 person has voted').waitFor();

    await olu.visit(threadPath);
    await olu.follow(() => page.getByRole('button', { name: 'Close the poll' }).click());
    await olu.follow(() => page.getByRole('link', { name: 'Schedule this time' }).click());
    await page.getByLabel('Online').check();
    await olu.follow(() => page.getByRole('button', { name: 'Schedule the meeting' }).click());
    expect(olu.path).toMatch(/^\/meetings\/\d+\?notice=meetingsScheduled$/);
    const meetingPath = olu.path.replace(/\?.*$/, '');
    await page.getByRole('heading', { name: 'Spring walk' }).first().waitFor();
    // 10:30 in London in April (summer time) is 09:30 UTC.
    await expect(page.locator('time').first().getAttribute('datetime')).resolves.toBe(
      `${nextYear}-04-18T09:30:00.000Z`,
    );

    await ana.visit('/notifications');
    await ana.page.getByText('Spring walk is scheduled for').waitFor();
    await ana.follow(() => ana.page.getByRole('link', { name: 'See the meeting and say if you are coming' }).click());
    expect(ana.path).toBe(meetingPath);
    await olu.visit(threadPath);
    await page.getByRole('link', { name: 'See the meeting this poll scheduled' }).waitFor();
    expect([...audit.pagesChecked]).toEqual(
      expect.arrayContaining([
        `/g/${slug}/polls/new`,
        `/g/${slug}/polls/find-a-time`,
        '/polls/:id/schedule',
        '/meetings/:id',
        '/notifications',
      ]),
    );
  });
});
