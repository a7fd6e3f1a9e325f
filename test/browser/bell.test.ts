import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/features/notifications/index.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * The bell in a real browser: Iris reads the groups page while a group's leader is told something
 * concerns her. Her header's "Notifications" link changes to "Notifications (1 new)" without a
 * reload, and the header's polite status region says so; opening the list and marking all read
 * brings it back. Then she chooses what reaches her, and how. Every page is checked with axe-core,
 * also with the count showing.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('The notification bell in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let irisAt: Person;
  let irisId = 0;
  let groupId = 0;

  beforeAll(async () => {
    world = await createWorld();
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    await world.createUser('Admin');
    const owner = await world.createUser('Rowan');
    groupId = (await makeGroup(world, owner, { name: 'Living with tinnitus' })).id;
    const iris = await world.createUser('Iris');
    irisId = iris.id;
    browser = await launchChromium();
    irisAt = await Person.open(browser, baseUrl, 'Iris', audit);
    await irisAt.logIn(iris.email, iris.password);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('shows a new notification on the bell at once, and says so politely', async () => {
    const { page } = irisAt;
    const subscribed = page
      .waitForEvent('websocket')
      .then((socket) =>
        socket.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"subscribed"') }),
      );
    await irisAt.visit('/groups');
    await subscribed;
    await irisAt.markDocument();
    const bell = page.locator('#bell');
    expect(await bell.textContent()).toBe('Notifications');
    expect(await page.locator('#bell-status').getAttribute('role')).toBe('status');

    // Something concerns her, written inside another feature's transaction; the worker's next run.
    await world.database.db.transaction((tx) =>
      notify(tx, { userId: irisId, kind: 'thanks_received', groupId, reason: 'Rowan' }),
    );
    await world.tick();
    await page.waitForFunction(() => document.getElementById('bell')?.textContent === 'Notifications (1 new)');
    expect(await page.locator('#bell-status').textContent()).toBe('You have 1 new notification.');
    expect(await bell.getAttribute('href')).toBe('/notifications');
    await irisAt.check();
    expect(await irisAt.isSameDocument()).toBe(true);
  });

  it('goes back to none once she has read them', async () => {
    const { page } = irisAt;
    await irisAt.visit('/notifications');
    expect(await page.locator('#bell').textContent()).toBe('Notifications (1 new)');
    await irisAt.follow(() => page.getByRole('button', { name: 'Mark all as read' }).click());
    expect(await page.locator('#bell').textContent()).toBe('Notifications');
    expect(await page.getByText('You have read all your notifications.').count()).toBe(1);
  });

  it('lets her choose, kind by kind, what reaches her and how', async () => {
    const { page } = irisAt;
    await irisAt.visit('/account/notifications');
    const reply = page.getByRole('checkbox', { name: 'Someone replies to your discussion or your post: By email' });
    expect(await reply.isChecked()).toBe(true);
    await reply.uncheck();
    await page.getByLabel('Quiet from').fill('22:00');
    await page.getByLabel('Quiet until').fill('07:00');
    await page.getByLabel('Email me at most').selectOption({ label: 'Once a day' });
    await page.getByRole('checkbox', { name: 'Show details in emails' }).check();
    await irisAt.follow(() => page.getByRole('button', { name: 'Save' }).click());
    expect(await irisAt.notice()).toBe('Your notification choices are saved.');
    expect(await reply.isChecked()).toBe(false);
    expect(await page.getByLabel('Quiet from').inputValue()).toBe('22:00');
    expect(await page.getByLabel('Email me at most').inputValue()).toBe('1440');
  });
});
