import type { Browser } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/features/accounts/schema.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A newsletter in a real browser: Mira, who runs a grief circle, writes one (first forgetting the
 * subject, which the form asks for kindly, keeping her words), looks at the preview and sends it;
 * a visitor signs up on the group's newsletters page, confirms with the button the email's link
 * opens, and later stops it with one click. Every page is checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Newsletters, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let mira: Person;
  let visitor: Person;
  let slug: string;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Mira');
    await world.database.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, owner.id));
    slug = (await makeGroup(world, owner, { name: 'Grief circle' })).slug;
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    mira = await Person.open(browser, baseUrl, 'Mira', audit);
    await mira.logIn(owner.email, owner.password);
    visitor = await Person.open(browser, baseUrl, 'Visitor', audit, { width: 360, height: 740 });
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets the owner write, preview and send a newsletter', async () => {
    const { page } = mira;
    await mira.visit(`/g/${slug}`);
    await mira.follow(() => page.getByRole('link', { name: 'Newsletters' }).click());
    await mira.follow(() => page.getByRole('link', { name: 'Write a newsletter' }).click());
    await page.getByLabel('Newsletter', { exact: true }).fill('Our **walk** is on Sunday, by the river.');
    await mira.follow(() => page.getByRole('button', { name: 'Save draft' }).click(), 400);
    await page.getByText('Please write a subject').first().waitFor();
    expect(await page.getByLabel('Newsletter', { exact: true }).inputValue()).toBe(
      'Our **walk** is on Sunday, by the river.',
    );
    await page.getByLabel('Subject').fill('A walk together');
    await page.getByLabel('Members, and people who signed up by email on the group’s page').check();
    await mira.follow(() => page.getByRole('button', { name: 'Save draft' }).click());
    expect(await mira.notice()).toContain('saved as a draft');
    await page.getByText('This is a preview').waitFor();
    expect(await page.locator('.prose strong').textContent()).toBe('walk');
    await mira.follow(() => page.getByRole('button', { name: 'Send now' }).click());
    expect(await mira.notice()).toContain('on its way');
    await world.mailTick();
    await mira.visit(`/g/${slug}/newsletters`);
    await page.getByText('sent to 1 person').waitFor();
  });

  it('lets a visitor sign up, confirm with a button, and stop it with one click', async () => {
    const { page } = visitor;
    await visitor.visit(`/g/${slug}/newsletters`);
    await page.getByLabel('Your email address').fill('sam@example.net');
    await visitor.follow(() => page.getByRole('button', { name: 'Sign up' }).click());
    expect(await visitor.notice()).toContain('Please check your inbox');

    const [confirmation] = (await world.outbox()).filter((m) => m.to === 'sam@example.net');
    const link = /https?:\/\/\S+\/newsletters\/confirm\/\S+/.exec(confirmation!.text)![0];
    await visitor.visit(new URL(link).pathname);
    await visitor.follow(() => page.getByRole('button', { name: 'Yes, send me the newsletter' }).click());
    await page.getByRole('heading', { name: 'You are signed up' }).waitFor();

    await mira.visit(`/g/${slug}/newsletters`);
    await mira.page.getByText('1 person outside the group has signed up').waitFor();
    await mira.follow(() => mira.page.getByRole('link', { name: 'Write a newsletter' }).click());
    await mira.page.getByLabel('Subject').fill('The walk, again');
    await mira.page.getByLabel('Newsletter', { exact: true }).fill('Same place, same time.');
    await mira.page.getByLabel('Members, and people who signed up by email on the group’s page').check();
    await mira.follow(() => mira.page.getByRole('button', { name: 'Save draft' }).click());
    await mira.follow(() => mira.page.getByRole('button', { name: 'Send now' }).click());
    await world.mailTick();

    const [letter] = (await world.outbox()).filter(
      (m) => m.to === 'sam@example.net' && m.subject === 'The walk, again',
    );
    const unsubscribe = /<(https?:\/\/[^>]+)>/.exec(letter!.headers!['List-Unsubscribe']!)![1]!;
    await visitor.visit(new URL(unsubscribe).pathname);
    await visitor.follow(() => page.getByRole('button', { name: 'Stop the newsletter' }).click());
    await page.getByRole('heading', { name: 'You will get no more newsletters' }).waitFor();
  });
});
