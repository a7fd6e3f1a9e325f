import { Validator } from '@seriousme/openapi-schema-validator';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, apiClientFor } from '../../../test/helpers/api.js';
import { createWorld, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { apiTokens } from './schema.js';
import { hashApiToken } from './tokens.js';

const TOKEN = /mutual_[A-Za-z0-9_-]{43}/u;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Record<string, string>;
}

function problemOf(res: LightMyRequestResponse, type: string): Problem {
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/u);
  const problem = res.json<Problem>();
  expect(problem.type).toBe(`http://localhost:3000/api/docs#problem-${type}`);
  return problem;
}

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { security?: { bearer: string[] }[] }>>;
}

/** Every operation of the document, with an address whose parameters are filled with something. */
function operations(doc: OpenApi) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      path,
      url: path.replace(/\{\w+\}/gu, '1'),
      scope: op.security?.[0]?.bearer[0],
    })),
  );
}

/** Makes a token on the tokens page, as a person would, and reads it off the page that shows it once. */
async function makeToken(agent: Agent, form: Record<string, string | string[]>, path = '/account/tokens') {
  await agent.get(path);
  const res = await agent.post(path, form);
  expect(res.statusCode).toBe(200);
  return { res, token: TOKEN.exec(res.body)![0] };
}

