import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from './helpers/app.js';
import { ApiClient, apiClientFor } from './helpers/api.js';
import { makeGroup } from './helpers/factories.js';

/*
 * Issue 13's "done when", as a program would do it: a person makes a token on /account/tokens,
 * then, with the token alone (no cookies), finds a group, joins it, starts a thread, reads the
 * replies, replies and reacts.
 */

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe('a program takes part in a group through the JSON API', () => {
  let world: TestWorld;
  let slug: string;
  let owner: ApiClient;

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const ownerUser = await world.createUser('Hazel');
    slug = (await makeGroup(world, ownerUser, { name: 'Night owls with tinnitus', tags: 'tinnitus, sleep' })).slug;
    owner = await apiClientFor(world.app, world.database.db, ownerUser.id);
  });
  afterAll(() => world.close());

  async function tokenFromThePage(scopes: string[]): Promise<string> {
    const browser = await world.member(`Robin ${scopes.join(' ')}`);
    const page = await browser.post('/account/tokens', { name: 'My script', expires: '30', scopes });
    expect(page.statusCode, page.body).toBe(200);
    const token = /id="new-token-value"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*id="new-token-value"/.exec(page.body);
    expect(token).not.toBeNull();
    return (token![1] ?? token![2])!;
  }

  it('finds, joins, posts, reads, replies and reacts with nothing but a token', async () => {
    const robin = new ApiClient(world.app, await tokenFromThePage(['read', 'write']));
    const me = await robin.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ pseudonym: 'Robin read write' });

    // Finding the group in the directory.
    const found = JSON.parse((await robin.get('/api/v1/groups?q=tinnitus')).body) as Page<{
      slug: string;
      name: string;
    }>;
    expect(found.items.map((g) => g.name)).toContain('Night owls with tinnitus');
    const groupSlug = found.items.find((g) => g.name === 'Night owls with tinnitus')!.slug;
    expect(groupSlug).toBe(slug);

    // Reading it, and joining.
    const before = JSON.parse((await robin.get(`/api/v1/groups/${slug}`)).body) as { you: { member: boolean } };
    expect(before.you.member).toBe(false);
    const joined = await robin.post(`/api/v1/groups/${slug}/join`, { alias: 'Barn Owl' });
    expect(joined.statusCode, joined.body).toBe(200);
    expect(JSON.parse(joined.body)).toMatchObject({
      memberCount: 2,
      you: { member: true, role: 'member', name: 'Barn Owl' },
    });

    // Starting a thread.
    const started = await robin.post(`/api/v1/groups/${slug}/threads`, {
      title: 'What helps you sleep?',
      body: 'White noise has been a **lifesaver** for me.',
    });
    expect(started.statusCode, started.body).toBe(201);
    const { thread } = JSON.parse(started.body) as { thread: { id: number; opening: { author: string } } };
    expect(thread.opening.author).toBe('Barn Owl');
    const listed = JSON.parse((await robin.get(`/api/v1/groups/${slug}/threads`)).body) as Page<{ id: number }>;
    expect(listed.items[0]!.id).toBe(thread.id);

    // Someone answers; the program reads the replies, replies, and reacts.
    const answer = await owner.post(`/api/v1/threads/${thread.id}/posts`, { body: 'A fan, every night.' });
    expect(answer.statusCode).toBe(201);
    const posts = JSON.parse((await robin.get(`/api/v1/threads/${thread.id}/posts`)).body) as Page<{
      id: number;
      author: string;
      body: string;
    }>;
    expect(posts.items.map((p) => [p.author, p.body])).toEqual([
      ['Barn Owl', 'White noise has been a **lifesaver** for me.'],
      ['Hazel', 'A fan, every night.'],
    ]);
    const reply = await robin.post(`/api/v1/threads/${thread.id}/posts`, { body: 'I will try a fan too.' });
    expect(reply.statusCode).toBe(201);
    const reacted = await robin.post(`/api/v1/posts/${posts.items[1]!.id}/reactions`, { kind: 'helpful' });
    expect(reacted.statusCode).toBe(200);
    expect((JSON.parse(reacted.body) as { reactions: { kind: string; count: number }[] }).reactions).toContainEqual({
      kind: 'helpful',
      count: 1,
      mine: true,
    });
    // The reply shows to the other person, under the name the program chose.
    const seen = JSON.parse((await owner.get(`/api/v1/threads/${thread.id}/posts`)).body) as Page<{ author: string }>;
    expect(seen.items.map((p) => p.author)).toEqual(['Barn Owl', 'Hazel', 'Barn Owl']);

    // And it leaves.
    const left = await robin.post(`/api/v1/groups/${slug}/leave`);
    expect(JSON.parse(left.body)).toMatchObject({ you: { member: false } });
  });

  it('keeps a read-only token from writing, with a problem that says which scope is missing', async () => {
    const reader = new ApiClient(world.app, await tokenFromThePage(['read']));
    expect((await reader.get(`/api/v1/groups/${slug}/threads`)).statusCode).toBe(200);
    const refused = await reader.post(`/api/v1/groups/${slug}/join`);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(refused.body)).toMatchObject({ type: expect.stringMatching(/#problem-insufficient-scope$/) });
  });
});
