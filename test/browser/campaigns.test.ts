import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A campaign in a real browser: Ada, who runs a carers' group, starts one (first with a link that is
 * not a web address, which the form asks her kindly to fix, keeping her words), publishes it; a
 * visitor reads it on a phone, and a member signs anonymously. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Campaigns, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let ada: Person;
  let visitor: Person;
  let member: Person;
  let slug: string;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Ada');
    slug = (await makeGroup(world, owner, { name: 'Carers together' })).slug;
    const signer = await world.createUser('Bea');
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    ada = await Person.open(browser, baseUrl, 'Ada', audit);
    await ada.logIn(owner.email, owner.password);
    visitor = await Person.open(browser, baseUrl, 'Visitor', audit, { width: 360, height: 740 });
    member = await Person.open(browser, baseUrl, 'Bea', audit);
    await member.logIn(signer.email, signer.password);
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets the owner write and publish a campaign, and others read and sign it', async () => {
    const { page } = ada;
    await ada.visit(`/g/${slug}/campaigns`);
    await ada.follow(() => page.getByRole('link', { name: 'Start a campaign' }).click());
    await page.getByLabel('Title').fill('Respite care for every carer');
    await page.getByLabel('Statement').fill('Carers need **rest** too.');
    await page.getByLabel('What you ask people to do').fill('Add your name to our letter.');
    await page.getByLabel('A link for taking part (optional)').fill('not a link');
    await ada.follow(() => page.getByRole('button', { name: 'Save' }).click(), 400);
    await page.getByText('Enter a web address starting with https://').first().waitFor();
    expect(await page.getByLabel('Statement').inputValue()).toBe('Carers need **rest** too.');
    await page.getByLabel('A link for taking part (optional)').fill('');
    await ada.follow(() => page.getByRole('button', { name: 'Save' }).click());
    expect(ada.path).toMatch(/^\/campaigns\/respite-care-for-every-carer/);
    await ada.follow(() => page.getByRole('button', { name: 'Publish' }).click());
    expect(await ada.notice()).toContain('The campaign is published');

    await visitor.visit('/campaigns/respite-care-for-every-carer');
    await visitor.page.getByText('Add your name to our letter.').waitFor();
    await visitor.page.getByText('Log in to sign').waitFor();

    await member.visit('/campaigns/respite-care-for-every-carer');
    await member.page.getByLabel('Anonymously: only counted, no name shown').check();
    await member.follow(() => member.page.getByRole('button', { name: 'Sign', exact: true }).click());
    await member.page.getByText('You signed anonymously.').waitFor();
    await member.page.getByText('1 signature', { exact: true }).waitFor();
  });
});
