import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Blocking and content warnings in a real browser: Ada starts a discussion behind a "self-harm"
 * warning, and Bo (who goes by "Night Owl" in the group) opens it with a click, no JavaScript
 * needed. Ada then blocks Night Owl from his post: neither sees the other's discussions any more,
 * and Ada's list of blocked people names him as she saw him. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

const adaThread = { title: 'The scars I hide', body: 'Summer is hard, with short sleeves.' };
const boThread = { title: 'Awake at three again', body: 'Does anyone else lie awake like this?' };

describe.runIf(chromiumInstalled)('Blocking and content warnings in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let adaAt: Person;
  let boAt: Person;
  let oluAt: Person;
  let groupPath = '';
  let adaThreadPath = '';
  let boThreadPath = '';

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const olu = await world.createUser('Olu');
    const ada = await world.createUser('Ada');
    const bo = await world.createUser('Bo Pseudonym');
    const slug = (await makeGroup(world, olu, { name: 'Self-harm recovery' })).slug;
    groupPath = `/g/${slug}`;
    for (const [person, form] of [
      [ada, {}],
      [bo, { alias: 'Night Owl' }],
    ] as const) {
      const agent = world.agent();
      await agent.logIn(person.email, person.password);
      expect((await agent.post(`${groupPath}/join`, form)).statusCode).toBe(303);
    }
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = (name: string) => Person.open(browser, baseUrl, name, audit);
    [adaAt, boAt, oluAt] = await Promise.all([open('Ada'), open('Bo'), open('Olu')]);
    await Promise.all([
      adaAt.logIn(ada.email, ada.password),
      boAt.logIn(bo.email, bo.password),
      oluAt.logIn(olu.email, olu.password),
    ]);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function startThread(person: Person, thread: { title: string; body: string }, warning?: string) {
    const { page } = person;
    await person.visit(groupPath);
    await person.follow(() => page.getByRole('link', { name: 'Start a discussion' }).click());
    await page.getByLabel('Title').fill(thread.title);
    await page.getByLabel('Your message').fill(thread.body);
    if (warning) await page.getByLabel('Content warning', { exact: true }).selectOption({ label: warning });
    await person.follow(() => page.getByRole('button', { name: 'Post discussion' }).click());
    return person.path.split('?')[0]!;
  }

  it('lets a member post behind a content warning, which another opens with a click', async () => {
    adaThreadPath = await startThread(adaAt, adaThread, 'self-harm');
    boThreadPath = await startThread(boAt, boThread);

    const { page } = boAt;
    await boAt.visit(groupPath);
    await page.getByText('Content warning: self-harm').waitFor();
    await boAt.follow(() => page.getByRole('link', { name: adaThread.title }).click());
    const body = page.getByText(adaThread.body);
    expect(await body.isVisible()).toBe(false);
    await page.getByText('Content warning: self-harm').click();
    await body.waitFor({ state: 'visible' });
    await boAt.check();
  });

  it('lets a member block another from a post: both stop seeing each other’s posts', async () => {
    const { page } = adaAt;
    await adaAt.visit(boThreadPath);
    await page.getByText(boThread.body).waitFor();
    await adaAt.follow(() =>
      page.getByRole('article', { name: 'Night Owl' }).getByRole('button', { name: 'Block Night Owl' }).click(),
    );
    expect(await adaAt.notice()).toContain('Blocked.');
    expect(await page.getByRole('link', { name: boThread.title }).count()).toBe(0);
    await adaAt.visit(boThreadPath, 404);

    await boAt.visit(groupPath);
    expect(await boAt.page.getByRole('link', { name: adaThread.title }).count()).toBe(0);
    await boAt.page.getByRole('link', { name: boThread.title }).waitFor();
    await boAt.visit(adaThreadPath, 404);
  });

  it('lets the group’s owner, who sees everything, change a post’s warning from the post', async () => {
    const { page } = oluAt;
    await oluAt.visit(boThreadPath);
    const post = page.getByRole('article', { name: 'Night Owl' });
    await post.getByText('Change the content warning').click();
    await post.getByLabel('Content warning', { exact: true }).selectOption({ label: 'Other (in my own words)' });
    await post.getByLabel('The warning in your own words').fill('sleeplessness');
    await oluAt.follow(() => post.getByRole('button', { name: 'Save the warning' }).click());
    expect(await oluAt.notice()).toBe('The content warning is saved.');
    await page.getByText('Content warning: sleeplessness').waitFor();
  });

  it('lists the block under the name Ada saw, and lets her take it back', async () => {
    const { page } = adaAt;
    await adaAt.visit('/account');
    await adaAt.follow(() => page.getByRole('link', { name: 'People you blocked' }).click());
    await page.getByText('Night Owl').waitFor();
    expect(await page.content()).not.toContain('Bo Pseudonym');
    await adaAt.follow(() => page.getByRole('button', { name: 'Unblock Night Owl in Self-harm recovery' }).click());
    expect(await adaAt.notice()).toContain('Unblocked.');
    await adaAt.visit(groupPath);
    await page.getByRole('link', { name: boThread.title }).waitFor();
  });

  it('lets a member choose to always see posts with a warning', async () => {
    const { page } = boAt;
    await boAt.visit('/account/content-warnings');
    await page.getByRole('group', { name: 'self-harm' }).getByLabel('Always show').check();
    await boAt.follow(() => page.getByRole('button', { name: 'Save my choices' }).click());
    expect(await boAt.notice()).toBe('Your choices for content warnings are saved.');
    await boAt.visit(adaThreadPath);
    await page.getByText(adaThread.body).waitFor({ state: 'visible' });
  });
});
