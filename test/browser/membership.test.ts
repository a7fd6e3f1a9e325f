import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findUserIdByPseudonym } from '../../src/features/accounts/index.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { turnOnTwoFactor } from '../helpers/two-factor.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Coming into a professionally facilitated group that approves its members and pre-moderates
 * their posts, in a real browser: Ruth starts the group and sets it to approve members, Kit
 * applies and is approved, Priya accepts an invite link and is made a facilitator, Kit's first
 * discussion waits for Priya's approval. A visitor without an account, and the site
 * administrator reading the outbox, look on. Every page is checked with axe-core, and any
 * Content-Security-Policy report or script error fails the step it happened in.
 */

// In CI a missing browser fails the run (this file fails to load); elsewhere it says so loudly.
if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}
if (!chromiumInstalled) {
  console.warn(
    `\n!!! ${chromiumPath} is missing: the browser journeys in test/browser are NOT running.` +
      '\n!!! Install it with `apt-get install -y chromium` (never `npx playwright install`).\n',
  );
}

const group = {
  name: 'Living after a stroke',
  summary: 'For people rebuilding their lives after a stroke, led by a rehabilitation social worker.',
  questions: ['What brings you to this group?', 'Do you agree to keep what members share private?'],
};
const answers = {
  first: 'I had a stroke in March and I am learning to walk again.',
  second: 'Yes, I will keep it private.',
};
const welcome = 'Welcome, Kit. We are glad you found us.';
const thread = {
  title: 'Tired all the time',
  body: 'Is it normal to feel **this tired** months afterwards?',
};

type Account = Awaited<ReturnType<TestWorld['createUser']>>;

