import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { grantTrustLevel } from '../../src/features/trust/index.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup, makeThread } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * Flags in a real browser: Ash posts something cruel in a grief group; Ada, Ben and Cy each flag
 * it from the thread page, and after the third flag it is gone for members; Olu, who owns the
 * group, finds it in the review queue, hides it for good and pauses Ash from posting; Ada is told
 * what was decided. Every page is checked with axe-core, and any Content-Security-Policy report or
 * script error fails the step it happened in.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

const cruel = 'Honestly, you should all be over it by now.';

describe.runIf(chromiumInstalled)('Flagging a post in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  const people: Record<'ada' | 'ben' | 'cy' | 'olu' | 'ash', Person> = {} as never;
  let threadPath = '';
  let groupPath = '';

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const olu = await world.createUser('Olu');
    const group = await makeGroup(world, olu, { name: 'After a loss' });
    groupPath = `/g/${group.slug}`;
    const thread = await makeThread(world, olu, group.slug, 'The first winter', 'How are you all coping?');
    threadPath = `${groupPath}/t/${thread.id}`;
    const accounts: Partial<Record<keyof typeof people, { email: string; password: string }>> = { olu };
    for (const [key, name] of [
      ['ada', 'Ada'],
      ['ben', 'Ben'],
      ['cy', 'Cy'],
      ['ash', 'Ash'],
    ] as const) {
      const user = await world.createUser(name);
      // Members who have been around a few days: their flags count towards hiding a post.
      await grantTrustLevel(world.database.db, user.id, 1, false);
      const agent = world.agent();
      await agent.logIn(user.email, user.password);
      await agent.post(`${groupPath}/join`);
      accounts[key] = user;
    }
    const ash = world.agent();
    await ash.logIn(accounts.ash!.email, accounts.ash!.password);
    await ash.post(`/threads/${thread.id}/replies`, { body: cruel });

    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    // One after another: five browsers logging in at once are slow on a small machine.
    for (const key of ['ada', 'ben', 'cy', 'olu', 'ash'] as const) {
      people[key] = await Person.open(browser, baseUrl, key, audit);
      await people[key].logIn(accounts[key]!.email, accounts[key]!.password);
    }
  }, 180_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('lets three members flag the post, which then disappears for members', async () => {
    const reasons = { ada: 'Harassment or bullying', ben: 'Harmful to others', cy: 'Harmful to others' } as const;
    for (const key of ['ada', 'ben', 'cy'] as const) {
      const who = people[key];
      const { page } = who;
      await who.visit(threadPath);
      await page.getByText(cruel).waitFor();
      const post = page.getByRole('article', { name: 'Ash' });
      // With JavaScript the form opens under the post, and is answered there.
      await who.markDocument();
      await post.getByRole('link', { name: 'Flag' }).click();
      await post.getByRole('heading', { level: 3, name: 'Flag this post for the moderators' }).waitFor();
      await who.check();
      await post.getByRole('radio', { name: reasons[key] }).check();
      if (key === 'ada') await post.getByLabel('Anything the moderators should know').fill('This hurts people here.');
      await post.getByRole('button', { name: 'Send to the moderators' }).click();
      const thanks = post.getByRole('status');
      await thanks.getByText('Thank you for flagging this post.', { exact: false }).waitFor();
      expect(await who.isSameDocument()).toBe(true);
      const said = (await thanks.textContent()) ?? '';
      if (key === 'cy') {
        expect(said).toContain('It is hidden from members until a moderator looks at it');
      } else {
        expect(said).toContain('The moderators will look at it');
        await who.visit(threadPath);
        await page.getByRole('article', { name: 'Ash' }).getByText('You flagged this').waitFor();
      }
    }
    await people.ada.visit(threadPath);
    expect(await people.ada.page.getByText(cruel).count()).toBe(0);
    await people.ash.visit(threadPath);
    expect(await people.ash.page.getByText(cruel).count()).toBe(0);
  });

  it('shows the owner the post in the review queue; hiding it and pausing its author tells the flaggers', async () => {
    const { page } = people.olu;
    await people.olu.visit(groupPath);
    const leading = page.getByRole('navigation', { name: 'Leading this group' });
    await people.olu.follow(() => leading.getByRole('link', { name: 'Posts to review' }).click());
    await page.getByRole('heading', { level: 2, name: 'Flagged posts' }).waitFor();
    const item = page.getByRole('article', { name: 'Reply in: The first winter' });
    await item.getByText(cruel).waitFor();
    await item.getByText('3 open flags').waitFor();
    await item.getByText('This hurts people here.').waitFor();
    await item.getByText('Hidden from members by these flags until you decide.').waitFor();

    // Pausing without a reason is refused, keeping the choice made.
    await item.getByRole('radio', { name: /^Pause the author from posting/ }).check();
    await item.getByLabel('Pause for').selectOption('3');
    await people.olu.follow(() => item.getByRole('button', { name: 'Decide' }).click(), 400);
    const again = page.getByRole('article', { name: 'Reply in: The first winter' });
    const message = again.getByLabel('Message to the author, or reason');
    expect(await message.getAttribute('aria-invalid')).toBe('true');
    expect(await again.getByRole('radio', { name: /^Pause the author from posting/ }).isChecked()).toBe(true);
    expect(await again.getByLabel('Pause for').inputValue()).toBe('3');

    await message.fill('Please take a few days away, and come back with kindness.');
    await again.getByRole('checkbox', { name: /^Also hide the post/ }).check();
    await people.olu.follow(() => again.getByRole('button', { name: 'Decide' }).click());
    expect(await people.olu.notice()).toBe(
      'Your decision is saved, and the members who flagged the post have been told what was decided.',
    );
    await page.getByText('No posts are flagged.').waitFor();

    await people.olu.follow(() => page.getByRole('link', { name: 'Members paused from posting' }).click());
    await page.getByRole('button', { name: 'Let Ash post again' }).waitFor();

    await people.ada.visit('/notifications');
    await people.ada.page
      .getByText('A moderator of After a loss paused the author of the post you flagged from posting for a while.', {
        exact: false,
      })
      .waitFor();
    expect(await people.ada.page.getByText('Olu').count()).toBe(0);

    await people.ash.visit(threadPath);
    await people.ash.page
      .getByText('A moderator has paused your posting in this group until', { exact: false })
      .waitFor();
    expect(await people.ash.page.getByRole('button', { name: 'Post reply' }).count()).toBe(0);
  });
});
