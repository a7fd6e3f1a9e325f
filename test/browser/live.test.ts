import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type Agent, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Live replies in a real browser: Hazel reads a thread while Juniper replies to it. Hazel's page,
 * following the thread over /live, says "New replies. Show them" in its polite status region; the
 * link brings her to the first reply she has not seen. Her own replies (posted in place by htmx)
 * never raise the notice. Every page is checked with axe-core, also with the notice showing.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Live replies in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let hazelAt: Person;
  let juniper: Agent;
  let threadPath = '';
  let threadId = 0;

  beforeAll(async () => {
    world = await createWorld();
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    await world.createUser('Admin');
    const owner = await world.createUser('Oak');
    const group = await makeGroup(world, owner, { name: 'Parents of teenagers', visibility: 'members' });
    const hazel = await world.createUser('Hazel');
    juniper = await world.member('Juniper');
    const hazelAgent = world.agent();
    await hazelAgent.logIn(hazel.email, hazel.password);
    await hazelAgent.post(`/g/${group.slug}/join`);
    await juniper.post(`/g/${group.slug}/join`);
    const started = await juniper.post(`/g/${group.slug}/threads/new`, {
      title: 'Slammed doors',
      body: 'How do you stay calm when the doors start slamming?',
    });
    threadPath = (started.headers.location as string).split('?')[0]!;
    threadId = Number(threadPath.split('/').pop());
    await juniper.post(`/threads/${threadId}/replies`, { body: 'I count to ten, out loud.' });
    browser = await launchChromium();
    hazelAt = await Person.open(browser, baseUrl, 'Hazel', audit);
    await hazelAt.visit('/login');
    await hazelAt.page.getByLabel('Email address').fill(hazel.email);
    await hazelAt.page.getByLabel('Password', { exact: true }).fill(hazel.password);
    await hazelAt.follow(() => hazelAt.page.getByRole('button', { name: 'Log in', exact: true }).click());
  });

  /** Opens a thread page and waits until its script follows the thread (a reply before that goes unseen). */
  async function visitFollowing(path: string) {
    const subscribed = hazelAt.page
      .waitForEvent('websocket')
      .then((socket) =>
        socket.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"subscribed"') }),
      );
    await hazelAt.visit(path);
    await subscribed;
  }

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('tells a reader about new replies politely, and shows her the first one she has not seen', async () => {
    const { page } = hazelAt;
    await visitFollowing(threadPath);
    const notice = page.locator('#live-notice');
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await notice.textContent()).toBe('');

    await juniper.post(`/threads/${threadId}/replies`, { body: 'Walking away for a minute helps me.' });
    await notice.getByRole('link', { name: 'Show them' }).waitFor();
    expect((await notice.textContent())?.trim()).toBe('New replies. Show them');
    await hazelAt.check();

    await hazelAt.follow(() => notice.getByRole('link', { name: 'Show them' }).click());
    expect(hazelAt.path).toBe(`${threadPath}?seen=1`);
    const marker = page.locator('#new-replies');
    expect(await marker.textContent()).toBe('New replies');
    // The marker stands just before the reply she had not seen.
    const next = page.locator('#new-replies + article');
    expect(await next.textContent()).toContain('Walking away for a minute helps me.');
  });

  it('keeps quiet about a reply the reader posts herself', async () => {
    const { page } = hazelAt;
    await visitFollowing(threadPath);
    await hazelAt.markDocument();
    await page.getByLabel('Your reply').fill('Thank you both, I will try that tonight.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.getByText('Thank you both, I will try that tonight.').waitFor();
    await page.getByRole('heading', { name: '3 replies' }).waitFor();
    expect(await hazelAt.isSameDocument()).toBe(true);
    expect(await page.locator('#live-notice').textContent()).toBe('');
    await hazelAt.check();
  });
});
