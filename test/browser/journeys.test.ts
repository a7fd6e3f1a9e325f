import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { Authenticator } from '../helpers/two-factor.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Two people use Mutual in a real browser, from an empty site to a moderated discussion:
 * Ash sets the site up and starts a group; Birch signs up, joins, posts and becomes a moderator.
 * Every page either of them sees is checked with axe-core, and any Content-Security-Policy
 * report or script error fails the step it happened in.
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

const ash = { pseudonym: 'Ash', email: 'ash@example.org', password: 'the ash tree by the river' };
const birch = {
  pseudonym: 'Birch',
  email: 'birch.private@example.org',
  password: 'silver birch in winter',
  newPassword: 'moss grows on the north side',
};
const group = {
  name: 'Caring for a parent with dementia',
  summary: 'For adult children looking after a parent who lives with dementia.',
  description:
    'A place for **adult children** who care for a parent.\n\nPlease read [our ground rules](https://example.org/rules) first.',
};
const thread = {
  title: 'Finding time for myself',
  body: [
    'Some weeks I feel **guilty for resting** at all.',
    '',
    'This [guide to respite care](https://example.org/respite) helped a little.',
    '',
    "<script>document.body.dataset.pwned = 'yes'</script>",
  ].join('\n'),
  editedBody: 'Some weeks I feel **guilty for resting**, but I am learning to rest anyway.',
};
const reply = {
  fromAsh: 'You are doing more than you think, Birch.',
  fromBirch: 'Thank you, that means a lot.',
  mistake: 'Oops, I meant to post this somewhere else.',
};

