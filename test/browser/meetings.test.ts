import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { twoFactor, users } from '../../src/features/accounts/schema.js';
import { joinGroup } from '../../src/features/groups/index.js';
import { memberships } from '../../src/features/groups/schema.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A weekly online meeting in a real browser: Fen, the group's facilitator, schedules it with two
 * places; Ana and Ben say they are going, with htmx answering in place; Cai, a phone user, finds it
 * full and joins the waitlist; when Ben can no longer come, Cai has his place and is told. Every
 * page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Meetings, in a browser', { timeout: 90_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let fen: Person;
  let ana: Person;
  let ben: Person;
  let cai: Person;
  let slug: string;

  beforeAll(async () => {
    world = await createWorld();
    const db = world.database.db;
    const owner = await world.createUser('Olu');
    const group = await makeGroup(world, owner, { name: 'Long covid circle', leadership: 'professional' });
    slug = group.slug;
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = async (name: string, viewport?: { width: number; height: number }) => {
      const user = await world.createUser(name);
      await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
      await joinGroup(db, { id: user.id, pseudonym: user.pseudonym, isAdmin: false }, slug);
      const person = await Person.open(browser, baseUrl, name, audit, viewport);
      await person.logIn(user.email, user.password);
      return { user, person };
    };
    const facilitator = await open('Fen');
    fen = facilitator.person;
    // A facilitator with two-step verification on (turned on after logging in, as the session stays).
    await db
      .update(memberships)
      .set({ role: 'facilitator' })
      .where(and(eq(memberships.groupId, group.id), eq(memberships.userId, facilitator.user.id)));
    await db.insert(twoFactor).values({ userId: facilitator.user.id, secret: generateSecret(), enabledAt: new Date() });
    ana = (await open('Ana')).person;
    ben = (await open('Ben')).person;
    cai = (await open('Cai', { width: 360, height: 740 })).person;
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('schedules a weekly online meeting, takes answers in place, and gives a freed place to the waitlist', async () => {
    const { page } = fen;
    await fen.visit(`/g/${slug}/meetings`);
    await fen.follow(() => page.getByRole('link', { name: 'Schedule a meeting' }).click());
    const date = new Date(Date.now() + 9 * 24 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel('Title').fill('Pacing together');
    await page.getByLabel('What to expect (optional)').fill('We share what helped this week.');
    await page.getByLabel('Online', { exact: true }).check();
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.getByLabel('Time', { exact: true }).fill('19:00');
    await page.getByLabel('Time zone').selectOption('Europe/London');
    await page.getByLabel('Every week, on the same day').check();
    // A custom rule typed by mistake while "every week" is chosen is ignored; a bad one with "another pattern" is not.
    await page.getByLabel('Another pattern, written as a rule below').check();
    await page.getByLabel('Rule for another pattern').fill('FREQ=WEEKLY;BYDAY=FUNDAY');
    await page.getByLabel('Places').fill('2');
    await fen.follow(() => page.getByRole('button', { name: 'Schedule', exact: true }).click(), 400);
    await page.getByText('“FUNDAY” is not a day we know.').first().waitFor();
    expect(await page.getByLabel('Title').inputValue()).toBe('Pacing together');
    await page.getByLabel('Every week, on the same day').check();
    await fen.follow(() => page.getByRole('button', { name: 'Schedule', exact: true }).click());
    expect(fen.path).toMatch(/^\/meetings\/\d+\?notice=meetingsScheduled$/);
    expect(await fen.notice()).toContain('The meeting is scheduled.');
    await page.getByText('Repeats every week on').waitFor();
    const meetingPath = fen.path.replace(/\?.*$/, '');

    // Ana and Ben say they are going: the answer panel changes in place, without a new page.
    for (const member of [ana, ben]) {
      await member.visit(`/g/${slug}/meetings`);
      await member.follow(() => member.page.getByRole('link', { name: 'Pacing together' }).first().click());
      expect(member.path).toBe(meetingPath);
      await member.markDocument();
      await member.page.getByRole('button', { name: 'Going', exact: true }).click();
      await member.page.getByText('You are going.').waitFor();
      expect(await member.isSameDocument()).toBe(true);
      expect(await member.page.getByRole('button', { name: 'Going', exact: true }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      await member.check();
    }

    // Cai, on a phone, finds it full and joins the waitlist.
    await cai.visit(meetingPath);
    await cai.page.getByText('Full: you can join the waitlist').first().waitFor();
    await cai.page.getByRole('button', { name: 'Going', exact: true }).click();
    await cai.page.getByText('You are on the waitlist: number 1.').waitFor();
    await cai.check();
    expect(await cai.pageWidth()).toBeLessThanOrEqual(360);

    // The facilitator sees who is coming, by name.
    await fen.visit(meetingPath);
    await page.getByRole('heading', { name: 'On the waitlist, in order' }).waitFor();
    const names = await page.locator('.attendees').textContent();
    expect(names).toMatch(/Going\s*Ana\s*Ben\s*On the waitlist, in order\s*Cai/);

    // Ben can no longer come: his place goes to Cai, who is told.
    await ben.visit(meetingPath);
    await ben.page.getByRole('button', { name: 'Not going', exact: true }).click();
    await ben.page.getByText('You said you can’t come.').waitFor();
    await cai.visit(meetingPath);
    await cai.page.getByText('You are going.').waitFor();
    await cai.visit('/notifications');
    await cai.page.getByText('A place came free at Pacing together').waitFor();
    await cai.follow(() => cai.page.getByRole('link', { name: 'See the meeting' }).click());
    expect(cai.path).toBe(meetingPath);
    const mail = (await world.outbox()).filter((m) => m.subject === 'A place for you at a meeting on Mutual');
    expect(mail).toHaveLength(1);
    expect([...audit.pagesChecked]).toEqual(
      expect.arrayContaining([`/g/${slug}/meetings`, `/g/${slug}/meetings/new`, '/meetings/:id', '/notifications']),
    );
  });
});