describe.runIf(chromiumInstalled)('Joining an approval group in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let admin: Account;
  let ruth: Account;
  let kit: Account;
  let priya: Account;
  let adminAt: Person;
  let ruthAt: Person;
  let kitAt: Person;
  let priyaAt: Person;
  let visitorAt: Person;
  let groupPath = '';
  let threadPath = '';

  beforeAll(async () => {
    world = await createWorld();
    // Accounts are not the point here. The first one becomes the site administrator.
    admin = await world.createUser('Admin');
    ruth = await world.createUser('Ruth');
    kit = await world.createUser('Kit');
    priya = await world.createUser('Priya');
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = (name: string) => Person.open(browser, baseUrl, name, audit);
    [adminAt, ruthAt, kitAt, priyaAt, visitorAt] = await Promise.all([
      open('Admin'),
      open('Ruth'),
      open('Kit'),
      open('Priya'),
      open('Visitor'),
    ]);
    // Each in their own browser, at the same time.
    await Promise.all([
      adminAt.logIn(admin.email, admin.password),
      ruthAt.logIn(ruth.email, ruth.password),
      kitAt.logIn(kit.email, kit.password),
      priyaAt.logIn(priya.email, priya.password),
    ]);
    // The administrator reads the outbox, so has two-step verification on (facilitators need it too).
    await turnOnTwoFactor(world.database.db, admin.id);
  });

  afterEach(() => {
    // Accessibility violations, CSP reports and script errors seen during the step.
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets the owner start a professional group that approves members and pre-moderates posts', async () => {
    const { page } = ruthAt;
    await ruthAt.visit('/');
    await ruthAt.follow(() =>
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Start a group' }).click(),
    );
    await page.getByLabel('Group name').fill(group.name);
    await page.getByLabel('Short description').fill(group.summary);
    await page.getByRole('radio', { name: 'Professionally facilitated' }).check();
    await page.getByRole('radio', { name: 'Public discussions' }).check();
    await ruthAt.follow(() => page.getByRole('button', { name: 'Create the group' }).click());
    groupPath = new URL(page.url()).pathname;
    expect(groupPath).toMatch(/^\/g\/[a-z0-9-]+$/);
    await page.getByText('You own this group').waitFor();

    const leading = page.getByRole('navigation', { name: 'Leading this group' });
    await ruthAt.follow(() => leading.getByRole('link', { name: 'Access and leadership' }).click());
    await page.getByRole('heading', { level: 2, name: 'Access and leadership' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Open' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'By approval' }).check();
    await page.getByLabel('Entry questions').fill(group.questions.join('\n'));
    await page.getByRole('checkbox', { name: 'Pre-moderation' }).check();
    await ruthAt.follow(() => page.getByRole('button', { name: 'Save settings' }).click());

    expect(ruthAt.path).toBe(`${groupPath}/settings?notice=settingsSaved`);
    expect(await ruthAt.notice()).toBe('The settings are saved.');
    expect(await page.getByRole('radio', { name: 'By approval' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Entry questions').inputValue()).toBe(group.questions.join('\n'));
    expect(await page.getByRole('checkbox', { name: 'Pre-moderation' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Listed in the directory' }).isChecked()).toBe(true);
  });

  it('lets a person find the group and apply, keeping their answers when one is missing', async () => {
    const { page } = kitAt;
    await kitAt.visit('/groups');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: group.name }) });
    await card.getByText('Professionally facilitated').waitFor();
    await kitAt.follow(() => card.getByRole('link', { name: group.name }).click());
    expect(kitAt.path).toBe(groupPath);
    expect(await page.getByRole('button', { name: 'Join this group' }).count()).toBe(0);
    await kitAt.follow(() => page.getByRole('link', { name: 'Apply to join' }).click());
    expect(kitAt.path).toBe(`${groupPath}/apply`);
    await page.getByRole('heading', { level: 2, name: 'Apply to join' }).waitFor();
    await page.getByText('Only they will read your answers.', { exact: false }).waitFor();

    await page.getByLabel(group.questions[0]!).fill(answers.first);
    await kitAt.follow(() => page.getByRole('button', { name: 'Send my application' }).click(), 400);
    await page.getByRole('alert').getByText('There is 1 problem with what you entered.', { exact: false }).waitFor();
    const second = page.getByLabel(group.questions[1]!);
    expect(await second.getAttribute('aria-invalid')).toBe('true');
    // The message is read out with the question it belongs to.
    const describedBy = (await second.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`#${describedBy}`).textContent()).toBe('Please answer this question.');
    expect(await page.getByLabel(group.questions[0]!).inputValue()).toBe(answers.first);
    expect(await page.getByLabel(group.questions[0]!).getAttribute('aria-invalid')).toBeNull();

    await second.fill(answers.second);
    await kitAt.follow(() => page.getByRole('button', { name: 'Send my application' }).click());
    expect(kitAt.path).toBe(`${groupPath}/apply?notice=applied`);
    const main = page.getByRole('main');
    await main
      .getByRole('status')
      .filter({ hasText: 'Your application is sent. We will email you when the group’s leaders decide.' })
      .waitFor();
    await main
      .getByRole('status')
      .filter({ hasText: 'Your application is waiting for the group’s leaders.' })
      .waitFor();
    await page.getByRole('button', { name: 'Withdraw my application' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send my application' }).count()).toBe(0);
  });

  it('lets the owner read the answers and approve with a kind message; the applicant is told', async () => {
    const { page } = ruthAt;
    await ruthAt.visit(groupPath);
    const leading = page.getByRole('navigation', { name: 'Leading this group' });
    await ruthAt.follow(() => leading.getByRole('link', { name: 'Applications' }).click());
    expect(ruthAt.path).toBe(`${groupPath}/applications`);
    const application = page.getByRole('article', { name: /^Kit/ });
    expect(await application.getByRole('term').allTextContents()).toEqual(group.questions);
    expect(await application.getByRole('definition').allTextContents()).toEqual([answers.first, answers.second]);
    await application.getByLabel('Message to the applicant (optional)').fill(welcome);
    await ruthAt.follow(() => application.getByRole('button', { name: 'Approve' }).click());
    expect(await ruthAt.notice()).toBe('Your decision is saved and the applicant has been told.');
    await page.getByText('No applications are waiting.').waitFor();

    await kitAt.visit(groupPath);
    await kitAt.page.getByText('You are a member').waitFor();
    await kitAt.page.getByRole('link', { name: 'Start a discussion' }).waitFor();

    // Without a mail server, the decision waits in the outbox, which the site administrator reads,
    // once a worker has run the mail job.
    await world.jobs.drain();
    await adminAt.visit('/admin/outbox');
    const mail = adminAt.page.getByRole('article').filter({ hasText: `To ${kit.email}` });
    expect(await mail.count()).toBe(1);
    const subject = (await mail.getByRole('heading', { level: 2 }).textContent()) ?? '';
    expect(subject).toBe('News about your application on Mutual');
    // Anyone glancing at a lock screen learns nothing about which support group it is.
    expect(subject).not.toContain(group.name);
    const text = (await mail.locator('pre').textContent()) ?? '';
    expect(text).toContain(`your application to join ${group.name} was approved`);
    expect(text).toContain(welcome);
    expect(text).toContain(groupPath);
  });

  it('lets the owner invite a person by link, then make them a facilitator', async () => {
    const { page } = ruthAt;
    await ruthAt.visit(groupPath);
    const leading = page.getByRole('navigation', { name: 'Leading this group' });
    await ruthAt.follow(() => leading.getByRole('link', { name: 'Invitations' }).click());
    await page.getByText('No invitations are active.').waitFor();
    await page.getByLabel('How many people can use the link?').fill('1');
    await ruthAt.follow(() => page.getByRole('button', { name: 'Create invitation' }).click());
    await page.getByRole('status').getByText('Your invite link is ready.', { exact: false }).waitFor();
    const link = new URL(await page.getByLabel('Invite link').inputValue());
    expect(link.pathname).toMatch(/^\/invite\/[\w-]{20,}$/);
    await page.getByText('used 0 of 1', { exact: false }).waitFor();

    // Ruth shares the link with Priya, who opens it in her own browser.
    const { page: priya } = priyaAt;
    await priyaAt.visit(link.pathname);
    await priya.getByRole('heading', { level: 1, name: `You are invited to join ${group.name}` }).waitFor();
    await priyaAt.follow(() => priya.getByRole('button', { name: 'Accept the invitation' }).click());
    expect(priyaAt.path).toBe(`${groupPath}?notice=joined`);
    expect(await priyaAt.notice()).toBe('You have joined the group. Welcome.');
    await priya.getByText('You are a member').waitFor();
    // Used up, the link leads nowhere.
    await priyaAt.visit(link.pathname, 404);

    await ruthAt.visit(groupPath);
    await ruthAt.follow(() => page.getByRole('link', { name: 'Members', exact: true }).click());
    expect(ruthAt.path).toBe(`${groupPath}/members`);
    const priyaRow = page.getByRole('row').filter({ hasText: 'Priya' });
    await page.getByLabel('Role for Priya').selectOption({ label: 'Facilitator' });
    await ruthAt.follow(() => priyaRow.getByRole('button', { name: 'Save' }).click());
    expect(await ruthAt.notice()).toBe('The member’s role has been changed.');
    expect(await priyaRow.getByRole('cell').nth(1).textContent()).toBe('Facilitator');
    const facilitators = page.getByRole('region', { name: 'Facilitators' });
    await facilitators.getByText('Priya').waitFor();

    // A facilitator's tools wait for two-step verification; the group page says so kindly.
    await priyaAt.visit(groupPath);
    await priya.getByText('Your leader’s tools open once you turn on two-step verification').waitFor();
    await turnOnTwoFactor(world.database.db, (await findUserIdByPseudonym(world.database.db, 'Priya'))!);

    await priyaAt.visit(groupPath);
    await priya.getByText('You facilitate this group').waitFor();
    await priya
      .getByRole('navigation', { name: 'Leading this group' })
      .getByRole('link', { name: 'Posts to review' })
      .waitFor();
  });

  it('holds a member’s first discussion for approval, visible only to them and the leaders', async () => {
    const { page } = kitAt;
    await kitAt.visit(groupPath);
    await kitAt.follow(() => page.getByRole('link', { name: 'Start a discussion' }).click());
    await page.getByLabel('Title').fill(thread.title);
    await page.getByLabel('Your message').fill(thread.body);
    await kitAt.follow(() => page.getByRole('button', { name: 'Post discussion' }).click());
    threadPath = new URL(page.url()).pathname;
    expect(threadPath).toMatch(new RegExp(`^${groupPath}/t/\\d+$`));
    await page.getByRole('heading', { level: 1, name: thread.title }).waitFor();
    const opening = page.getByRole('article', { name: 'Kit' });
    await opening.getByText('Awaiting approval', { exact: false }).waitFor();
    expect(await opening.getByText('this tired').evaluate((e) => e.tagName)).toBe('STRONG');

    // Kit still finds it in the group's list.
    await kitAt.visit(groupPath);
    await page.getByRole('link', { name: thread.title }).waitFor();

    // Someone without an account sees neither the thread in the list nor the thread itself.
    await visitorAt.visit(groupPath);
    await visitorAt.page.getByText('No discussions yet.', { exact: false }).waitFor();
    expect(await visitorAt.page.getByRole('link', { name: thread.title }).count()).toBe(0);
    await visitorAt.visit(threadPath, 404);
  });

  it('lets the facilitator approve the post, which everyone can then read', async () => {
    const { page } = priyaAt;
    await priyaAt.visit(groupPath);
    await priyaAt.follow(() =>
      page
        .getByRole('navigation', { name: 'Leading this group' })
        .getByRole('link', { name: 'Posts to review' })
        .click(),
    );
    expect(priyaAt.path).toBe(`${groupPath}/review`);
    await page.getByText('Pre-moderation is on: new posts from members wait here.').waitFor();
    const pending = page.getByRole('article', { name: `New discussion: ${thread.title}` });
    await pending.getByText(/^Kit · /).waitFor();
    expect(await pending.getByText('this tired').evaluate((e) => e.tagName)).toBe('STRONG');
    await priyaAt.follow(() => pending.getByRole('button', { name: 'Approve' }).click());
    expect(await priyaAt.notice()).toBe('Your decision is saved.');
    await page.getByText('Nothing is waiting for review.').waitFor();

    await kitAt.visit(threadPath);
    const opening = kitAt.page.getByRole('article', { name: 'Kit' });
    await opening.getByText('this tired').waitFor();
    expect(await opening.getByText('Awaiting approval', { exact: false }).count()).toBe(0);

    await visitorAt.visit(groupPath);
    await visitorAt.follow(() => visitorAt.page.getByRole('link', { name: thread.title }).click());
    expect(visitorAt.path).toBe(threadPath);
    await visitorAt.page.getByRole('article', { name: 'Kit' }).getByText('this tired').waitFor();
  });

  it('checked every kind of page the journey went through', () => {
    const pages = [...audit.pagesChecked]
      .map((path) => path.replace(groupPath, '/g/:slug').replace(/^\/invite\/.+$/, '/invite/:token'))
      .sort();
    expect(pages).toEqual(
      [
        '/',
        '/admin/outbox',
        '/g/:slug',
        '/g/:slug/applications',
        '/g/:slug/apply',
        '/g/:slug/invitations',
        '/g/:slug/members',
        '/g/:slug/review',
        '/g/:slug/settings',
        '/g/:slug/t/:id',
        '/g/:slug/threads/new',
        '/groups',
        '/groups/new',
        '/invite/:token',
        '/login',
      ].sort(),
    );
  });
});
