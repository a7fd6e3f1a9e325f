import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { assetUrl } from '../../platform/views/assets.js';

/*
 * The installable app: the manifest a phone reads to put Mutual on its home screen (with what
 * Chromium asks of one), its icons, the service worker served from the root, and the offline
 * page it keeps, which must hold nothing of whoever was signed in when it was kept.
 */

describe('the installable app', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await createWorld();
    // The site is set up (until then every page leads to /setup).
    await world.createUser('Site admin');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('serves a web app manifest with everything a browser needs to install the site', async () => {
    const res = await world.agent().get('/manifest.webmanifest');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    const manifest = JSON.parse(res.body) as Record<string, unknown> & {
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({
      name: 'Mutual',
      short_name: 'Mutual',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: '#2f5d62',
      background_color: '#fbfaf7',
    });
    expect(manifest.prefer_related_applications).toBeUndefined();
    // Chromium installs a site with icons of at least 192 and 512 pixels.
    const sizes = manifest.icons.filter((i) => i.purpose === 'any').map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);

    for (const icon of manifest.icons) {
      const png = await world.agent().get(icon.src);
      expect(png.statusCode, icon.src).toBe(200);
      expect(png.headers['content-type']).toBe(icon.type);
      const bytes = png.rawPayload;
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const [width, height] = icon.sizes.split('x').map(Number);
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([width, height]);
    }
    expect((await world.agent().get('/icons/favicon.ico')).statusCode).toBe(404);
  });

  it('links the manifest, the theme colour and the service worker from every page', async () => {
    const home = (await world.agent().get('/')).body;
    expect(home).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
    expect(home).toContain('<meta name="theme-color" content="#2f5d62"/>');
    expect(home).toContain(`<script src="${assetUrl('sw-register.js')}" defer></script>`);
  });

  it('serves the service worker from the root for the whole site, never stale, under the site’s policy', async () => {
    const res = await world.agent().get('/sw.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['service-worker-allowed']).toBe('/');
    expect(res.headers['cache-control']).toBe('no-cache');
    // The same strict policy as every page: scripts from this site only.
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    // It keeps the offline page and today's stylesheet, and nothing else.
    expect(res.body).toContain(`const PRECACHE = [OFFLINE, '${assetUrl('styles.css')}'];`);
    expect(res.body).toMatch(/const CACHE = 'mutual-[0-9a-f]{12}';/);
    expect(res.body).not.toMatch(/CACHE_VERSION|STYLESHEET_URL/);
  });

  it('keeps an offline page that is the same for everyone and holds nothing of the person', async () => {
    const visitor = await world.agent().get('/offline');
    expect(visitor.statusCode).toBe(200);
    expect(textOf(visitor.body)).toContain('You are offline');
    expect(textOf(visitor.body)).toContain('call your local emergency number');
    const member = await world.member('Lindqvist');
    const signedIn = await member.get('/offline');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).not.toContain('Lindqvist');
    expect(signedIn.body).not.toMatch(/csrf/i);
    expect(signedIn.body).toBe(visitor.body);
    expect(signedIn.headers['set-cookie']).toBeUndefined();
  });

  it('asks a visitor to log in before the push settings, and shows them to a member', async () => {
    const visitor = await world.agent().get('/account/push');
    expect(visitor.headers.location).toBe('/login?next=%2Faccount%2Fpush');
    const member = await world.member('Okonkwo');
    const page = await member.get('/account/push');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Push notifications');
    expect(text).toContain('Turning on notifications needs JavaScript');
    expect(text).toContain('None yet.');
    expect(page.body).toContain(`<script src="${assetUrl('push.js')}" defer></script>`);
    // A checkbox value other than "on" is refused and the page is shown again.
    expect((await member.post('/account/push', { intent: 'details', details: 'yes please' })).statusCode).toBe(400);
  });
});
