import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup, makeThread } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Giving back, in a real browser. The reply prompt: Ana starts a discussion and Ben answers it;
 * on her discussion Ana is then shown that someone in the group is waiting for a reply (Cleo),
 * follows the link and answers her; Cleo's discussion leaves "Needs a reply". Every page is
 * checked with axe-core.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

const anaThread = { title: 'First winter without him', body: 'The evenings are so long now.' };
const cleoThread = { title: 'Does the fog ever lift?', body: 'Three months on and I still forget things.' };

describe.runIf(chromiumInstalled)('The reply prompt in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let anaAt: Person;
  let benAt: Person;
  let groupPath = '';
  let slug = '';
  let cleo: { id: number; pseudonym: string; email: string; password: string };
  let anaThreadPath = '';

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const olu = await world.createUser('Olu');
    const ana = await world.createUser('Ana');
    const ben = await world.createUser('Ben');
    cleo = await world.createUser('Cleo');
    slug = (await makeGroup(world, olu, { name: 'Widowed young' })).slug;
    groupPath = `/g/${slug}`;
    for (const person of [ana, ben, cleo]) {
      const agent = world.agent();
      await agent.logIn(person.email, person.password);
      expect((await agent.post(`${groupPath}/join`)).statusCode).toBe(303);
    }
    await makeThread(world, cleo, slug, cleoThread.title, cleoThread.body);
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const open = (name: string) => Person.open(browser, baseUrl, name, audit);
    [anaAt, benAt] = await Promise.all([open('Ana'), open('Ben')]);
    await Promise.all([anaAt.logIn(ana.email, ana.password), benAt.logIn(ben.email, ben.password)]);
  });

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function reply(person: Person, text: string) {
    const { page } = person;
    await page.getByLabel('Your reply').fill(text);
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.getByRole('article', { name: person.name }).getByText(text).waitFor();
  }

  it('invites a member who was helped to answer someone waiting, who then leaves "Needs a reply"', async () => {
    // Ana starts a discussion; nobody has answered it, so she is not asked to help anyone yet.
    const { page } = anaAt;
    await anaAt.visit(groupPath);
    await anaAt.follow(() => page.getByRole('link', { name: 'Start a discussion' }).click());
    await page.getByLabel('Title').fill(anaThread.title);
    await page.getByLabel('Your message').fill(anaThread.body);
    await anaAt.follow(() => page.getByRole('button', { name: 'Post discussion' }).click());
    anaThreadPath = anaAt.path.split('?')[0]!;
    expect(await page.getByText('Someone in this group is waiting for a reply').count()).toBe(0);

    // Ben sees both discussions waiting, and answers Ana.
    await benAt.visit(groupPath);
    await benAt.follow(() => benAt.page.getByRole('link', { name: 'Needs a reply' }).click());
    await benAt.page.getByRole('link', { name: anaThread.title }).waitFor();
    await benAt.page.getByRole('link', { name: cleoThread.title }).waitFor();
    await benAt.check();
    await benAt.follow(() => benAt.page.getByRole('link', { name: anaThread.title }).click());
    await reply(benAt, 'I know those evenings. Be gentle with yourself.');

    // Back on her discussion, Ana is gently shown Cleo's, follows it, and answers.
    await anaAt.visit(anaThreadPath);
    const prompt = page.getByRole('complementary', { name: 'Someone in this group is waiting for a reply' });
    await prompt.waitFor();
    await anaAt.check();
    await anaAt.follow(() => prompt.getByRole('link', { name: cleoThread.title }).click());
    await page.getByText(cleoThread.body).waitFor();
    await reply(anaAt, 'It lifted for me, slowly, around the sixth month. You are not alone.');

    // Cleo's discussion has had its reply: it is no longer waiting.
    await anaAt.visit(`${groupPath}/waiting`);
    await page.getByRole('heading', { level: 1, name: 'Needs a reply' }).waitFor();
    expect(await page.getByRole('link', { name: cleoThread.title }).count()).toBe(0);
    expect(await page.getByRole('link', { name: anaThread.title }).count()).toBe(0);
    await anaAt.check();
  });

  it('lets a member turn the suggestions off from the prompt itself', async () => {
    await makeThread(world, cleo, slug, 'Sleeping on his side of the bed', 'Is that strange?');
    const { page } = anaAt;
    await anaAt.visit(anaThreadPath);
    const prompt = page.getByRole('complementary', { name: 'Someone in this group is waiting for a reply' });
    await prompt.getByRole('link', { name: 'Sleeping on his side of the bed' }).waitFor();
    await anaAt.follow(() => prompt.getByRole('button', { name: 'Don’t show me these suggestions' }).click());
    expect(await anaAt.notice()).toContain('We won’t suggest discussions to answer');
    const box = page.getByLabel('Suggest a discussion I could answer after I have been helped');
    expect(await box.isChecked()).toBe(false);
    await anaAt.check();
    await anaAt.visit(anaThreadPath);
    expect(await page.getByText('Someone in this group is waiting for a reply').count()).toBe(0);
  });
});