describe('the JSON API', () => {
  let world: TestWorld;
  let siteAdmin: Agent;
  let doc: OpenApi;

  beforeAll(async () => {
    world = await createWorld();
    const admin = await world.createUser('Api Admin');
    siteAdmin = world.agent();
    await siteAdmin.logIn(admin.email, admin.password);
    await turnOnTwoFactor(world.database.db, admin.id);
    doc = (await new ApiClient(world.app, null).get('/api/v1/openapi.json')).json<OpenApi>();
  });
  afterAll(() => world.close());

  it('describes itself in valid OpenAPI 3.1, with every /api/v1 route and method in it', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');

    const documented = new Set(operations(doc).map((op) => `${op.method} ${op.path}`));
    const routes = world.app.routeInventory
      .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json' && r.method !== 'OPTIONS')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/gu, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(2);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
    // Each operation names the scope it needs, for the reference page and for programs.
    expect(operations(doc).filter((op) => !op.scope)).toEqual([]);
  });

  it('shows a new token once, keeps only its hash, and lets it act as its person until revoked', async () => {
    const agent = await world.member('Token Maker');
    const { res, token } = await makeToken(agent, { name: 'Weekly report', scopes: ['read', 'write'], expires: '90' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('it will not be shown again');

    // Only its first characters are ever shown again.
    const list = await agent.get('/account/tokens');
    expect(list.body).not.toContain(token);
    expect(list.body).toContain(`${token.slice(0, 11)}…`);
    expect(list.body).toContain('Weekly report');

    const [row] = await world.database.db.select().from(apiTokens).where(eq(apiTokens.name, 'Weekly report'));
    expect(row!.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.scopes).toEqual(['read', 'write']);
    expect(row!.lastUsedAt).toBeNull();
    const days = (row!.expiresAt!.getTime() - row!.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(90);

    const client = new ApiClient(world.app, token);
    const me = await client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ pseudonym: 'Token Maker', scopes: ['read', 'write'], organisation: null });
    const [used] = await world.database.db.select().from(apiTokens).where(eq(apiTokens.id, row!.id));
    expect(used!.lastUsedAt).not.toBeNull();
    expect(textOfList(await agent.get('/account/tokens'))).not.toContain('Never used');

    // Revoking asks first, then stops the token at once.
    const confirm = await agent.get(`/account/tokens/${row!.id}/revoke`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Programs using this token will stop working at once.');
    const revoked = await agent.post(`/account/tokens/${row!.id}/revoke`);
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe('/account/tokens?notice=tokenRevoked');
    const refused = await client.get('/api/v1/me');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer /u);
    problemOf(refused, 'unauthorized');
    expect((await agent.get('/account/tokens')).body).toContain('Revoked');
  });

  it('refuses an expired token, and a token nobody made', async () => {
    const agent = await world.member('Expiring');
    const { token } = await makeToken(agent, { name: 'Short-lived', scopes: 'read', expires: '30' });
    const client = new ApiClient(world.app, token);
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);
    await world.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.tokenHash, hashApiToken(token)));
    const expired = await client.get('/api/v1/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('invalid_token');
    problemOf(expired, 'unauthorized');
    expect((await agent.get('/account/tokens')).body).toContain('Expired');

    const forged = await new ApiClient(world.app, `mutual_${'A'.repeat(43)}`).get('/api/v1/me');
    expect(forged.statusCode).toBe(401);
    problemOf(forged, 'unauthorized');
  });

  it('refuses every operation that writes, moderates or administers to a read-only token', async () => {
    const id = (await world.createUser('Reader Only')).id;
    const reader = await apiClientFor(world.app, world.database.db, id, { scopes: ['read'] });
    const changes = operations(doc).filter((op) => op.scope !== 'read');
    expect(changes.length).toBeGreaterThan(0);
    for (const op of changes) {
      const res = await reader.request(op.method, op.url, {});
      expect(res.statusCode, `${op.method} ${op.path}`).toBe(403);
      expect(problemOf(res, 'insufficient-scope').detail).toBe(`This needs a token with the "${op.scope}" scope.`);
    }
    // A read-only token may still give itself up.
    expect((await reader.delete('/api/v1/me/token')).statusCode).toBe(204);
    expect((await reader.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('asks a session (a page script) for the CSRF token on every change, and lets it through with one', async () => {
    const agent = await world.member('Page Script');
    expect((await agent.get('/api/v1/me')).json()).toMatchObject({ pseudonym: 'Page Script' });
    const changes = operations(doc).filter((op) => op.method === 'POST');
    expect(changes.length).toBeGreaterThan(0);
    for (const op of changes) {
      const forged = await agent.post(op.url, {}, { csrf: null });
      expect(forged.statusCode, `${op.method} ${op.path}`).toBe(403);
      problemOf(forged, 'csrf');
      const sent = await agent.post(op.url, {}, { htmx: true });
      expect(sent.body, `${op.method} ${op.path}`).not.toContain('#problem-csrf');
    }
  });

  it('answers a read the caller already has with 304 Not Modified, by its ETag', async () => {
    const id = (await world.createUser('Etag Reader')).id;
    const client = await apiClientFor(world.app, world.database.db, id, { scopes: ['read'] });
    const first = await client.get('/api/v1/me');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"/u);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await client.get('/api/v1/me', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers an address it does not have with a not-found problem', async () => {
    const id = (await world.createUser('Lost Program')).id;
    const client = await apiClientFor(world.app, world.database.db, id);
    const res = await client.get('/api/v1/no/such/thing');
    expect(res.statusCode).toBe(404);
    problemOf(res, 'not-found');
    const visitor = await new ApiClient(world.app, null).post('/api/v1/no/such/thing', {});
    expect(visitor.statusCode).toBe(404);
    problemOf(visitor, 'not-found');
  });

  it('keeps an organisation token inside its organisation', async () => {
    const made = async (name: string) => {
      const res = await siteAdmin.post('/organisations/new', { name, kind: 'charity', description: '', website: '' });
      expect(res.statusCode).toBe(303);
      return String(res.headers.location).slice('/o/'.length);
    };
    const ours = await made('Riverside Hospice');
    const theirs = await made('Hillside Clinic');
    const admin = await world.member('Hospice Admin');
    expect((await siteAdmin.post(`/o/${ours}/admins`, { pseudonym: 'Hospice Admin' })).statusCode).toBe(303);
    const adminId = (await findUserIdByPseudonym(world.database.db, 'Hospice Admin'))!;
    await turnOnTwoFactor(world.database.db, adminId);
    const group = async (agent: Agent, slug: string, name: string) => {
      const res = await agent.post(`/o/${slug}/groups/new`, {
        name,
        summary: 'For families of people in our care.',
        description: '',
        tags: 'grief',
        language: 'en',
        leadership: 'professional',
        visibility: 'public',
      });
      expect(res.statusCode).toBe(303);
      return /^\/g\/([^?]+)/u.exec(String(res.headers.location))![1]!;
    };
    const ourGroup = await group(admin, ours, 'Hospice families');
    const theirGroup = await group(siteAdmin, theirs, 'Clinic families');

    const { token } = await makeToken(
      admin,
      { name: 'Rota sync', scopes: 'read', expires: 'never' },
      `/o/${ours}/tokens`,
    );
    const client = new ApiClient(world.app, token);
    const me = (await client.get('/api/v1/me')).json<{ organisation: number }>();
    const [row] = await world.database.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.tokenHash, hashApiToken(token)));
    expect(me.organisation).toBe(row!.organisationId);
    expect(row!.userId).toBe(adminId);

    const home = await client.get(`/api/v1/organisations/${ours}`);
    expect(home.statusCode).toBe(200);
    expect(home.json()).toMatchObject({ name: 'Riverside Hospice', groups: [{ slug: ourGroup }] });
    const away = await client.get(`/api/v1/organisations/${theirs}`);
    const none = await client.get('/api/v1/organisations/no-such-organisation');
    expect(away.statusCode).toBe(404);
    expect(away.body).toBe(none.body);

    // The same for a group: one of the organisation's, yes; another's, as if it did not exist.
    expect((await client.get(`/api/v1/groups/${ourGroup}`)).statusCode).toBe(200);
    const otherGroup = await client.get(`/api/v1/groups/${theirGroup}`);
    expect(otherGroup.statusCode).toBe(404);
    expect(otherGroup.body).toBe((await client.get('/api/v1/groups/no-such-group')).body);
    // The person's own token, not limited, reaches both.
    const personal = await apiClientFor(world.app, world.database.db, adminId, { scopes: ['read'] });
    expect((await personal.get(`/api/v1/groups/${theirGroup}`)).statusCode).toBe(200);
  });
});

describe('the JSON API rate limit', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld({ limits: { api: { max: 3, timeWindow: 60_000 } } });
  });
  afterAll(() => world.close());

  it('counts each token on its own, says where it stands, and answers 429 past the limit', async () => {
    const one = await apiClientFor(world.app, world.database.db, (await world.createUser('Busy Script')).id);
    const two = await apiClientFor(world.app, world.database.db, (await world.createUser('Quiet Script')).id);
    for (let left = 2; left >= 0; left -= 1) {
      const res = await one.get('/api/v1/me');
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-remaining']).toBe(String(left));
    }
    const over = await one.get('/api/v1/me');
    expect(over.statusCode).toBe(429);
    problemOf(over, 'rate-limited');
    expect(over.headers['ratelimit-limit']).toBe('3');
    expect(over.headers['ratelimit-remaining']).toBe('0');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect((await two.get('/api/v1/me')).statusCode).toBe(200);
  });
});

function textOfList(res: LightMyRequestResponse): string {
  return res.body.replace(/<[^>]+>/gu, ' ');
}
