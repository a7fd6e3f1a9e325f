import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { problemTypes } from '../../platform/http/api.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { anchorOf, readReference } from './reference.js';

const TOKEN = /mutual_[A-Za-z0-9_-]{43}/u;

describe('the access tokens pages', () => {
  let world: TestWorld;
  let siteAdmin: Agent;

  beforeAll(async () => {
    world = await createWorld();
    const admin = await world.createUser('Pages Admin');
    siteAdmin = world.agent();
    await siteAdmin.logIn(admin.email, admin.password);
    await turnOnTwoFactor(world.database.db, admin.id);
  });
  afterAll(() => world.close());

  it('asks a visitor to log in, and is linked from the account pages', async () => {
    const visitor = await world.agent().get('/account/tokens');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Faccount%2Ftokens');
    const member = await world.member('Nav Reader');
    const account = await member.get('/account');
    expect(account.body).toContain('href="/account/tokens"');
    const page = await member.get('/account/tokens');
    expect(textOf(page.body)).toContain('There are no tokens yet.');
    expect(page.body).toContain('href="/api/docs"');
  });

  it('gives the form back with the person’s text and kind messages when something is missing', async () => {
    const member = await world.member('Form Filler');
    await member.get('/account/tokens');
    const long = 'A name far too long for a token '.repeat(3);
    const res = await member.post('/account/tokens', { name: long, expires: 'soon' });
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('Please use a shorter name (80 characters at most).');
    expect(text).toContain('Please choose at least one thing the token may do.');
    expect(text).toContain('Please choose how long the token works.');
    expect(res.body).toContain(`value="${long}"`);
    expect(res.body).not.toMatch(TOKEN);
  });

  it('makes tokens that moderate or administer only with two-step verification on', async () => {
    const member = await world.member('Careful Moderator');
    await member.get('/account/tokens');
    const form = { name: 'Flag watcher', scopes: ['read', 'moderate'], expires: '365' };
    const refused = await member.post('/account/tokens', form);
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('need two-step verification on your account first');
    expect(refused.body).toContain('href="/account/two-factor?next=/account/tokens"');
    expect(refused.body).toMatch(/id="scope-moderate"[^>]*checked/u);
    expect(refused.body).toContain('value="Flag watcher"');

    await turnOnTwoFactor(world.database.db, (await findUserIdByPseudonym(world.database.db, 'Careful Moderator'))!);
    const made = await member.post('/account/tokens', form);
    expect(made.statusCode).toBe(200);
    expect(made.body).toMatch(TOKEN);
    const list = textOf((await member.get('/account/tokens')).body);
    expect(list).toContain('Flag watcher');
    expect(list).toContain('Read, Moderate');
  });

  it('keeps each person’s tokens to themselves', async () => {
    const owner = await world.member('Token Owner');
    await owner.get('/account/tokens');
    await owner.post('/account/tokens', { name: 'Mine alone', scopes: 'read', expires: '30' });
    const id = /\/account\/tokens\/(\d+)\/revoke/u.exec((await owner.get('/account/tokens')).body)![1];
    const other = await world.member('Token Neighbour');
    expect(textOf((await other.get('/account/tokens')).body)).not.toContain('Mine alone');
    expect((await other.get(`/account/tokens/${id}/revoke`)).statusCode).toBe(404);
    expect((await other.post(`/account/tokens/${id}/revoke`)).statusCode).toBe(404);
    expect(textOf((await owner.get('/account/tokens')).body)).not.toContain('Revoked');
  });

  it('lets an organisation’s administrators, and the site’s, keep its tokens; nobody else', async () => {
    const res = await siteAdmin.post('/organisations/new', {
      name: 'Lakeside Trust',
      kind: 'charity',
      description: '',
      website: '',
    });
    const slug = String(res.headers.location).slice('/o/'.length);
    const admin = await world.member('Trust Admin');
    await siteAdmin.post(`/o/${slug}/admins`, { pseudonym: 'Trust Admin' });

    // Without two-step verification, the admin is shown the way to turn it on.
    const first = await admin.get(`/o/${slug}/tokens`);
    expect(first.statusCode).toBe(403);
    expect(first.body).toContain('/account/two-factor');
    await turnOnTwoFactor(world.database.db, (await findUserIdByPseudonym(world.database.db, 'Trust Admin'))!);

    const page = await admin.get(`/o/${slug}/tokens`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Access tokens for Lakeside Trust');
    expect((await admin.get(`/o/${slug}`)).body).toContain(`href="/o/${slug}/tokens"`);
    const made = await admin.post(`/o/${slug}/tokens`, { name: 'Trust rota', scopes: 'read', expires: 'never' });
    expect(made.statusCode).toBe(200);
    expect(made.body).toMatch(TOKEN);
    // It is the organisation's, not on the admin's own page.
    expect(textOf((await admin.get('/account/tokens')).body)).not.toContain('Trust rota');

    const stranger = await world.member('Trust Stranger');
    expect((await stranger.get(`/o/${slug}/tokens`)).statusCode).toBe(403);
    expect((await stranger.post(`/o/${slug}/tokens`, { name: 'x', scopes: 'read', expires: '30' })).statusCode).toBe(
      403,
    );
    expect((await world.agent().get(`/o/${slug}/tokens`)).statusCode).toBe(303);

    const seen = await siteAdmin.get(`/o/${slug}/tokens`);
    expect(textOf(seen.body)).toContain('Trust rota');
    const id = /\/tokens\/(\d+)\/revoke/u.exec(seen.body)![1];
    expect((await stranger.post(`/o/${slug}/tokens/${id}/revoke`)).statusCode).toBe(403);
    // A token of the organisation cannot be revoked through the person's own page.
    expect((await admin.post(`/account/tokens/${id}/revoke`)).statusCode).toBe(404);
    const revoked = await siteAdmin.post(`/o/${slug}/tokens/${id}/revoke`);
    expect(revoked.headers.location).toBe(`/o/${slug}/tokens?notice=tokenRevoked`);
    const after = textOf((await admin.get(`/o/${slug}/tokens?notice=tokenRevoked`)).body);
    expect(after).toContain('The token is revoked: it no longer works.');
    expect(after).toContain('Revoked');
  });
});

describe('the API reference page', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
    // A site with no account yet sends everyone to its set-up.
    await world.createUser('Docs Admin');
  });
  afterAll(() => world.close());

  it('documents every operation, every problem type, and how to begin, for anyone', async () => {
    const visitor = world.agent();
    const res = await visitor.get('/api/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBeDefined();
    const doc = (await visitor.get('/api/v1/openapi.json')).json<Parameters<typeof readReference>[0]>();
    const operations = readReference(doc).flatMap((tag) => tag.operations);
    expect(operations.length).toBeGreaterThan(2);
    for (const op of operations) {
      expect(res.body, op.id).toContain(`id="${op.id}"`);
      expect(res.body, op.id).toContain(`href="#${op.id}"`);
    }
    for (const type of Object.keys(problemTypes)) expect(res.body).toContain(`id="problem-${type}"`);
    for (const id of ['getting-started', 'authentication', 'scopes', 'pagination', 'etags', 'rate-limits', 'errors'])
      expect(res.body).toContain(`id="${id}"`);
    const text = textOf(res.body);
    expect(text).toContain('Authorization: Bearer $MUTUAL_TOKEN');
    expect(text).toContain('http://localhost:3000/api/v1/groups');
    expect(text).toContain('RateLimit-Remaining');
    expect(text).toContain('10000 requests every 60 seconds');
    // Each operation names the scope it needs: /me reads, revoking the token in hand too.
    expect(res.body).toMatch(/id="get-api-v1-me"[\s\S]*?Needs the scope: <a href="#scopes">read<\/a>/u);
    // Every page links developers here.
    expect((await visitor.get('/groups')).body).toContain('href="/api/docs"');
  });

  it('walks request and answer schemas: nested objects, arrays, enums, limits and references', () => {
    const [tag] = readReference({
      paths: {
        '/api/v1/things/{id}': {
          post: {
            tags: ['Things'],
            summary: 'Make a thing',
            security: [{ bearer: ['moderate'] }],
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['body', 'mood'],
                    properties: {
                      body: { type: 'string', minLength: 1, maxLength: 500, description: 'What to say.' },
                      mood: { type: 'string', enum: ['calm', 'worried'] },
                      tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
                      place: {
                        anyOf: [
                          { type: 'object', required: ['town'], properties: { town: { type: 'string' } } },
                          { type: 'null' },
                        ],
                      },
                    },
                  },
                },
              },
            },
            responses: {
              200: {
                description: 'The thing',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'integer' }, at: { type: 'string', format: 'date-time' } },
          },
        },
      },
    });
    const op = tag!.operations[0]!;
    expect(op).toMatchObject({ id: anchorOf('post /api/v1/things/{id}'), method: 'POST', scope: 'moderate' });
    expect(op.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true, rules: ['at least 1'] });
    const fields = Object.fromEntries(op.body!.fields.map((f) => [f.name, f]));
    expect(fields.body).toMatchObject({ type: 'string', required: true, rules: ['1 to 500 characters'] });
    expect(fields.mood!.rules).toEqual(['one of: calm, worried']);
    expect(fields.tags).toMatchObject({ type: 'array of string', required: false, rules: ['at most 5 items'] });
    expect(fields.place).toMatchObject({ type: 'object or null', fields: [{ name: 'town', required: true }] });
    expect(op.body!.example).toEqual({ body: 'Thank you for sharing this. It helped me today.', mood: 'calm' });
    expect(op.responses[0]!.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      'id: integer',
      'at: string (date-time)',
    ]);
  });
});
