import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { turnOnTwoFactor } from '../helpers/two-factor.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A group hosted elsewhere, in a real browser: Rosa, on a small phone, lists the carers' phone
 * circle she belongs to (first forgetting how to get in touch, which the form kindly asks for,
 * keeping what she typed); Ash, the site admin, approves it; a visitor finds it in the directory,
 * marked "Hosted elsewhere", and opens it. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

const NAME = 'Monday carers’ phone circle';

describe.runIf(chromiumInstalled)('Listing a group hosted elsewhere, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let ash: Person;
  let rosa: Person;
  let visitor: Person;

  beforeAll(async () => {
    world = await createWorld();
    const admin = await world.createUser('Ash');
    const member = await world.createUser('Rosa');
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    ash = await Person.open(browser, baseUrl, 'Ash', audit);
    await ash.logIn(admin.email, admin.password);
    await turnOnTwoFactor(world.database.db, admin.id);
    rosa = await Person.open(browser, baseUrl, 'Rosa', audit, { width: 360, height: 740 });
    await rosa.logIn(member.email, member.password);
    visitor = await Person.open(browser, baseUrl, 'Visitor', audit);
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets a member list a group, asking kindly for what is missing', async () => {
    const { page } = rosa;
    await rosa.visit('/listings/new');
    await page.getByLabel('Name of the group').fill(NAME);
    await page
      .getByLabel('In a sentence: who is it for?')
      .fill('A weekly phone call for people caring for someone with dementia.');
    await page.getByText('Caregiving', { exact: true }).first().click();
    await page.getByLabel('Caring for someone with dementia').check();
    await page.getByLabel('Phone meetings').check();
    await page.getByLabel('Family, friends and carers of someone going through it').check();
    const first = page.getByRole('group', { name: 'Meeting 1' });
    await first.getByLabel('Day').selectOption({ label: 'Monday' });
    await first.getByLabel('Starts at').fill('19:30');
    await first.getByLabel('Time zone').fill('Europe/London');
    await first.getByLabel('Where').selectOption('phone');
    await rosa.follow(() => page.getByRole('button', { name: 'Send for review' }).click(), 400);
    await page.getByText('Give a way to get in touch, or the group’s website').first().waitFor();
    expect(await page.getByLabel('Name of the group').inputValue()).toBe(NAME);
    expect(await page.getByLabel('Phone meetings').isChecked()).toBe(true);

    await page.getByLabel('How to get in touch').fill('Call Pat on 0113 496 0000');
    await rosa.follow(() => page.getByRole('button', { name: 'Send for review' }).click());
    expect(await rosa.notice()).toContain('Your listing is waiting for review');
    await page.getByText('Waiting for review. Only you and the site’s administrators can see this page').waitFor();
    await rosa.visit('/listings/mine');
    await page.getByRole('link', { name: NAME }).waitFor();
  });

  it('lets the site admin approve it, and tells the member', async () => {
    const { page } = ash;
    await ash.visit('/admin/listings');
    await page.getByText('Call Pat on 0113 496 0000').waitFor();
    await ash.follow(() => page.getByRole('button', { name: `Approve “${NAME}”` }).click());
    expect(await ash.notice()).toContain('The listing is approved');
    await rosa.visit('/notifications');
    await rosa.page.getByText(`Your listing of ${NAME} is approved and now in the directory.`).waitFor();
  });

  it('shows it in the directory, marked hosted elsewhere, to anyone', async () => {
    const { page } = visitor;
    await visitor.visit('/groups?q=dementia');
    const card = page.getByRole('listitem').filter({ hasText: NAME });
    await card.getByText('Hosted elsewhere').first().waitFor();
    await visitor.follow(() => card.getByRole('link', { name: NAME }).click());
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    await page.getByText('Call Pat on 0113 496 0000').waitFor();
    await page.getByText('Is this your group?').waitFor();
    expect(await page.locator('meta[name="robots"]').count()).toBe(0);
  });
});
