import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/features/accounts/schema.js';
import { files } from '../../src/features/files/schema.js';
import { joinGroup } from '../../src/features/groups/index.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Sharing a photo on a phone: Willow, on a phone-sized screen, adds a photo straight from her
 * camera (with where it was taken in it) to a new discussion, describes it, and posts. Rowan sees
 * it with its description, and what he downloads says nothing of where it was taken. An SVG and
 * an HTML page with scripts in them are refused with a message that says why; and even a file
 * with a script that got stored somehow runs nothing when opened. Visitors cannot fetch a
 * members-only group's photo. Willow takes her photo off the post again from its edit form, and
 * starts a private conversation with Rowan with another. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

const run = promisify(execFile);
const phone = { width: 390, height: 844 };

async function photoWithLocation(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: '#4f7cac' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Secret 9' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();
}

async function tagsOf(bytes: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mutual-browser-file-'));
  await writeFile(join(dir, 'f'), bytes);
  const { stdout } = await run('/usr/bin/exiftool', ['-j', '-G1', '-a', join(dir, 'f')]);
  return Object.keys((JSON.parse(stdout) as Record<string, unknown>[])[0]!);
}

describe.runIf(chromiumInstalled)('Photos and files, in a browser', { timeout: 90_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  let baseUrl: string;
  const audit = new Audit();
  let willow: Person;
  let rowan: Person;
  let rowanId: number;
  let slug: string;

  beforeAll(async () => {
    world = await createWorld();
    const db = world.database.db;
    const owner = await world.createUser('Olu');
    slug = (await makeGroup(world, owner, { name: 'Allotment friends', visibility: 'members' })).slug;
    baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = async (name: string) => {
      const user = await world.createUser(name);
      await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
      await joinGroup(db, { id: user.id, pseudonym: user.pseudonym, isAdmin: false }, slug);
      const person = await Person.open(browser, baseUrl, name, audit, phone);
      await person.logIn(user.email, user.password);
      return { user, person };
    };
    willow = (await open('Willow')).person;
    const r = await open('Rowan');
    rowan = r.person;
    rowanId = r.user.id;
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  let threadPath = '';
  let photoUrl = '';

  it('shares a photo with its description from a phone; what others download has no location in it', async () => {
    const { page } = willow;
    await willow.visit(`/g/${slug}/threads/new`);
    await page.getByLabel('Title').fill('First tomatoes');
    await page.getByLabel('Your message').fill('They finally turned red!');
    await page
      .getByLabel('Choose from your device')
      .setInputFiles({ name: 'IMG_2231.jpg', mimeType: 'image/jpeg', buffer: await photoWithLocation() });
    // Uploaded at once: it shows in the form, asking for its own description.
    const describe = page.locator('.attach-item').getByLabel('Describe the photo for people who cannot see it');
    await describe.fill('Three red tomatoes on the vine');
    await expect.poll(() => page.locator('input[name=attachment]').count()).toBe(1);
    await willow.check();
    await willow.follow(() => page.getByRole('button', { name: 'Post discussion' }).click());
    threadPath = new URL(page.url()).pathname;
    const image = page.getByRole('img', { name: 'Three red tomatoes on the vine' });
    await expect.poll(() => image.count()).toBe(1);

    await rowan.visit(threadPath);
    const seen = rowan.page.getByRole('img', { name: 'Three red tomatoes on the vine' });
    await seen.scrollIntoViewIfNeeded();
    await expect.poll(() => seen.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // On a phone-sized screen the browser takes the thumbnail, not the full photo.
    const shown = await seen.evaluate((img: HTMLImageElement) => img.currentSrc);
    expect(shown).toMatch(/\/thumb\.(webp|jpeg)$/);
    expect(await seen.getAttribute('loading')).toBe('lazy');
    expect(await rowan.pageWidth()).toBeLessThanOrEqual(phone.width);
    await rowan.page.getByText('Description', { exact: true }).click();
    await expect
      .poll(() => rowan.page.getByText('Three red tomatoes on the vine', { exact: true }).isVisible())
      .toBe(true);
    // What he downloads: the full photo, with no position or camera in it.
    photoUrl = (await rowan.page.getByRole('link', { name: 'Three red tomatoes on the vine' }).getAttribute('href'))!;
    const download = await rowan.page.request.get(photoUrl);
    expect(download.status()).toBe(200);
    const tags = await tagsOf(await download.body());
    expect(tags.filter((t) => /GPS|Make|Model/.test(t))).toEqual([]);
  });

  it('cannot be fetched signed out, from a members-only group', async () => {
    const visitor = await browser.newContext({ baseURL: baseUrl });
    try {
      const res = await visitor.request.get(photoUrl);
      expect(res.status()).toBe(404);
      expect(await res.text()).not.toContain('JFIF');
    } finally {
      await visitor.close();
    }
  });

  it('refuses an SVG and an HTML page, saying why', async () => {
    const { page } = willow;
    await willow.visit(threadPath);
    const input = page.getByLabel('Choose from your device');
    await input.setInputFiles({
      name: 'drawing.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/pwned-svg")</script></svg>'),
    });
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'We could not add drawing.svg' }).count())
      .toBe(1);
    await input.setInputFiles({
      name: 'page.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<!doctype html><script>fetch("/pwned-html")</script>'),
    });
    const refused = page.getByRole('alert').filter({ hasText: 'We could not add page.html' });
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.textContent()).toContain('We can only take photos');
    expect(await page.locator('input[name=attachment]').count()).toBe(0);
    await willow.check();
  });

  it('takes the photo off the post from its edit form, and deletes it', async () => {
    const { page } = willow;
    await willow.visit(threadPath);
    await willow.follow(() => page.getByRole('link', { name: 'Edit', exact: true }).first().click());
    // The photo is listed, with its description to change and a box to remove it.
    const item = page.locator('.attach-item');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getByLabel('Describe the photo for people who cannot see it').inputValue()).toBe(
      'Three red tomatoes on the vine',
    );
    await item.getByLabel('Remove').check();
    await willow.check();
    await willow.follow(() => page.getByRole('button', { name: 'Save changes' }).click());
    expect(await page.getByRole('img', { name: 'Three red tomatoes on the vine' }).count()).toBe(0);
    expect((await rowan.page.request.get(photoUrl)).status()).toBe(404);
  });

  it('starts a private conversation with a photo', async () => {
    const { page } = willow;
    await willow.visit(`/messages/new?group=${slug}&to=Rowan`);
    await page.getByLabel('Your message').fill('The seedlings I promised you.');
    await page
      .getByLabel('Choose from your device')
      .setInputFiles({ name: 'seedlings.jpg', mimeType: 'image/jpeg', buffer: await photoWithLocation() });
    await page.locator('.attach-item').getByLabel('Describe the photo for people who cannot see it').fill('Seedlings');
    await expect.poll(() => page.locator('input[name=attachment]').count()).toBe(1);
    await willow.check();
    await willow.follow(() => page.getByRole('button', { name: 'Send', exact: true }).click());
    const conversation = new URL(page.url()).pathname;
    await rowan.visit(conversation);
    await expect.poll(() => rowan.page.getByRole('img', { name: 'Seedlings' }).count()).toBe(1);
  });

  it('runs nothing from a stored file, whatever is in it', async () => {
    // As if files with a script had got past the checks: stored under Rowan's name, not attached.
    const script = Buffer.from(
      '<html><body><script>fetch("/pwned-stored");document.title="ran"</script></body></html>',
    );
    const store = async (kind: 'file' | 'image', contentType: string, name: string) => {
      const publicId = randomBytes(16).toString('base64url');
      const key = `${publicId.slice(0, 2)}/${publicId.slice(2, 4)}/${publicId}/main`;
      await world.files.put(key, script, contentType);
      await world.database.db.insert(files).values({
        publicId,
        uploaderId: rowanId,
        kind,
        contentType,
        byteSize: script.length,
        name,
        storageKey: key,
      });
      return publicId;
    };
    const asFile = await store('file', 'text/html', 'notes.html');
    const asImage = await store('image', 'image/jpeg', 'photo.jpeg');
    const { page } = rowan;
    const pwned: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/pwned')) pwned.push(request.url());
    });
    // A file: a download, never a page.
    const downloading = page.waitForEvent('download');
    await page.goto(`/files/${asFile}/main`).catch(() => null);
    expect((await downloading).suggestedFilename()).toBe('notes.html');
    // An "image" that is really a page: shown as a (broken) image, never sniffed, under a sandbox with no scripts.
    const res = await page.goto(`/files/${asImage}/main`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toBe('image/jpeg');
    expect(res?.headers()['x-content-type-options']).toBe('nosniff');
    expect(res?.headers()['content-security-policy']).toContain('sandbox');
    expect(await page.title()).not.toBe('ran');
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
    await page.goto('/');
    expect(pwned).toEqual([]);
    // Chromium's own image viewer styles its page inline, which the file's policy blocks too:
    // expected here, and the only thing these pages did.
    const problems = audit.takeProblems();
    expect(
      problems.filter((p) => !(p.url.startsWith('/files/') && p.detail.startsWith('Applying inline style'))),
    ).toEqual([]);
  });
});
