import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Following and mentions in a real browser. Bo, who goes by "Night Owl" in the group, watches it
 * from its page (the control changes in place). Ada answers Bo's discussion and mentions him: the
 * "@" offers the group's names as a list she chooses from with the keyboard. Bo's bell changes at
 * once, and his notification leads to her reply. Every page, and the list while open, is checked
 * with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Following and mentions in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let ada: Person;
  let bo: Person;
  let slug = '';
  let threadId = 0;

  beforeAll(async () => {
    world = await createWorld();
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    await world.createUser('Admin');
    const owner = await world.createUser('Rowan');
    slug = (await makeGroup(world, owner, { name: 'Night shift' })).slug;
    const adaUser = await world.createUser('Ada');
    const boUser = await world.createUser('Bo Pseudo');
    const adaAgent = world.agent();
    await adaAgent.logIn(adaUser.email, adaUser.password);
    await adaAgent.post(`/g/${slug}/join`);
    const boAgent = world.agent();
    await boAgent.logIn(boUser.email, boUser.password);
    await boAgent.post(`/g/${slug}/join`, { alias: 'Night Owl' });
    // He has read the group's welcome: his bell counts only what follows.
    await boAgent.post('/notifications/read-all');
    const started = await boAgent.post(`/g/${slug}/threads/new`, {
      title: 'Awake again',
      body: 'Three in the morning.',
    });
    threadId = Number(/\/t\/(\d+)/.exec(String(started.headers.location))![1]);
    browser = await launchChromium();
    ada = await Person.open(browser, baseUrl, 'Ada', audit);
    await ada.logIn(adaUser.email, adaUser.password);
    bo = await Person.open(browser, baseUrl, 'Bo', audit);
    await bo.logIn(boUser.email, boUser.password);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('changes how closely Bo follows the group in place', async () => {
    const { page } = bo;
    await bo.visit(`/g/${slug}`);
    await bo.markDocument();
    const control = page.getByRole('group', { name: 'Notifications for this group' });
    expect(await control.getByRole('radio', { name: 'Tracking' }).isChecked()).toBe(true);
    await control.getByRole('radio', { name: 'Watching' }).check();
    await page.locator('#follow-group').getByRole('button', { name: 'Save' }).click();
    await page.locator('#follow-group [role="status"]', { hasText: 'Saved' }).waitFor();
    expect(await page.locator('#follow-group [role="status"]').textContent()).toBe(
      'Saved. You will hear of every new post.',
    );
    expect(await page.getByRole('radio', { name: 'Watching' }).isChecked()).toBe(true);
    expect(await bo.isSameDocument()).toBe(true);
    await bo.check();
  });

  it('offers the group’s names after "@", chosen with the keyboard', async () => {
    const { page } = ada;
    await ada.visit(`/g/${slug}/t/${threadId}`);
    const field = page.getByLabel('Your reply');
    await field.click();
    await field.pressSequentially('Thank you @nig');
    const list = page.getByRole('listbox', { name: 'Names in this group' });
    await list.getByRole('option', { name: 'Night Owl' }).waitFor();
    expect(await field.getAttribute('aria-autocomplete')).toBe('list');
    expect(await field.getAttribute('aria-activedescendant')).toBe(
      await list.getByRole('option', { name: 'Night Owl' }).getAttribute('id'),
    );
    expect(await page.locator('.mentions-field [role="status"]').textContent()).toContain('1 name matches');
    // His pseudonym is never offered: only the name he has here.
    expect(await list.textContent()).not.toContain('Bo Pseudo');
    await ada.check();
    await field.press('Enter');
    expect(await field.inputValue()).toBe('Thank you @Night Owl ');
    expect(await list.isHidden()).toBe(true);
    await field.pressSequentially('for the company.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.locator('#posts a.mention', { hasText: '@Night Owl' }).waitFor();
    await ada.check();
  });

  it('tells Bo at once, on his bell, and leads him to her reply', async () => {
    const { page } = bo;
    const subscribed = page
      .waitForEvent('websocket')
      .then((socket) =>
        socket.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"subscribed"') }),
      );
    await bo.visit('/groups');
    await subscribed;
    // The worker runs the notification job; the bell changes without a reload.
    await world.tick();
    await page.waitForFunction(() => document.getElementById('bell')?.textContent === 'Notifications (1 new)');
    await bo.visit('/notifications');
    expect(await page.getByRole('main').textContent()).toContain('Ada mentioned you in “Awake again”');
    await bo.follow(() => page.getByRole('main').getByRole('link', { name: 'See the post' }).first().click());
    expect(bo.path).toBe(`/g/${slug}/t/${threadId}`);
    expect(await page.locator('a.mention').first().textContent()).toBe('@Night Owl');
  });
});
