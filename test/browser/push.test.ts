import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * The installable app in a real browser: the page links its manifest, the service worker
 * registers for the whole site, and when the network is gone a page asked for shows the offline
 * page it kept (checked with axe-core like every page). The push settings page offers to turn push
 * on where the browser can. Headless Chromium has no push service to subscribe with here, so the
 * subscription itself is tested over HTTP (src/features/push/push.test.ts), as a browser's script sends it.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('The installable app, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let mia: Person;

  beforeAll(async () => {
    world = await createWorld();
    const person = await world.createUser('Mia');
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    mia = await Person.open(browser, baseUrl, 'Mia', audit, { width: 360, height: 740 });
    await mia.logIn(person.email, person.password);
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('links a manifest a browser can install from, and registers the service worker for the whole site', async () => {
    const { page } = mia;
    await mia.visit('/groups');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    const manifest = (await (await page.request.get(href!)).json()) as { display: string; icons: unknown[] };
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.length).toBeGreaterThanOrEqual(2);
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return { script: registration.active?.scriptURL ?? '', scope: registration.scope };
    });
    expect(new URL(worker.script).pathname).toBe('/sw.js');
    expect(new URL(worker.scope).pathname).toBe('/');
  });

  it('shows the kept offline page when the network is gone, and the page itself once it is back', async () => {
    const { page, context } = mia;
    await mia.visit('/groups');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    try {
      await mia.visit('/account/settings');
      await page.getByRole('heading', { level: 1, name: 'You are offline' }).waitFor();
      // Kept for everyone: it does not name her, though she is signed in.
      expect(await page.locator('body').textContent()).not.toContain('Mia');
      expect(mia.path).toBe('/account/settings');
    } finally {
      await context.setOffline(false);
    }
    await mia.follow(() => page.getByRole('link', { name: 'Try again' }).click());
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  });

  it('offers to turn push on for this device, and says so kindly when it cannot be done', async () => {
    const { page, context } = mia;
    await context.grantPermissions(['notifications']);
    await mia.visit('/account/push');
    const button = page.getByRole('button', { name: 'Turn on notifications on this device' });
    await button.waitFor();
    expect(await page.getByText('Turning on notifications needs JavaScript').isVisible()).toBe(false);
    await page.getByText('None yet.').waitFor();
    // Headless Chromium has no push service: subscribing fails, and the page says what to do.
    await button.click();
    await page.getByRole('status').getByText('Notifications could not be turned on just now.').waitFor();
    expect(await button.isEnabled()).toBe(true);
    await mia.check();
  });
});
