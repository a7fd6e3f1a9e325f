import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../helpers/app.js';

describe('the HTTP platform', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
  });
  afterAll(() => world.close());

  it('reports health with the database checked', async () => {
    const res = await world.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: world.database.kind });
  });

  it('sends security headers and a Content-Security-Policy with no inline script', async () => {
    const res = await world.agent().get('/');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/\son[a-z]+="/);
  });

  it('serves assets with a content hash and a long cache life', async () => {
    const page = await world.agent().get('/');
    const css = /href="(\/assets\/[0-9a-f]{10}\/styles\.css)"/.exec(page.body)![1]!;
    const res = await world.app.inject({ method: 'GET', url: css });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-type']).toContain('text/css');
    expect((await world.app.inject({ method: 'GET', url: '/assets/x/../../package.json' })).statusCode).toBe(404);
  });

  it('lets a browser revalidate a visitor’s public page with its ETag, and never a signed-in page', async () => {
    const get = (url: string, headers: Record<string, string> = {}) =>
      world.app.inject({ method: 'GET', url, headers });
    const first = await get('/groups');
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers['set-cookie']).toBeUndefined();

    const again = await get('/groups', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    // When what the page shows changes, so does its tag, and the new page is sent.
    const owner = await world.member('Etag Owner');
    await owner.get('/groups/new');
    const created = await owner.post('/groups/new', {
      name: 'Caring for a parent',
      summary: 'For people looking after a mum or dad who needs them.',
      description: 'We share what helps.',
      tags: 'caregiving',
      language: 'en',
      leadership: 'peer',
      visibility: 'public',
    });
    expect(created.statusCode).toBe(303);
    const changed = await get('/groups', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(textOf(changed.body)).toContain('Caring for a parent');

    // A page with a form on it carries a CSRF token, and a signed-in person's pages are theirs alone.
    const login = await get('/login');
    expect(login.headers.etag).toBeUndefined();
    expect(login.headers['cache-control']).toBe('no-store');
    const signedIn = await owner.get('/groups');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers.etag).toBeUndefined();
    expect(signedIn.headers['cache-control']).toBe('no-store');
  });

  it('compresses pages and assets for browsers that accept it', async () => {
    const page = await world.app.inject({ method: 'GET', url: '/groups', headers: { 'accept-encoding': 'br, gzip' } });
    expect(page.headers['content-encoding']).toBe('br');
    const css = /href="(\/assets\/[0-9a-f]{10}\/styles\.css)"/.exec((await world.agent().get('/')).body)![1]!;
    const asset = await world.app.inject({ method: 'GET', url: css, headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers['content-encoding']).toBe('gzip');
  });

  it('answers unknown pages with a kind 404 page, never a 500', async () => {
    const res = await world.agent().get('/no/such/page');
    expect(res.statusCode).toBe(404);
    expect(textOf(res.body)).toContain('We could not find that page');
  });

  it('answers malformed bodies with a 400 page, not a 500', async () => {
    const agent = world.agent();
    await agent.get('/login');
    const res = await agent.post('/login', {}, { headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('never puts an email address on a page someone else can see', async () => {
    const secret = await world.createUser('Private Person');
    const other = await world.member('Curious');
    for (const url of ['/', '/groups', '/account']) {
      expect((await other.get(url)).body).not.toContain(secret.email);
    }
  });
});
