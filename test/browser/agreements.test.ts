import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A group's agreements in a real browser: Mara, who owns a peer support group, writes its
 * agreements from the starting template and a welcome; Theo finds the group, reads the agreements
 * on his way in, forgets the box once, ticks it, joins, and finds the welcome on his
 * notifications page. Once the group charges a fee, Ines, who cannot pay, meets the same box on
 * the pay page's waiver form; Mara grants the waiver and Ines is welcomed too. Every page is
 * checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

type Account = Awaited<ReturnType<TestWorld['createUser']>>;

const welcome = 'Welcome, we are glad you found us. Say hello in **Introductions** when you feel ready.';

describe.runIf(chromiumInstalled)('Accepting a group’s agreements in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let mara: Account;
  let theo: Account;
  let ines: Account;
  let maraAt: Person;
  let theoAt: Person;
  let inesAt: Person;
  let groupId = 0;
  let groupPath = '';

  beforeAll(async () => {
    // Card payments on, so the pay page has both of its forms (nothing here reaches Stripe).
    world = await createWorld({ stripe: { secretKey: 'sk_test_mutual', webhookSecret: 'whsec_test_mutual' } });
    await world.createUser('Admin');
    mara = await world.createUser('Mara');
    theo = await world.createUser('Theo');
    ines = await world.createUser('Ines');
    const group = await makeGroup(world, mara, { name: 'Caring for a parent with dementia' });
    groupId = group.id;
    groupPath = `/g/${group.slug}`;
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    maraAt = await Person.open(browser, baseUrl, 'Mara', audit);
    theoAt = await Person.open(browser, baseUrl, 'Theo', audit);
    inesAt = await Person.open(browser, baseUrl, 'Ines', audit);
    await Promise.all([
      maraAt.logIn(mara.email, mara.password),
      theoAt.logIn(theo.email, theo.password),
      inesAt.logIn(ines.email, ines.password),
    ]);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets the owner write the agreements from a kind template, with a welcome', async () => {
    const { page } = maraAt;
    await maraAt.visit(`${groupPath}/agreements/edit`);
    const body = page.getByLabel('Agreements', { exact: true });
    expect(await body.inputValue()).toContain('What is said here stays here.');
    await page.getByLabel('Welcome message').fill(welcome);
    await page.getByRole('checkbox', { name: /Remind members of the agreements/ }).check();
    await maraAt.follow(() => page.getByRole('button', { name: 'Save' }).click());
    expect(maraAt.path).toBe(`${groupPath}/agreements?notice=agreementsSaved`);
    await page.getByText('No advice about medication doses.').waitFor();
  });

  it('lets a newcomer read the agreements on joining, tick the box, join and be welcomed', async () => {
    const { page } = theoAt;
    await theoAt.visit(groupPath);
    await theoAt.follow(() => page.getByRole('link', { name: 'Join this group' }).click());
    expect(theoAt.path).toBe(`${groupPath}/agreements`);
    await page.getByText('What is said here stays here.').waitFor();

    // Forgetting the box: a clear message, and nothing happens.
    await theoAt.follow(() => page.getByRole('button', { name: 'Join the group' }).click(), 400);
    await page.getByText('Please read the group’s agreements and tick “I accept” to come in.').first().waitFor();

    await page.getByRole('checkbox', { name: 'I accept the group’s agreements' }).check();
    await theoAt.follow(() => page.getByRole('button', { name: /^Join/ }).first().click());
    expect(theoAt.path).toBe(`${groupPath}?notice=joined`);
    await page.getByText('You are a member').first().waitFor();

    await theoAt.visit('/notifications');
    await page.getByText('Welcome, we are glad you found us.', { exact: false }).waitFor();
    expect(await page.locator('.welcome-message strong').textContent()).toBe('Introductions');
  });

  it('asks someone who cannot pay the fee to accept on the waiver form, and welcomes them once it is granted', async () => {
    await world.database.db.execute(sql`update groups set join_policy = 'paid', fee_amount_cents = 1200,
      fee_currency = 'GBP', fee_interval = 'month' where id = ${groupId}`);
    const { page } = inesAt;
    await inesAt.visit(`${groupPath}/pay`);
    // Both ways to come in ask, each with its own box.
    expect(await page.getByRole('checkbox', { name: 'I accept the group’s agreements' }).count()).toBe(2);
    const waiver = page.locator('form[action$="/pay/waiver"]');
    await waiver.getByLabel('Your message').fill('My mum’s care takes all we have this year.');
    await inesAt.follow(() => waiver.getByRole('button', { name: 'Send my request' }).click(), 400);
    await page.getByText('Please read the group’s agreements and tick “I accept” to come in.').waitFor();
    const again = page.locator('form[action$="/pay/waiver"]');
    expect(await again.getByLabel('Your message').inputValue()).toBe('My mum’s care takes all we have this year.');

    await again.getByRole('checkbox', { name: 'I accept the group’s agreements' }).check();
    await inesAt.follow(() => again.getByRole('button', { name: 'Send my request' }).click());
    expect(await inesAt.notice()).toBe('Your request is sent. The group’s owner will read it.');

    await maraAt.visit(`${groupPath}/payments`);
    await maraAt.follow(() => maraAt.page.getByRole('button', { name: 'Grant the waiver' }).click());
    expect(await maraAt.notice()).toBe('The waiver is granted, and the member has access.');

    await inesAt.visit('/notifications');
    await page.getByText('Welcome, we are glad you found us.', { exact: false }).waitFor();
  });
});
