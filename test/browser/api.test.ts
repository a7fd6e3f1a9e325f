import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A newcomer to the API in a real browser: Ada makes an access token on her account's tokens page,
 * reads it once, uses it as a program would, then follows the footer to the API reference. Every
 * page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Access tokens and the API reference in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let ada: Person;
  let account: Awaited<ReturnType<TestWorld['createUser']>>;

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    account = await world.createUser('Ada');
    const address = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    ada = await Person.open(browser, address, 'Ada', audit);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('makes a token, shows it once, and leads to the reference', async () => {
    const { page } = ada;
    await ada.logIn(account.email, account.password);
    await ada.visit('/account');
    await ada.follow(() => page.getByRole('link', { name: 'Access tokens' }).click());
    await page.getByText('There are no tokens yet.').waitFor();

    await page.getByLabel('Name').fill('My first script');
    await page.getByRole('checkbox', { name: 'Write' }).check();
    await page.getByRole('radio', { name: '30 days' }).check();
    await ada.follow(() => page.getByRole('button', { name: 'Make the token' }).click());
    await page.getByText('it will not be shown again', { exact: false }).waitFor();
    const token = await page.getByLabel('Token').inputValue();
    expect(token).toMatch(/^mutual_[A-Za-z0-9_-]{43}$/u);

    const me = await new ApiClient(world.app, token).get('/api/v1/me');
    expect(me.json()).toEqual({ pseudonym: 'Ada', scopes: ['read', 'write'], organisation: null });

    await ada.follow(() => page.getByRole('link', { name: 'Back to the tokens' }).click());
    await page.getByRole('heading', { name: 'My first script' }).waitFor();
    expect(await page.content()).not.toContain(token);

    await ada.follow(() => page.getByRole('link', { name: 'API for developers' }).click());
    expect(ada.path).toBe('/api/docs');
    await page.getByRole('heading', { level: 2, name: 'Getting started' }).waitFor();
    await page.locator('#problem-insufficient-scope').waitFor();

    // Revoking asks first.
    await ada.visit('/account/tokens');
    await ada.follow(() => page.getByRole('link', { name: 'Revoke My first script' }).click());
    await ada.follow(() => page.getByRole('button', { name: 'Revoke the token' }).click());
    expect(await ada.notice()).toBe('The token is revoked: it no longer works.');
    expect((await new ApiClient(world.app, token).get('/api/v1/me')).statusCode).toBe(401);
  });
});
