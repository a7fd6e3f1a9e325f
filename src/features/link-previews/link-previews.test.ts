import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { replyToThread } from '../forum/index.js';
import { unlimitedPosting } from '../../platform/deps.js';
import { isPublicAddress, resolvePublic } from './addresses.js';
import { defaultLimits, fetchPreview, type FetchLimits } from './fetch.js';
import { linksIn, linksSql, normaliseLink } from './links.js';
import { linkPreviews } from './schema.js';

/*
 * Link previews as readers meet them: a page on a real HTTP server on loopback (which the test
 * world may reach, and production never), a post linking to it, the worker's round, the thread.
 */

let world: TestWorld;
let server: Server;
let origin: string;
const requests: IncomingMessage[] = [];
const sockets = new Set<Socket>();

const pages: Record<string, (res: ServerResponse) => void> = {
  '/story': (res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Ignored title</title>
      <meta property="og:title" content="Living well with &amp; after grief">
      <meta property="og:description" content="Ten things that helped, from people who have been there.">
      <meta property="og:site_name" content="Grief Aid">
      <script>document.write('<meta property="og:title" content="not this">')</script>
      </head><body><img src="/tracker.png"></body></html>`);
  },
  '/plain': (res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<html><head><title>  A  plain\n page </title><meta name="description" content="Just a page."></head></html>',
    );
  },
  '/moved': (res) => {
    res.writeHead(302, { location: '/plain' });
    res.end();
  },
  '/loop': (res) => {
    res.writeHead(302, { location: '/loop' });
    res.end();
  },
  '/huge': (res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><head><title>Huge</title></head><body>${'x'.repeat(1024 * 1024 + 10)}</body></html>`);
  },
  '/pdf': (res) => {
    res.writeHead(200, { 'content-type': 'application/pdf' });
    res.end('%PDF-1.4');
  },
  // Never answers: the time limit must end the wait.
  '/slow': () => undefined,
  '/evil': (res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>&lt;script&gt;alert(1)&lt;/script&gt; <b>bold</b></title>');
  },
};

const testLimits = (): FetchLimits => ({
  ...defaultLimits,
  allowPrivateAddresses: true,
  timeoutMs: 300,
  userAgent: 'MutualLinkPreview/1.0 (+http://localhost:3000)',
});

