import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup, makeThread } from '../helpers/factories.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * A link preview in a real browser: the card passes axe-core, and reading the thread makes the
 * browser fetch nothing from the linked site.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

describe.runIf(chromiumInstalled)('Link previews, in a browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  let site: Server;
  let reader: Person;
  const audit = new Audit();
  const asked: string[] = [];
  let threadPath: string;

  beforeAll(async () => {
    world = await createWorld();
    site = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<title>Sleep and grief</title><meta property="og:description" content="Why nights are hard."><meta property="og:site_name" content="Rest Well">',
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const link = `http://127.0.0.1:${(site.address() as AddressInfo).port}/sleep`;
    const owner = await world.createUser('Noor');
    const group = await makeGroup(world, owner, { name: 'Nights' });
    const thread = await makeThread(world, owner, group.slug, 'Sleeping again', `This helped me: ${link}`);
    threadPath = `/g/${group.slug}/t/${thread.id}`;
    await world.tick();
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    reader = await Person.open(browser, baseUrl, 'Reader', audit, { width: 360, height: 740 });
  }, 120_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await world?.close();
  });

  it('shows the card under the post, and the browser asks the other site for nothing', async () => {
    expect(asked).toEqual(['/sleep']);
    await reader.visit(threadPath);
    await reader.page.getByRole('link', { name: 'Sleep and grief' }).waitFor();
    await reader.page.getByText('Why nights are hard.').waitFor();
    await reader.page.getByText('Link to Rest Well').waitFor();
    expect(asked).toEqual(['/sleep']);
  });
});
