import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultPostingLimits } from '../../src/platform/deps.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup, makeThread } from '../helpers/factories.js';
import { turnOnTwoFactor } from '../helpers/two-factor.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Spam resistance in a real browser, with the site's real posting limits: the site admin, Ash,
 * watches for "casino*"; Willow, who signed up today, tries to share a link and then a casino, and
 * is told kindly why, her words kept in the form; Olu, who owns the group, asks for newcomers' first
 * posts to be approved, and Willow's next reply waits. Ash then trusts Willow by hand. Every page
 * is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Trust and watched words in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let ash: Person;
  let olu: Person;
  let willow: Person;
  let groupPath = '';
  let threadPath = '';

  beforeAll(async () => {
    world = await createWorld({ postingLimits: defaultPostingLimits });
    const admin = await world.createUser('Ash');
    const owner = await world.createUser('Olu');
    const member = await world.createUser('Willow');
    const group = await makeGroup(world, owner, { name: 'Living with long Covid' });
    groupPath = `/g/${group.slug}`;
    threadPath = `${groupPath}/t/${(await makeThread(world, owner, group.slug, 'Pacing', 'What helps you pace?')).id}`;
    const joining = world.agent();
    await joining.logIn(member.email, member.password);
    await joining.post(`${groupPath}/join`);

    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    ash = await Person.open(browser, baseUrl, 'Ash', audit);
    await ash.logIn(admin.email, admin.password);
    await turnOnTwoFactor(world.database.db, admin.id);
    olu = await Person.open(browser, baseUrl, 'Olu', audit);
    await olu.logIn(owner.email, owner.password);
    willow = await Person.open(browser, baseUrl, 'Willow', audit, { width: 360, height: 740 });
    await willow.logIn(member.email, member.password);
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets the site admin watch for a word', async () => {
    const { page } = ash;
    await ash.visit('/admin/watched-words');
    await page.getByLabel('Word or phrase').fill('casino*');
    await page.getByLabel('Block').check();
    await ash.follow(() => page.getByRole('button', { name: 'Add' }).click());
    expect(await ash.notice()).toBe('The watched word is added.');
    await page.getByRole('cell', { name: 'casino*', exact: true }).waitFor();
  });

  it('tells a new member kindly why a post cannot go up, keeping her words', async () => {
    const { page } = willow;
    await willow.visit(threadPath);
    const withLink = 'This pacing guide helped me: https://example.org/pacing';
    await page.getByLabel('Your reply').fill(withLink);
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.getByText('New accounts can’t share links or pictures just yet').waitFor();
    expect(await page.getByLabel('Your reply').inputValue()).toBe(withLink);
    await willow.check();

    const withWord = 'The casinos in town have quiet rooms for resting';
    await page.getByLabel('Your reply').fill(withWord);
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.getByText('This message uses “casino*”, which isn’t allowed here.').waitFor();
    expect(await page.getByLabel('Your reply').inputValue()).toBe(withWord);
    await willow.check();
  });

  it('holds a newcomer’s first post in a group that asks for it', async () => {
    await olu.visit(`${groupPath}/settings`);
    await olu.page.getByLabel('Approve newcomers’ first posts').check();
    await olu.follow(() => olu.page.getByRole('button', { name: 'Save settings' }).click());

    const { page } = willow;
    await willow.visit(threadPath);
    await page.getByLabel('Your reply').fill('Resting before I am tired helps me most.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.getByText('Resting before I am tired helps me most.').waitFor();
    await willow.visit(`${threadPath}`);
    await page.getByText('Awaiting approval').first().waitFor();
  });

  it('lets the site admin find Willow and trust her by hand', async () => {
    const { page } = ash;
    await ash.visit('/admin/trust');
    await page.getByLabel('Find people by pseudonym').fill('wil');
    await ash.follow(() => page.getByRole('button', { name: 'Find' }).click());
    await page.getByRole('heading', { level: 3, name: 'Willow' }).waitFor();
    await page.getByLabel('Level for Willow').selectOption('2');
    await ash.follow(() => page.getByRole('button', { name: 'Save' }).click());
    expect(await ash.notice()).toBe('The trust level is saved.');
    await page.getByText('Level: Member · at least Member, set by hand').waitFor();
  });
});
