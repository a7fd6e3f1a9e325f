import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, launchChromium, Person } from './browser.js';

/*
 * Crisis support in a real browser (set to British English): Alex posts that they do not want to
 * be here anymore; the post stands, and help for the United Kingdom is in front of them at once;
 * they ask for a check-in. Olu, who leads the group, is told, writes to Alex privately and closes
 * the alert with a note; Alex reads the message. A visitor finds "Get help now" and picks a
 * country. Every page is checked with axe-core.
 */

const words = 'I don’t want to be here anymore. Everything feels too heavy tonight.';

describe.runIf(chromiumInstalled)('Crisis support in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let oluAt: Person;
  let alexAt: Person;
  let visitorAt: Person;
  let groupPath = '';

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const olu = await world.createUser('Olu');
    const alex = await world.createUser('Alex');
    groupPath = `/g/${(await makeGroup(world, olu, { name: 'After a loss' })).slug}`;
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = (name: string) => Person.open(browser, baseUrl, name, audit);
    [oluAt, alexAt, visitorAt] = await Promise.all([open('Olu'), open('Alex'), open('Visitor')]);
    await Promise.all([oluAt.logIn(olu.email, olu.password), alexAt.logIn(alex.email, alex.password)]);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('keeps the post up and shows its author help for their country, with a way to ask for a check-in', async () => {
    const { page } = alexAt;
    await alexAt.visit(groupPath);
    await alexAt.follow(() => page.getByRole('button', { name: 'Join this group' }).click());
    await alexAt.follow(() => page.getByRole('link', { name: 'Start a discussion' }).click());
    await page.getByLabel('Title', { exact: true }).fill('Tonight');
    await page.getByLabel('Your message', { exact: true }).fill(words);
    await alexAt.follow(() => page.getByRole('button', { name: 'Post discussion' }).click());

    const panel = page.getByRole('region', { name: 'We are glad you shared this' });
    await expect(panel.isVisible()).resolves.toBe(true);
    expect(await panel.textContent()).toContain('Samaritans');
    expect(await page.locator('article').first().textContent()).toContain('Everything feels too heavy tonight.');
    await expect(page.getByRole('link', { name: '116 123' }).getAttribute('href')).resolves.toBe('tel:116123');

    await page.getByRole('button', { name: 'Ask a leader to check in with me' }).click();
    await page.getByText('The group’s leaders have been asked to check in with you.').waitFor();
    await alexAt.check();
  });

  it('alerts the leader, who writes privately to the author and closes the alert with a note', async () => {
    const { page } = oluAt;
    await oluAt.visit('/notifications');
    expect(await page.locator('main').textContent()).toContain('reads as if its author may be in crisis');
    await oluAt.follow(() => page.getByRole('link', { name: 'Safety alerts' }).first().click());
    expect(await page.locator('main').textContent()).toContain('The author asked for a check-in');
    await page.getByLabel('A private message to the author').fill('I am here. Would you like to talk tonight?');
    await oluAt.follow(() => page.getByRole('button', { name: 'Send the message' }).click());
    expect(await oluAt.notice()).toBe('Your message is sent. Only the author sees it.');
    await page.getByLabel('What was done').fill('Wrote to Alex; they are with a friend tonight.');
    await oluAt.follow(() => page.getByRole('button', { name: 'Close the alert' }).click());
    expect(await page.locator('main').textContent()).toContain('No open alerts.');

    await alexAt.visit('/notifications');
    expect(await alexAt.page.locator('main').textContent()).toContain('I am here. Would you like to talk tonight?');
  });

  it('gives every visitor "Get help now", with help for the country they choose', async () => {
    const { page } = visitorAt;
    await visitorAt.visit('/');
    await visitorAt.follow(() => page.getByRole('link', { name: 'Get help now' }).first().click());
    expect(await page.locator('main').textContent()).toContain('Samaritans');
    await page.getByLabel('Country').selectOption({ label: 'Australia' });
    await visitorAt.follow(() => page.getByRole('button', { name: 'Show help for this country' }).click());
    const main = await page.locator('main').textContent();
    expect(main).toContain('Lifeline');
    expect(main).toContain('13 11 14');
  });
});
