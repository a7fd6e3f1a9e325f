import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { makeMeeting } from '../helpers/meetings.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A meeting's live room in two browsers at once: Hazel (who goes by "Hazel Nut" in the group) and
 * Oak, who runs the group. They see each other arrive and write to each other live; Oak mutes
 * Hazel, whose form then says so, and removes one of her messages, which leaves her page at once.
 * Juniper, whose browser runs no JavaScript at all, still reads the room and writes in it. Hazel
 * shares a photo with its description, which Oak sees at once. Every page is checked with
 * axe-core, also as things change on it.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Live chat in a meeting’s room, in two browsers', { timeout: 90_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  let baseUrl = '';
  const audit = new Audit();
  let hazelAt: Person;
  let oakAt: Person;
  let roomPath = '';
  let juniper = { email: '', password: '' };

  beforeAll(async () => {
    world = await createWorld();
    baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    await world.createUser('Admin');
    const oak = await world.createUser('Oak');
    const group = await makeGroup(world, oak, { name: 'Carers at night', visibility: 'members' });
    const hazel = await world.createUser('Hazel');
    const hazelAgent = world.agent();
    await hazelAgent.logIn(hazel.email, hazel.password);
    await hazelAgent.post(`/g/${group.slug}/join`, { alias: 'Hazel Nut' });
    juniper = await world.createUser('Juniper');
    const juniperAgent = world.agent();
    await juniperAgent.logIn(juniper.email, juniper.password);
    await juniperAgent.post(`/g/${group.slug}/join`);
    const { occurrenceIds } = await makeMeeting(world, group, {
      starts: [new Date(Date.now() - 5 * 60_000)],
      kind: 'online',
      title: 'Night owls',
    });
    roomPath = `/meetings/${occurrenceIds[0]}/room`;
    browser = await launchChromium();
    hazelAt = await Person.open(browser, baseUrl, 'Hazel', audit);
    await hazelAt.logIn(hazel.email, hazel.password);
    oakAt = await Person.open(browser, baseUrl, 'Oak', audit);
    await oakAt.logIn(oak.email, oak.password);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  /** Opens the room and waits until its island follows it (a message before that is caught up on, not pushed). */
  async function enter(person: Person, action?: () => Promise<unknown>) {
    const subscribed = person.page
      .waitForEvent('websocket')
      .then((socket) =>
        socket.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"subscribed"') }),
      );
    if (action) {
      // The form answers with a redirect back to the room, with its own notice; waiting for that
      // address is surer than waiting for "load" while the room's socket is open.
      const before = person.page.url();
      await Promise.all([person.page.waitForURL((url) => url.href !== before), action()]);
      await person.check();
    } else await person.visit(roomPath);
    await subscribed;
  }

  const log = (person: Person) => person.page.getByRole('log', { name: 'Messages' });

  it('carries messages both ways as they are written, and shows who is here', async () => {
    await enter(hazelAt);
    await enter(oakAt);
    await hazelAt.page.getByText('Here now: Hazel Nut, Oak').waitFor();
    await oakAt.page.getByText('Here now: Hazel Nut, Oak').waitFor();
    await hazelAt.markDocument();

    const box = hazelAt.page.getByLabel('Your message');
    await box.fill('Is anyone else awake?');
    await box.press('Enter');
    await log(oakAt).getByText('Is anyone else awake?').waitFor();
    await log(hazelAt).getByText('Is anyone else awake?').waitFor();
    // Sent: the box is empty, and still where she is typing.
    expect(await box.inputValue()).toBe('');
    expect(await hazelAt.page.evaluate(() => document.activeElement?.id)).toBe('chat-body');

    await oakAt.page.getByLabel('Your message').fill('I am. The kettle is on.');
    await oakAt.page.getByRole('button', { name: 'Send' }).click();
    await log(hazelAt).getByText('I am. The kettle is on.').waitFor();
    expect(await log(hazelAt).getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('Is anyone else awake?'),
      expect.stringContaining('I am. The kettle is on.'),
    ]);
    expect(await log(hazelAt).textContent()).toContain('Oak');
    expect(await log(oakAt).textContent()).toContain('Hazel Nut');
    expect(await hazelAt.isSameDocument()).toBe(true);
    await hazelAt.check();
    await oakAt.check();
  });

  it('lets the facilitator mute a member, whose form says so, and remove a message, which leaves her page', async () => {
    await enter(oakAt, () => oakAt.page.getByRole('button', { name: 'Mute Hazel Nut' }).click());
    expect(await oakAt.notice()).toBe('They are muted in this room.');
    await hazelAt.page.getByText('A facilitator has muted you in this room. You can still read along.').waitFor();
    expect(await hazelAt.page.getByLabel('Your message').isDisabled()).toBe(true);
    await hazelAt.check();

    const message = log(oakAt).getByRole('listitem').filter({ hasText: 'Is anyone else awake?' });
    await message.getByRole('button', { name: /^Remove/ }).click();
    await log(hazelAt).getByText('Is anyone else awake?').waitFor({ state: 'detached' });
    await log(oakAt).getByText('Is anyone else awake?').waitFor({ state: 'detached' });
    await hazelAt.check();

    await enter(oakAt, () => oakAt.page.getByRole('button', { name: 'Unmute Hazel Nut' }).click());
    await hazelAt.page.locator('#chat-body:enabled').waitFor();
    expect(await hazelAt.isSameDocument()).toBe(true);
  });

  it('works without JavaScript: the history to read, and a form that posts and comes back', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: false, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email address').fill(juniper.email);
    await page.getByLabel('Password', { exact: true }).fill(juniper.password);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Log in', exact: true }).click()]);
    const room = await page.goto(roomPath);
    expect(room?.status()).toBe(200);
    expect(await page.getByRole('log', { name: 'Messages' }).textContent()).toContain('I am. The kettle is on.');
    await page.getByLabel('Your message').fill('Reading along, no scripts here.');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Send' }).click()]);
    expect(new URL(page.url()).pathname).toBe(roomPath);
    expect(await page.getByRole('log', { name: 'Messages' }).textContent()).toContain(
      'Reading along, no scripts here.',
    );
    // And it reached the others as it was written.
    await log(hazelAt).getByText('Reading along, no scripts here.').waitFor();
    await context.close();
  });

  it('sends a photo with its description from the page, which the other sees at once', async () => {
    const { page } = hazelAt;
    const tea = await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#7a4b2a' } })
      .jpeg()
      .toBuffer();
    // Uploaded as soon as it is chosen: it shows in the form, asking for its own description.
    await page
      .getByLabel('Choose from your device')
      .setInputFiles({ name: 'IMG_3001.jpg', mimeType: 'image/jpeg', buffer: tea });
    await page
      .locator('.attach-item')
      .getByLabel('Describe the photo for people who cannot see it')
      .fill('A mug of tea by a dark window');
    await expect.poll(() => page.locator('input[name=attachment]').count()).toBe(1);
    await hazelAt.check();
    await page.getByLabel('Your message').fill('My tea, for company.');
    await page.getByRole('button', { name: 'Send' }).click();
    const seen = log(oakAt).getByRole('img', { name: 'A mug of tea by a dark window' });
    await seen.waitFor();
    await log(hazelAt).getByRole('img', { name: 'A mug of tea by a dark window' }).waitFor();
    expect(await seen.getAttribute('loading')).toBe('lazy');
    await seen.scrollIntoViewIfNeeded();
    await expect.poll(() => seen.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await seen.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\/thumb\.(webp|jpeg)$/);
    // Sent with the message: the form is empty again, in the same page.
    expect(await page.locator('input[name=attachment]').count()).toBe(0);
    expect(await page.getByLabel('Your message').inputValue()).toBe('');
    expect(await hazelAt.isSameDocument()).toBe(true);
    await hazelAt.check();
    await oakAt.check();
  });
});
