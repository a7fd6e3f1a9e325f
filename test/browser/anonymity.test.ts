import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { turnOnTwoFactor } from '../helpers/two-factor.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Anonymity in a real browser: Olu lets members of his group post anonymously; Alex joins under
 * another name and posts anonymously; Robin reads it and cannot tell who wrote it; the site
 * administrator reveals the author, giving a reason, and Alex is told; Olu bans the author
 * without learning who it is, then lifts the ban. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}
if (!chromiumInstalled) {
  console.warn(
    `\n!!! ${chromiumPath} is missing: the browser journeys in test/browser are NOT running.` +
      '\n!!! Install it with `apt-get install -y chromium` (never `npx playwright install`).\n',
  );
}

const alias = 'Harbour Light';
const thread = { title: 'Relapsed last night', body: 'I do not know who else to tell.' };
const reason = 'They may be in danger tonight and we need to reach them.';

describe.runIf(chromiumInstalled)('Posting anonymously in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let adminAt: Person;
  let oluAt: Person;
  let alexAt: Person;
  let robinAt: Person;
  let groupPath = '';
  let threadPath = '';

  beforeAll(async () => {
    world = await createWorld();
    const admin = await world.createUser('Admin');
    const olu = await world.createUser('Olu');
    const alex = await world.createUser('Alex Pseudonym');
    const robin = await world.createUser('Robin');
    groupPath = `/g/${(await makeGroup(world, olu, { name: 'Living with addiction' })).slug}`;
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = (name: string) => Person.open(browser, baseUrl, name, audit);
    [adminAt, oluAt, alexAt, robinAt] = await Promise.all([open('Admin'), open('Olu'), open('Alex'), open('Robin')]);
    await Promise.all([
      adminAt.logIn(admin.email, admin.password),
      oluAt.logIn(olu.email, olu.password),
      alexAt.logIn(alex.email, alex.password),
      robinAt.logIn(robin.email, robin.password),
    ]);
    await turnOnTwoFactor(world.database.db, admin.id);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets the owner allow anonymous posts', async () => {
    const { page } = oluAt;
    await oluAt.visit(`${groupPath}/settings`);
    await page.getByRole('checkbox', { name: 'Members may post anonymously' }).check();
    await oluAt.follow(() => page.getByRole('button', { name: 'Save settings' }).click());
    expect(await oluAt.notice()).toBe('The settings are saved.');
  });

  it('lets a member join under another name and post anonymously, told first who could reveal it', async () => {
    const { page } = alexAt;
    await alexAt.visit(groupPath);
    await alexAt.follow(() => page.getByRole('link', { name: 'Join under another name' }).click());
    await page.getByLabel('Name in this group').fill(alias);
    await alexAt.follow(() => page.getByRole('button', { name: 'Join under this name' }).click());
    await page.getByText(`You appear here as ${alias}`).waitFor();

    await alexAt.follow(() => page.getByRole('link', { name: 'Start a discussion' }).click());
    await page.getByLabel('Title').fill(thread.title);
    await page.getByLabel('Your message').fill(thread.body);
    const anonymous = page.getByRole('checkbox', { name: 'Post anonymously' });
    expect(await anonymous.getAttribute('aria-describedby')).toBeTruthy();
    await page.getByText('Only a site administrator can reveal who wrote it', { exact: false }).waitFor();
    await anonymous.check();
    await alexAt.follow(() => page.getByRole('button', { name: 'Post discussion' }).click());
    threadPath = alexAt.path.split('?')[0]!;
    await page.getByRole('article', { name: 'Anonymous 1' }).getByText('(you)').waitFor();
  });

  it('shows other members only “Anonymous 1”', async () => {
    const { page } = robinAt;
    await robinAt.visit(groupPath);
    await page.getByText('Started by Anonymous member').waitFor();
    await robinAt.follow(() => page.getByRole('link', { name: thread.title }).click());
    const post = page.getByRole('article', { name: 'Anonymous 1' });
    await post.getByText(thread.body).waitFor();
    const html = await page.content();
    expect(html).not.toContain(alias);
    expect(html).not.toContain('Alex Pseudonym');
    expect(await post.getByRole('link', { name: 'Reveal the author' }).count()).toBe(0);
  });

  it('lets the site administrator reveal the author with a reason, and tells the author', async () => {
    const { page } = adminAt;
    await adminAt.visit(threadPath);
    await adminAt.follow(() =>
      page.getByRole('article', { name: 'Anonymous 1' }).getByRole('link', { name: 'Reveal the author' }).click(),
    );
    await adminAt.follow(() => page.getByRole('button', { name: 'Reveal the author' }).click(), 400);
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Why do you need to know?').fill(reason);
    await adminAt.follow(() => page.getByRole('button', { name: 'Reveal the author' }).click());
    await page.getByRole('definition').filter({ hasText: alias }).waitFor();
    await page.getByRole('definition').filter({ hasText: 'Alex Pseudonym' }).waitFor();

    await alexAt.visit(groupPath);
    const { page: alexPage } = alexAt;
    // The group's welcome, from when Alex joined, and the reveal.
    await alexAt.follow(() =>
      alexPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications (2 new)' }).click(),
    );
    await alexPage.getByText('A site administrator revealed that you wrote an anonymous post').waitFor();
    await alexPage.getByText(reason).waitFor();
    // Read once she says so: the bell goes back to none.
    await alexAt.follow(() => alexPage.getByRole('button', { name: 'Mark all as read' }).click());
    await alexPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Notifications', exact: true })
      .waitFor();
  });

  it('lets the owner ban the author without learning who it is, and lift the ban', async () => {
    const { page } = oluAt;
    await oluAt.visit(threadPath);
    await oluAt.follow(() =>
      page.getByRole('article', { name: 'Anonymous 1' }).getByRole('link', { name: 'Ban the author' }).click(),
    );
    expect(await page.content()).not.toContain(alias);
    await page.getByLabel('Reason').fill('Repeated cruel posts');
    await oluAt.follow(() => page.getByRole('button', { name: 'Ban the author' }).click());
    expect(await oluAt.notice()).toContain('The author of that post is banned from the group.');

    await oluAt.visit(`${groupPath}/members`);
    const bans = page.getByRole('region', { name: 'Banned' });
    await bans.getByText('The author of anonymous post', { exact: false }).waitFor();
    expect(await bans.textContent()).not.toContain(alias);
    await oluAt.follow(() => bans.getByRole('button', { name: 'Lift ban' }).click());
    expect(await oluAt.notice()).toBe('The ban has been lifted.');
  });
});