beforeAll(async () => {
  world = await createWorld();
  server = createServer((req, res) => {
    requests.push(req);
    (pages[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  await world?.close();
});

describe('previews under posts', () => {
  it('shows the title, description and site of a linked page once the worker has been round', async () => {
    const owner = await world.createUser('Preview Owner');
    const group = await makeGroup(world, owner);
    const thread = await makeThread(world, owner, group.slug, 'Something that helped', `Have a look: ${origin}/story.`);
    const page = `/g/${group.slug}/t/${thread.id}`;
    const visitor = world.agent();

    const before = await visitor.get(page);
    expect(textOf(before.body)).not.toContain('Grief Aid');

    await world.tick();
    const after = await visitor.get(page);
    const text = textOf(after.body);
    expect(text).toContain('Link to Grief Aid');
    expect(text).toContain('Living well with & after grief');
    expect(text).toContain('Ten things that helped, from people who have been there.');
    expect(after.body).toContain(`href="${origin}/story"`);
    expect(text).not.toContain('not this');
    // Nothing on the page loads from the other site.
    expect(after.body).not.toContain('tracker.png');
    expect(after.body).not.toMatch(new RegExp(`<img[^>]+${origin}`));
    // The server asked once, saying who it is.
    const asked = requests.filter((r) => r.url === '/story');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.headers['user-agent']).toBe('MutualLinkPreview/1.0 (+http://localhost:3000)');

    // Another round, another post with the same link: the cached preview serves both.
    await replyToThread(
      world.database.db,
      { id: owner.id, pseudonym: owner.pseudonym, isAdmin: false },
      thread.id,
      { body: `Again: ${origin}/story#part-2` },
      { postingLimits: unlimitedPosting },
    );
    await world.tick();
    expect(requests.filter((r) => r.url === '/story')).toHaveLength(1);
    const again = textOf((await visitor.get(page)).body);
    expect(again.split('Link to Grief Aid')).toHaveLength(3);
  });

  it('follows a redirect, and keeps what the page says as text only', async () => {
    const owner = await world.createUser('Redirect Owner');
    const group = await makeGroup(world, owner);
    const thread = await makeThread(world, owner, group.slug, 'Links', `${origin}/moved and ${origin}/evil`);
    await world.tick();
    const res = await world.agent().get(`/g/${group.slug}/t/${thread.id}`);
    expect(textOf(res.body)).toContain('A plain page');
    expect(textOf(res.body)).toContain('Just a page.');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(textOf(res.body)).toContain('<script>alert(1)</script> bold');
  });

  it('keeps a members-only group’s previews for those who may read it', async () => {
    const owner = await world.createUser('Private Owner');
    const group = await makeGroup(world, owner, { visibility: 'members' });
    const thread = await makeThread(world, owner, group.slug, 'Private links', `${origin}/story`);
    await world.tick();
    const stranger = await world.member('Preview Stranger');
    const refused = await stranger.get(`/g/${group.slug}/t/${thread.id}`);
    expect(refused.body).not.toContain('Grief Aid');
    const ownerAgent = world.agent();
    await ownerAgent.logIn(owner.email, owner.password);
    expect(textOf((await ownerAgent.get(`/g/${group.slug}/t/${thread.id}`)).body)).toContain('Grief Aid');
  });

  it('records pages it will not preview as failed, shows nothing for them, and carries on', async () => {
    const owner = await world.createUser('Failed Owner');
    const group = await makeGroup(world, owner);
    const links = ['/huge', '/pdf', '/loop', '/nowhere'].map((p) => `${origin}${p}`);
    const thread = await makeThread(world, owner, group.slug, 'Odd links', `${links.slice(0, 3).join(' ')}`);
    // The test world reaches only its own servers: never the internet.
    links.push('https://example.org/elsewhere');
    await makeThread(world, owner, group.slug, 'Lost', `${links[3]!} ${links[4]!} http://LOCALHOST:3000/g/x`);
    await world.tick();
    const rows = await world.database.db.select().from(linkPreviews);
    for (const link of links) expect(rows.find((r) => r.url === link)?.status, link).toBe('failed');
    // A link to this site itself is not fetched at all.
    expect(rows.find((r) => r.url.startsWith('http://localhost:3000'))).toBeUndefined();
    const res = await world.agent().get(`/g/${group.slug}/t/${thread.id}`);
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).not.toContain('Link to');
  });
});

describe('fetching with limits', () => {
  it('gives up on a page that does not answer within the time limit', async () => {
    const started = Date.now();
    const result = await fetchPreview(`${origin}/slow`, testLimits());
    expect(result).toEqual({ status: 'failed', reason: 'too slow' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses more than a megabyte, other types than HTML, and too many redirects', async () => {
    expect(await fetchPreview(`${origin}/huge`, testLimits())).toMatchObject({ status: 'failed', reason: 'too large' });
    expect(await fetchPreview(`${origin}/pdf`, testLimits())).toMatchObject({ status: 'failed', reason: 'not HTML' });
    expect(await fetchPreview(`${origin}/loop`, testLimits())).toMatchObject({ reason: 'too many redirects' });
    expect(await fetchPreview(`${origin}/plain`, testLimits())).toEqual({
      status: 'ok',
      title: 'A plain page',
      description: 'Just a page.',
      siteName: null,
    });
  });
});

describe('server-side request forgery', () => {
  const production = (): FetchLimits => ({ ...testLimits(), allowPrivateAddresses: false });

  it('refuses private, loopback, link-local and other non-public addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['93.184.215.14', '2606:4700:4700::1111', '1.1.1.1']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('will not fetch from them in production, by address or by a name that resolves to them', async () => {
    const port = (server.address() as AddressInfo).port;
    const before = requests.length;
    for (const url of [
      `http://127.0.0.1:${port}/plain`,
      `http://10.0.0.1:${port}/plain`,
      `http://169.254.169.254/latest/meta-data/`,
      `http://[::1]:${port}/plain`,
      `http://[::ffff:127.0.0.1]:${port}/plain`,
      `http://localhost:${port}/plain`,
    ]) {
      expect(await fetchPreview(url, production()), url).toMatchObject({ status: 'failed' });
    }
    await expect(resolvePublic('localhost', false)).rejects.toThrow('not a public address');
    expect(requests.length).toBe(before);
  });

  it('checks a redirect’s target again', async () => {
    let hits = 0;
    const redirector = createServer((_req, res) => {
      hits += 1;
      res.writeHead(302, { location: `ftp://127.0.0.1/secret` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const result = await fetchPreview(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`, testLimits());
    expect(result).toMatchObject({ status: 'failed', reason: 'not a web address' });
    expect(hits).toBe(1);
    await new Promise((resolve) => redirector.close(resolve));
  });

  it('fetches only http and https links', async () => {
    expect(await fetchPreview('ftp://example.org/file', production())).toMatchObject({ reason: 'not a web address' });
    expect(await fetchPreview('file:///etc/passwd', production())).toMatchObject({ reason: 'not a web address' });
  });
});

describe('finding links', () => {
  it('reads the same links in JavaScript and in SQL', async () => {
    const bodies = [
      'See HTTPS://Example.ORG/Path?q=1#frag. And (https://example.org) too!',
      '[a link](http://example.com?x=1) <https://example.net/a/b>, *https://example.com/star*',
      'one https://a.example/1 two https://a.example/2 three https://a.example/3 four https://a.example/4',
      'no links here, just http:// and words',
    ];
    for (const body of bodies) {
      const result = (await world.database.db.execute(
        sql`select l.url from ${linksSql(sql`${body}::text`)} l order by l.ord`,
      )) as unknown as { rows: { url: string }[] };
      const fromSql = [...new Set(result.rows.map((r) => r.url).filter((u) => u !== null))];
      expect(fromSql, body).toEqual(linksIn(body));
    }
    expect(linksIn(bodies[0]!)).toEqual(['https://example.org/Path?q=1', 'https://example.org/']);
    expect(linksIn(bodies[2]!)).toHaveLength(3);
    expect(normaliseLink('http://example.com?x=1')).toBe('http://example.com/?x=1');
  });
});
