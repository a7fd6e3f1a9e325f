import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { turnOnTwoFactor, type Authenticator } from '../helpers/two-factor.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Account security in a real browser: Noor adds a passkey with a virtual authenticator (Chromium's
 * DevTools WebAuthn domain stands in for a phone's fingerprint reader), logs out, and logs back in
 * with the passkey alone. Sol, who has two-step verification on, logs in with a code from the app,
 * then looks through their settings, data and privacy pages. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}
if (!chromiumInstalled) {
  console.warn(
    `\n!!! ${chromiumPath} is missing: the browser journeys in test/browser are NOT running.` +
      '\n!!! Install it with `apt-get install -y chromium` (never `npx playwright install`).\n',
  );
}

/** A free port, so that the site's address (BASE_URL, which passkeys are bound to) is known before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Account = Awaited<ReturnType<TestWorld['createUser']>>;

describe.runIf(chromiumInstalled)('Passkeys and two-step verification in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let noor: Account;
  let sol: Account;
  let solsPhone: Authenticator;
  let noorAt: Person;
  let solAt: Person;

  beforeAll(async () => {
    const port = await freePort();
    // WebAuthn needs a secure context and a domain: http://localhost is both.
    const baseUrl = `http://localhost:${port}`;
    world = await createWorld({ baseUrl });
    await world.createUser('Admin');
    noor = await world.createUser('Noor');
    sol = await world.createUser('Sol');
    solsPhone = await turnOnTwoFactor(world.database.db, sol.id);
    await world.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    noorAt = await Person.open(browser, baseUrl, 'Noor', audit);
    solAt = await Person.open(browser, baseUrl, 'Sol', audit);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('adds a passkey, then logs in with it and no password', async () => {
    const { page } = noorAt;
    const cdp = await noorAt.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await noorAt.logIn(noor.email, noor.password);
    await noorAt.visit('/account/security');
    await page.getByText('You have no passkeys yet.').waitFor();
    await noorAt.follow(() => page.getByRole('button', { name: 'Add a passkey on this device' }).click());
    expect(noorAt.path).toBe('/account/security?notice=passkeyAdded');
    expect(await noorAt.notice()).toBe('Your passkey is added. You can log in with it from now on.');
    await page.getByRole('region', { name: 'Passkeys' }).getByText('Chrome · Linux').waitFor();

    await noorAt.follow(() => page.getByRole('button', { name: 'Log out', exact: true }).click());
    await noorAt.visit('/login');
    await noorAt.follow(() => page.getByRole('button', { name: 'Use a passkey' }).click());
    expect(noorAt.path).toBe('/?notice=loggedIn');
    await page.getByRole('link', { name: 'Your account (Noor)' }).waitFor();
    await noorAt.visit('/account/security');
    await page.getByRole('region', { name: 'Passkeys' }).getByText('last used', { exact: false }).waitFor();
  });

  it('asks for a code from the app after the password, then shows settings, data and privacy', async () => {
    const { page } = solAt;
    await solAt.logIn(sol.email, sol.password);
    expect(solAt.path).toBe('/login/two-factor');
    await page.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
    await page.getByLabel('Code').fill('000000');
    await solAt.follow(() => page.getByRole('button', { name: 'Log in' }).click(), 400);
    await page.getByText('That code did not work.', { exact: false }).first().waitFor();
    await page.getByLabel('Code').fill(await solsPhone.code());
    await solAt.follow(() => page.getByRole('button', { name: 'Log in' }).click());
    expect(solAt.path).toBe('/?notice=loggedIn');

    await solAt.visit('/account/settings');
    await page.getByRole('radio', { name: 'Nobody but the group’s leaders' }).check();
    await page.getByLabel('Time zone').selectOption('Africa/Nairobi');
    await solAt.follow(() => page.getByRole('button', { name: 'Save settings' }).click());
    expect(await solAt.notice()).toBe('The settings are saved.');
    expect(await page.getByRole('radio', { name: 'Nobody but the group’s leaders' }).isChecked()).toBe(true);

    await solAt.visit('/account/data');
    await solAt.follow(() => page.getByRole('button', { name: 'Prepare my archive' }).click());
    await world.jobs.drain();
    await solAt.visit('/account/data');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the archive' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^mutual-data-\d{4}-\d{2}-\d{2}\.zip$/);

    await solAt.follow(() => page.getByRole('link', { name: 'Delete my account…' }).click());
    await page.getByRole('heading', { level: 1, name: 'Delete your account' }).waitFor();
    await solAt.follow(() => page.getByRole('link', { name: 'Keep my account' }).click());
    await solAt.follow(() => page.getByRole('link', { name: 'Privacy' }).click());
    await page.getByRole('heading', { level: 2, name: 'IP addresses' }).waitFor();
  });

  it('checked every kind of page it went through', () => {
    expect([...audit.pagesChecked].sort()).toEqual(
      [
        '/',
        '/account/data',
        '/account/delete',
        '/account/security',
        '/account/settings',
        '/login',
        '/login/two-factor',
        '/privacy',
      ].sort(),
    );
  });
});