// The journeys are long, and share two cores with the rest of the suite.
describe.runIf(chromiumInstalled)('Mutual in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  let baseUrl: string;
  const audit = new Audit();
  let ashAt: Person;
  let birchAt: Person;
  let visitorAt: Person;
  let groupPath = '';
  let threadPath = '';

  beforeAll(async () => {
    world = await createWorld();
    baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    ashAt = await Person.open(browser, baseUrl, 'Ash', audit);
    birchAt = await Person.open(browser, baseUrl, 'Birch', audit);
    // Someone without an account, on a small phone.
    visitorAt = await Person.open(browser, baseUrl, 'Visitor', audit, { width: 360, height: 740 });
  });

  afterEach(() => {
    // Accessibility violations, CSP reports and script errors seen during the step.
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('shows the first visitor the set-up page, where they create the administrator', async () => {
    const { page } = ashAt;
    await ashAt.visit('/');
    expect(ashAt.path).toBe('/setup');
    await page.getByRole('heading', { level: 1, name: 'Set up Mutual' }).waitFor();

    await page.getByLabel('Public name (pseudonym)').fill(ash.pseudonym);
    await page.getByLabel('Email address').fill(ash.email);
    await page.getByLabel('Password', { exact: true }).fill(ash.password);
    await ashAt.follow(() => page.getByRole('button', { name: 'Create the administrator account' }).click());

    // The administrator's first step: two-step verification, with an authenticator app.
    expect(ashAt.path).toBe('/account/two-factor?notice=signedUpAdmin');
    expect(await ashAt.notice()).toContain('please turn on two-step verification first');
    await page.getByRole('img', { name: 'A QR code holding the key below, for your authenticator app.' }).waitFor();
    const key = (await page.locator('#totp-key').textContent())!.replace(/ /g, '');
    await page.getByLabel('Code').fill(await new Authenticator(key).code());
    await ashAt.follow(() => page.getByRole('button', { name: 'Turn it on' }).click());
    await page.getByRole('heading', { level: 1, name: 'Your recovery codes' }).waitFor();
    expect(await page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem').count()).toBe(10);
    await ashAt.follow(() => page.getByRole('link', { name: 'I have kept them safe' }).click());
    expect(ashAt.path).toBe('/account/security');
    await page.getByText('Two-step verification is on.').waitFor();
    await page.getByRole('link', { name: 'Your account (Ash)' }).waitFor();

    // Once done, set-up is closed.
    await ashAt.visit('/setup');
    expect(ashAt.path).toBe('/');
  });

  it('lets a second person sign up, log out and in, change their password and log out everywhere', async () => {
    const { page } = birchAt;
    await birchAt.visit('/signup');
    await page.getByLabel('Public name (pseudonym)').fill(birch.pseudonym);
    await page.getByLabel('Email address').fill(birch.email);
    await page.getByLabel('Password', { exact: true }).fill(birch.password);
    await birchAt.follow(() => page.getByRole('button', { name: 'Create my account' }).click());
    expect(await birchAt.notice()).toBe('Welcome to Mutual. Your account is ready.');
    // The header greets them by pseudonym; the email stays on their own account page.
    await page.getByRole('link', { name: 'Your account (Birch)' }).waitFor();
    expect(await page.content()).not.toContain(birch.email);

    await birchAt.follow(() => page.getByRole('button', { name: 'Log out', exact: true }).click());
    expect(await birchAt.notice()).toBe('You are logged out. Take care.');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' }).waitFor();

    await birchAt.logIn(birch.email, birch.password);
    expect(await birchAt.notice()).toBe('You are logged in.');

    // Birch also logs in on a phone.
    const phone = await Person.open(browser, baseUrl, 'Birch’s phone', audit, { width: 360, height: 740 });
    await phone.logIn(birch.email, birch.password);
    await birchAt.visit('/account/security');
    await page.getByText('You are logged in on 2 devices or browsers.').waitFor();
    await birchAt.visit('/account');
    await page.getByText(birch.email).waitFor();

    // A new password ends every other session.
    await page.getByLabel('Current password').fill(birch.password);
    await page.getByLabel('New password').fill(birch.newPassword);
    await birchAt.follow(() => page.getByRole('button', { name: 'Change password' }).click());
    expect(await birchAt.notice()).toBe('Your password has been changed.');
    await birchAt.visit('/account/security');
    await page.getByText('You are logged in on 1 device or browser.').waitFor();
    await phone.visit('/account');
    expect(phone.path).toBe('/login?next=%2Faccount');

    // Logging out of all devices ends this session and the phone's.
    await phone.logIn(birch.email, birch.newPassword);
    await birchAt.visit('/account/security');
    await page.getByText('You are logged in on 2 devices or browsers.').waitFor();
    await birchAt.follow(() => page.getByRole('button', { name: 'Log out of all devices' }).click());
    expect(await birchAt.notice()).toBe('You are logged out on every device.');
    await phone.visit('/account');
    expect(phone.path).toBe('/login?next=%2Faccount');
    await phone.close();

    // The old password no longer works; the email typed is kept and the message explains.
    await birchAt.logIn(birch.email, birch.password, 400);
    await page.getByText('That email and password do not match an account.', { exact: false }).waitFor();
    expect(await page.getByLabel('Email address').inputValue()).toBe(birch.email);
    await birchAt.logIn(birch.email, birch.newPassword);
    expect(await birchAt.notice()).toBe('You are logged in.');
  });

  it('lets a person start a support group, which they own', async () => {
    const { page } = ashAt;
    await ashAt.visit('/groups/new');
    await page.getByLabel('Group name').fill(group.name);
    await page.getByLabel('Short description').fill(group.summary);
    await page.getByLabel('Long description').fill(group.description);
    await page.getByLabel('Topics').fill('caregiving, dementia');
    await page.getByLabel('Language').selectOption({ label: 'English' });
    await page.getByRole('radio', { name: 'Professionally facilitated' }).check();
    await page.getByRole('radio', { name: 'Public discussions' }).check();
    await ashAt.follow(() => page.getByRole('button', { name: 'Create the group' }).click());

    groupPath = new URL(page.url()).pathname;
    expect(groupPath).toMatch(/^\/g\/[a-z0-9-]+$/);
    expect(await ashAt.notice()).toBe('Your group is ready. Start the first discussion to welcome people.');
    await page.getByRole('heading', { level: 1, name: group.name }).waitFor();
    await page.getByText('You own this group').waitFor();
  });

  it('lists the group on the home page and in the directory, and describes it on its page', async () => {
    const { page } = birchAt;
    await birchAt.visit('/');
    for (const section of ['Active groups', 'New groups'])
      await page.getByRole('region', { name: section }).getByRole('link', { name: group.name }).waitFor();

    await birchAt.visit('/groups');
    await page.getByText('1 group found', { exact: true }).waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: group.name }) });
    await card.getByText(group.summary).waitFor();
    await card.getByText('Professionally facilitated').waitFor();
    await card.getByText('1 member', { exact: true }).waitFor();
    expect(await card.getByRole('list', { name: 'Topics' }).getByRole('listitem').allTextContents()).toEqual([
      'caregiving',
      'dementia',
    ]);

    await birchAt.follow(() => card.getByRole('link', { name: group.name }).click());
    expect(birchAt.path).toBe(groupPath);
    await page.getByRole('heading', { level: 1, name: group.name }).waitFor();
    await page.getByText(group.summary).waitFor();
    await page.getByText('Professionally facilitated').waitFor();
    await page.getByText('1 member', { exact: true }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Discussions' }).waitFor();
    await page.getByText('No discussions yet. You could be the first to say hello.').waitFor();

    await birchAt.follow(() => page.getByRole('link', { name: 'About this group' }).click());
    const about = page.getByRole('region', { name: 'About this group' });
    expect(await about.getByText('adult children').evaluate((e) => e.tagName)).toBe('STRONG');
    expect(await about.getByRole('link', { name: 'our ground rules' }).getAttribute('rel')).toBe(
      'nofollow ugc noopener',
    );
  });

  it('lets the other person join, leave and rejoin, then start a discussion with Markdown', async () => {
    const { page } = birchAt;
    await birchAt.visit(groupPath);
    await birchAt.follow(() => page.getByRole('button', { name: 'Join this group' }).click());
    expect(await birchAt.notice()).toBe('You have joined the group. Welcome.');
    await page.getByText('You are a member').waitFor();
    await page.getByText('2 members', { exact: true }).waitFor();

    await birchAt.follow(() => page.getByRole('button', { name: 'Leave group' }).click());
    expect(await birchAt.notice()).toBe('You have left the group.');
    await page.getByText('1 member', { exact: true }).waitFor();
    await birchAt.follow(() => page.getByRole('button', { name: 'Join this group' }).click());
    expect(await birchAt.notice()).toBe('You have joined the group. Welcome.');

    await birchAt.follow(() => page.getByRole('link', { name: 'Start a discussion' }).click());
    await page.getByRole('heading', { level: 1, name: 'Start a discussion' }).waitFor();

    // Without a title the form comes back with the message, and the text typed is kept.
    await page.getByLabel('Your message').fill(thread.body);
    await birchAt.follow(() => page.getByRole('button', { name: 'Post discussion' }).click(), 400);
    await page.getByRole('alert').getByText('There is 1 problem with what you entered.', { exact: false }).waitFor();
    await page.getByText('The title needs 3 to 200 characters.').waitFor();
    expect(await page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Your message').inputValue()).toBe(thread.body);

    await page.getByLabel('Title').fill(thread.title);
    await birchAt.follow(() => page.getByRole('button', { name: 'Post discussion' }).click());
    threadPath = new URL(page.url()).pathname;
    expect(threadPath).toMatch(new RegExp(`^${groupPath}/t/\\d+$`));
    expect(await birchAt.notice()).toBe('Your discussion is posted.');
    await page.getByRole('heading', { level: 1, name: thread.title }).waitFor();

    const opening = page.getByRole('article', { name: birch.pseudonym });
    expect(await opening.getByText('guilty for resting').evaluate((e) => e.tagName)).toBe('STRONG');
    const link = opening.getByRole('link', { name: 'guide to respite care' });
    expect(await link.getAttribute('href')).toBe('https://example.org/respite');
    expect(await link.getAttribute('rel')).toBe('nofollow ugc noopener');
    // The script is shown as the text Birch typed, and never runs.
    await opening.getByText("<script>document.body.dataset.pwned = 'yes'</script>").waitFor();
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
  });

  it('posts replies in place with htmx, and lets authors edit and delete their posts', async () => {
    // Ash replies: the reply appears without a new page, and the form is emptied for the next one.
    await ashAt.visit(threadPath);
    await ashAt.markDocument();
    await ashAt.page.getByLabel('Your reply').fill(reply.fromAsh);
    await ashAt.page.getByRole('button', { name: 'Post reply' }).click();
    await ashAt.page.getByRole('article', { name: ash.pseudonym }).getByText(reply.fromAsh).waitFor();
    await ashAt.page.getByRole('heading', { level: 2, name: '1 reply', exact: true }).waitFor();
    expect(await ashAt.isSameDocument()).toBe(true);
    expect(await ashAt.page.getByLabel('Your reply').inputValue()).toBe('');
    await ashAt.check();

    // Birch replies twice in a row, through the fresh form.
    const { page } = birchAt;
    await birchAt.visit(threadPath);
    await page.getByText(reply.fromAsh).waitFor();
    await birchAt.markDocument();
    for (const text of [reply.fromBirch, reply.mistake]) {
      await page.getByLabel('Your reply').fill(text);
      await page.getByRole('button', { name: 'Post reply' }).click();
      await page.getByRole('article', { name: birch.pseudonym }).getByText(text).waitFor();
      expect(await page.getByLabel('Your reply').inputValue()).toBe('');
    }
    await page.getByRole('heading', { level: 2, name: '3 replies', exact: true }).waitFor();
    expect(await birchAt.isSameDocument()).toBe(true);
    await birchAt.check();

    // Birch deletes the reply posted by mistake.
    const mistake = page.getByRole('article').filter({ hasText: reply.mistake });
    await birchAt.follow(() => mistake.getByRole('link', { name: 'Delete' }).click());
    await page.getByRole('heading', { level: 1, name: 'Delete your post?' }).waitFor();
    await birchAt.follow(() => page.getByRole('button', { name: 'Delete' }).click());
    expect(await birchAt.notice()).toBe('Your post has been deleted.');
    await page.getByText(reply.fromBirch).waitFor();
    expect(await page.getByText(reply.mistake).count()).toBe(0);
    await page.getByRole('heading', { level: 2, name: '2 replies', exact: true }).waitFor();

    // Birch edits the opening post; members see that it was edited, not how.
    const opening = page.getByRole('article').first();
    await birchAt.follow(() => opening.getByRole('link', { name: 'Edit', exact: true }).click());
    await page.getByRole('heading', { level: 1, name: 'Edit your post' }).waitFor();
    expect(await page.getByLabel('Title').inputValue()).toBe(thread.title);
    expect(await page.getByLabel('Your message').inputValue()).toBe(thread.body);
    await page.getByLabel('Your message').fill(thread.editedBody);
    await birchAt.follow(() => page.getByRole('button', { name: 'Save changes' }).click());
    expect(await birchAt.notice()).toBe('Your changes are saved.');
    await opening.getByText('I am learning to rest anyway.', { exact: false }).waitFor();
    await opening.getByText('edited', { exact: false }).waitFor();
    expect(await opening.getByRole('link', { name: 'Edit history' }).count()).toBe(0);

    // The group's owner can read what the post said before.
    await ashAt.visit(threadPath);
    const seenByAsh = ashAt.page.getByRole('article').first();
    await ashAt.follow(() => seenByAsh.getByRole('link', { name: 'Edit history' }).click());
    await ashAt.page.getByRole('heading', { level: 1, name: 'Edit history of a post by Birch' }).waitFor();
    await ashAt.page.getByText('This [guide to respite care](https://example.org/respite)', { exact: false }).waitFor();
  });

  it('toggles an empathy reaction in place', async () => {
    const { page } = ashAt;
    await ashAt.visit(threadPath);
    const opening = page.getByRole('article').first();
    await opening.getByRole('button', { name: 'Sending support 0', pressed: false }).waitFor();
    await ashAt.markDocument();

    await opening.getByRole('button', { name: /^Sending support/ }).click();
    await opening.getByRole('button', { name: 'Sending support 1', pressed: true }).waitFor();
    await ashAt.check();

    await opening.getByRole('button', { name: /^Sending support/ }).click();
    await opening.getByRole('button', { name: 'Sending support 0', pressed: false }).waitFor();
    expect(await ashAt.isSameDocument()).toBe(true);
    await ashAt.check();
  });

  it('lets the owner appoint a moderator, who hides, restores, locks and pins', async () => {
    await ashAt.visit(`${groupPath}/members`);
    const birchRow = ashAt.page.getByRole('row').filter({ hasText: birch.pseudonym });
    await ashAt.page.getByLabel('Role for Birch').selectOption({ label: 'Moderator' });
    await ashAt.follow(() => birchRow.getByRole('button', { name: 'Save' }).click());
    expect(await ashAt.notice()).toBe('The member’s role has been changed.');
    expect(await birchRow.getByRole('cell').nth(1).textContent()).toBe('Moderator');

    const { page } = birchAt;
    await birchAt.visit(groupPath);
    await page.getByText('You moderate this group').waitFor();

    // Hiding Ash's reply takes it away from everyone but moderators, until it is restored.
    await birchAt.visit(threadPath);
    const ashReply = page.getByRole('article', { name: ash.pseudonym });
    await birchAt.follow(() => ashReply.getByRole('button', { name: 'Hide' }).click());
    await ashReply.getByText('Hidden by a moderator: only moderators see this post.').waitFor();
    await visitorAt.visit(threadPath);
    await visitorAt.page.getByText(reply.fromBirch).waitFor();
    expect(await visitorAt.page.getByText(reply.fromAsh).count()).toBe(0);

    await birchAt.follow(() => ashReply.getByRole('button', { name: 'Restore' }).click());
    expect(await ashReply.getByText('Hidden by a moderator', { exact: false }).count()).toBe(0);
    await visitorAt.visit(threadPath);
    await visitorAt.page.getByText(reply.fromAsh).waitFor();

    const moderation = page.getByRole('group', { name: 'Moderation' });
    await birchAt.follow(() => moderation.getByRole('button', { name: 'Lock thread', exact: true }).click());
    await page.getByText('Locked', { exact: true }).waitFor();
    await birchAt.follow(() => moderation.getByRole('button', { name: 'Unlock thread' }).click());
    await moderation.getByRole('button', { name: 'Lock thread', exact: true }).waitFor();
    expect(await page.getByText('Locked', { exact: true }).count()).toBe(0);

    await birchAt.follow(() => moderation.getByRole('button', { name: 'Pin thread', exact: true }).click());
    await moderation.getByRole('button', { name: 'Unpin thread' }).waitFor();
    await birchAt.visit(groupPath);
    const row = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: thread.title }) });
    await row.getByText('Pinned', { exact: true }).waitFor();
  });

  it('fits a 360 px wide screen and never shows anyone’s email on public pages', async () => {
    for (const path of ['/', '/groups', groupPath, `${groupPath}/about`, threadPath]) {
      await visitorAt.visit(path);
      expect({ path, width: await visitorAt.pageWidth() }).toEqual({ path, width: 360 });
      const html = await visitorAt.page.content();
      expect(html).not.toContain(birch.email);
      expect(html).not.toContain(ash.email);
    }
    await visitorAt.page.getByRole('article', { name: birch.pseudonym }).first().waitFor();

    // Signed in, the header has more links, and a moderator's thread page the most controls.
    await birchAt.page.setViewportSize({ width: 360, height: 740 });
    for (const path of [threadPath, `${groupPath}/members`]) {
      await birchAt.visit(path);
      expect({ path, width: await birchAt.pageWidth() }).toEqual({ path, width: 360 });
    }
  });

  it('checked every kind of page the journeys went through', () => {
    const pages = [...audit.pagesChecked].map((path) => path.replace(groupPath, '/g/:slug')).sort();
    expect(pages).toEqual(
      [
        '/',
        '/account',
        '/account/security',
        '/account/two-factor',
        '/g/:slug',
        '/g/:slug/about',
        '/g/:slug/members',
        '/g/:slug/t/:id',
        '/g/:slug/threads/new',
        '/groups',
        '/groups/new',
        '/login',
        '/posts/:id/delete',
        '/posts/:id/edit',
        '/posts/:id/history',
        '/setup',
        '/signup',
      ].sort(),
    );
  });
});
