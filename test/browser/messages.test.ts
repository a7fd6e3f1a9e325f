import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Private messages in two browsers: Ana asks to talk with Night Owl (Bo's name in the group) from
 * the member list; Bo sees the request, accepts it, and they write to each other, each seeing the
 * other's messages arrive without reloading. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Private messages in two browsers', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let anaAt: Person;
  let boAt: Person;
  let groupPath = '';
  let conversationPath = '';

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const olu = await world.createUser('Olu');
    const ana = await world.createUser('Ana');
    const bo = await world.createUser('Bo Pseudonym');
    const slug = (await makeGroup(world, olu, { name: 'Carers circle' })).slug;
    groupPath = `/g/${slug}`;
    for (const [person, form] of [
      [ana, {}],
      [bo, { alias: 'Night Owl' }],
    ] as const) {
      const agent = world.agent();
      await agent.logIn(person.email, person.password);
      expect((await agent.post(`${groupPath}/join`, form)).statusCode).toBe(303);
    }
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    [anaAt, boAt] = await Promise.all([
      Person.open(browser, baseUrl, 'Ana', audit),
      Person.open(browser, baseUrl, 'Bo', audit),
    ]);
    await Promise.all([anaAt.logIn(ana.email, ana.password), boAt.logIn(bo.email, bo.password)]);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('sends a message request from the member list', async () => {
    const { page } = anaAt;
    await anaAt.visit(`${groupPath}/members`);
    await anaAt.follow(() => page.getByRole('link', { name: 'Send a private message to Night Owl' }).click());
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('Night Owl');
    await page.getByLabel('Your message').fill('Hello. Your words about the nights helped me.');
    await anaAt.follow(() => page.getByRole('button', { name: 'Send' }).click());
    expect(await anaAt.notice()).toContain('Your message request is sent');
    await expect.poll(() => page.getByText('Waiting for Night Owl to accept your request').count()).toBe(1);
    conversationPath = anaAt.path.split('?')[0]!;
    expect(await page.getByRole('main').getByText('Bo Pseudonym').count()).toBe(0);
  });

  it('shows Bo the request, which he accepts', async () => {
    const { page } = boAt;
    await boAt.visit('/messages');
    expect(await page.getByRole('heading', { name: 'Message requests' }).count()).toBe(1);
    await boAt.follow(() => page.getByRole('link', { name: 'See the request from Ana' }).click());
    expect(await page.getByText('Your words about the nights helped me.').count()).toBe(1);
    await boAt.follow(() => page.getByRole('button', { name: 'Accept' }).click());
    expect(await boAt.notice()).toContain('Accepted');
    expect(boAt.path.split('?')[0]).toBe(conversationPath);
  });

  it('lets them write to each other, each message arriving live on the other’s page', async () => {
    // Ana has the conversation open; Bo writes.
    await anaAt.visit(conversationPath);
    await anaAt.markDocument();
    await boAt.page.getByLabel('Your message').fill('Thank you, Ana. The nights are long.');
    await boAt.follow(() => boAt.page.getByRole('button', { name: 'Send' }).click());
    await anaAt.page.getByText('Thank you, Ana. The nights are long.').waitFor();
    expect(await anaAt.isSameDocument()).toBe(true);
    expect(await anaAt.page.getByRole('status').filter({ hasText: 'New messages have arrived' }).count()).toBe(1);
    await anaAt.check();

    // And back: Bo's open page hears of Ana's answer.
    await boAt.markDocument();
    await anaAt.page.getByLabel('Your message').fill('They are. Tea helps me a little.');
    await anaAt.follow(() => anaAt.page.getByRole('button', { name: 'Send' }).click());
    await boAt.page.getByText('They are. Tea helps me a little.').waitFor();
    expect(await boAt.isSameDocument()).toBe(true);
    await boAt.check();
    expect(await boAt.page.getByRole('main').getByText('Bo Pseudonym').count()).toBe(0);
  });

  it('lists the conversation for both, and lets Bo choose who may write to him', async () => {
    await anaAt.visit('/messages');
    expect(await anaAt.page.getByRole('link', { name: 'Open the conversation with Night Owl' }).count()).toBe(1);
    await boAt.visit('/account/messages');
    await boAt.page.getByLabel('Facilitators only').check();
    await boAt.follow(() => boAt.page.getByRole('button', { name: 'Save' }).click());
    expect(await boAt.notice()).toContain('Your choice of who may send you messages is saved');
    await boAt.visit(`${conversationPath}?report=1`);
  });
});
