import { eq, sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/features/accounts/schema.js';
import { joinGroup } from '../../src/features/groups/index.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { answer, makeMeeting } from '../helpers/meetings.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Reminders and a calendar in a real browser, on a phone-sized screen: Ines, going to her group's
 * meeting on Thursday, keeps only the hour's reminder, makes her calendar address and copies it,
 * and later finds the reminder on her notifications page. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Meeting reminders and calendar, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let ines: Person;
  let baseUrl: string;
  let occurrenceId: number;
  let start: Date;

  beforeAll(async () => {
    world = await createWorld();
    const db = world.database.db;
    const owner = await world.createUser('Olu');
    const group = await makeGroup(world, owner, { name: 'Carers after dark' });
    const user = await world.createUser('Ines');
    await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    await joinGroup(db, { id: user.id, pseudonym: user.pseudonym, isAdmin: false }, group.slug);
    start = new Date(Math.ceil(Date.now() / 3600_000) * 3600_000 + 3 * 24 * 3600_000);
    const meeting = await makeMeeting(world, group, {
      starts: [start],
      kind: 'phone',
      title: 'Thursday phone circle',
      dialIn: '0800 246 8100',
      dialInPin: '7531',
    });
    occurrenceId = meeting.occurrenceIds[0]!;
    await answer(world, occurrenceId, user.id, 'going');
    baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    ines = await Person.open(browser, baseUrl, 'Ines', audit, { width: 360, height: 740 });
    await ines.logIn(user.email, user.password);
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('saves her reminder choices', async () => {
    const { page } = ines;
    await ines.visit('/account');
    await ines.follow(() => page.getByRole('link', { name: 'Meetings', exact: true }).click());
    expect(ines.path).toBe('/account/meetings');
    expect(await page.getByLabel('24 hours before').isChecked()).toBe(true);
    await page.getByLabel('24 hours before').uncheck();
    await ines.follow(() => page.getByRole('button', { name: 'Save reminders' }).click());
    expect(await ines.notice()).toContain('Your meeting reminders are saved.');
    expect(await page.getByLabel('24 hours before').isChecked()).toBe(false);
    expect(await page.getByLabel('1 hour before').isChecked()).toBe(true);
    expect(await ines.pageWidth()).toBeLessThanOrEqual(360);
  });

  it('makes her calendar address, shown once, which a calendar app can read', async () => {
    const { page } = ines;
    await ines.visit('/account/meetings');
    await ines.follow(() => page.getByRole('button', { name: 'Make my calendar address' }).click());
    const address = await page.getByLabel('Your calendar address').inputValue();
    // On the site's public address (BASE_URL), whatever address the page was reached by.
    expect(address).toMatch(/^http:\/\/localhost:3000\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(await page.getByRole('link', { name: 'Open it in your calendar app' }).getAttribute('href')).toBe(
      address.replace(/^http:/, 'webcal:'),
    );
    expect(await ines.pageWidth()).toBeLessThanOrEqual(360);
    // A calendar app, with no cookies: her meeting, with the number to dial.
    const feed = await fetch(`${baseUrl}${new URL(address).pathname}`);
    expect(feed.status).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    const [event] = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(event!.summary).toBe('Thursday phone circle');
    expect(event!.startDate.toJSDate()).toEqual(start);
    expect(event!.location).toBe('0800 246 8100');
    // Shown once: back on the page, only that she has one.
    await ines.visit('/account/meetings');
    expect(await page.content()).not.toContain(address);
    await page.getByText('You have a calendar address.').waitFor();
  });

  it('shows her the hour’s reminder, and only that one', async () => {
    const { page } = ines;
    await world.tick(new Date(start.getTime() - 24 * 3600_000));
    await world.tick(new Date(start.getTime() - 3600_000));
    const mail = (await world.outbox()).filter((m) => m.subject.startsWith('A reminder from Mutual'));
    expect(mail.map((m) => m.subject)).toEqual(['A reminder from Mutual: a meeting in 1 hour']);
    await ines.visit('/notifications');
    await page.getByText('Starting soon: Thursday phone circle, with Carers after dark').waitFor();
    const link = page.locator(`a[href="/meetings/${occurrenceId}"]`).first();
    expect(await link.count()).toBe(1);
    const count = await world.database.db.execute(
      sql`select count(*)::int as n from notifications where kind = 'meeting_reminder'`,
    );
    expect((count as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
  });
});
