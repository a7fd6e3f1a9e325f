import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { ApiClient, apiClientFor } from '../../../test/helpers/api.js';
import { makeGroup } from '../../../test/helpers/factories.js';

interface Post {
  id: number;
  author: string;
  anonymous: boolean;
  mine: boolean;
  body: string;
  status: string;
  hidden: boolean;
  contentWarning: string | null;
  reactions: { kind: string; count: number; mine: boolean }[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe('discussions through the JSON API', () => {
  let world: TestWorld;
  let owner: { id: number; pseudonym: string };
  let willow: { id: number; pseudonym: string };
  let rowan: { id: number; pseudonym: string };
  let ownerApi: ApiClient;
  let willowApi: ApiClient;
  let rowanApi: ApiClient;
  let outsiderApi: ApiClient;
  let visitor: ApiClient;
  let slug: string;
  let privateSlug: string;

  const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;

  beforeAll(async () => {
    world = await createWorld();
    const db = world.database.db;
    await world.createUser('Admin');
    owner = await world.createUser('Group Owner');
    willow = await world.createUser('Willow');
    rowan = await world.createUser('Rowan');
    const outsider = await world.createUser('Passer By');
    slug = (await makeGroup(world, owner, { name: 'Caring for Mum' })).slug;
    privateSlug = (await makeGroup(world, owner, { name: 'Quiet room', visibility: 'members' })).slug;
    await db.execute(sql`update groups set anonymous_posts = true where slug = ${slug}`);
    ownerApi = await apiClientFor(world.app, db, owner.id);
    willowApi = await apiClientFor(world.app, db, willow.id);
    rowanApi = await apiClientFor(world.app, db, rowan.id);
    outsiderApi = await apiClientFor(world.app, db, outsider.id);
    visitor = new ApiClient(world.app, null);
    // Willow goes by an alias in the group; Rowan by their pseudonym.
    expect((await willowApi.post(`/api/v1/groups/${slug}/join`, { alias: 'Lanternmoth' })).statusCode).toBe(200);
    expect((await rowanApi.post(`/api/v1/groups/${slug}/join`)).statusCode).toBe(200);
    expect((await rowanApi.post(`/api/v1/groups/${privateSlug}/join`)).statusCode).toBe(200);
  });
  afterAll(() => world.close());

  async function startThread(client: ApiClient, title: string, body = 'A quiet week here.', extra = {}) {
    const res = await client.post(`/api/v1/groups/${slug}/threads`, { title, body, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ thread: { id: number; title: string; opening: Post }; awaitingApproval: boolean }>(res);
  }

  it('starts a thread under the alias the member goes by, and lists it', async () => {
    const { thread, awaitingApproval } = await startThread(
      willowApi,
      'First night shifts',
      'Some **tips** that helped.',
    );
    expect(awaitingApproval).toBe(false);
    expect(thread.opening).toMatchObject({ author: 'Lanternmoth', mine: true, anonymous: false, status: 'published' });
    expect(thread.opening.body).toBe('Some **tips** that helped.');
    expect(JSON.stringify(thread)).toContain('<strong>tips</strong>');

    const list = json<Page<{ id: number; title: string; author: string }>>(
      await visitor.get(`/api/v1/groups/${slug}/threads`),
    );
    expect(list.items.find((t) => t.id === thread.id)).toMatchObject({
      title: 'First night shifts',
      author: 'Lanternmoth',
    });
    // Her account is named nowhere: neither her pseudonym nor her id.
    const read = await rowanApi.get(`/api/v1/threads/${thread.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('Willow');
    expect(read.body).not.toMatch(new RegExp(`"(author|user)Id"`));
  });

  it('names nobody behind an anonymous post, to anyone but its author', async () => {
    const { thread } = await startThread(rowanApi, 'Something hard to say', 'I have not told anyone.', {
      anonymous: true,
    });
    const reply = await willowApi.post(`/api/v1/threads/${thread.id}/posts`, {
      body: 'Thank you for saying it.',
      anonymous: true,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(json<{ post: Post }>(reply).post).toMatchObject({ author: 'Anonymous 2', anonymous: true, mine: true });

    for (const client of [ownerApi, outsiderApi, visitor]) {
      const res = await client.get(`/api/v1/threads/${thread.id}/posts`);
      expect(res.statusCode).toBe(200);
      const posts = json<Page<Post>>(res).items;
      expect(posts.map((p) => p.author)).toEqual(['Anonymous 1', 'Anonymous 2']);
      expect(posts.every((p) => p.anonymous && !p.mine)).toBe(true);
      for (const secret of ['Rowan', 'Willow', 'Lanternmoth']) expect(res.body).not.toContain(secret);
      // No field carries an account: the posts hold what the schema says, and no author's id.
      expect(res.body).not.toMatch(/"(authorId|userId|pseudonym|email)"/);
      const list = await client.get(`/api/v1/groups/${slug}/threads`);
      const listed = json<Page<{ id: number; author: string }>>(list).items.find((t) => t.id === thread.id);
      expect(listed?.author).toBe('Anonymous member');
      expect(list.body).not.toContain('Rowan');
    }
    // Its author sees it is theirs.
    const own = json<Page<Post>>(await rowanApi.get(`/api/v1/threads/${thread.id}/posts`)).items;
    expect(own.map((p) => p.mine)).toEqual([true, false]);
  });

  it('answers bad input with a problem naming the fields, in the words the form uses', async () => {
    const res = await willowApi.post(`/api/v1/groups/${slug}/threads`, {
      title: 'Hi',
      body: '   ',
      contentWarning: 'x'.repeat(80),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = json<{ type: string; status: number; errors: Record<string, string> }>(res);
    expect(problem.type).toMatch(/\/api\/docs#problem-invalid$/);
    expect(Object.keys(problem.errors).sort()).toEqual(['body', 'contentWarning', 'title']);
    expect(problem.errors.title).toMatch(/title/i);
    // A wrong type is refused by the schema, also as a problem with the field named.
    const typed = await willowApi.post(`/api/v1/groups/${slug}/threads`, { title: 42, body: 'Hello there' });
    expect(typed.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: Record<string, string> }>(typed).errors)).toEqual(['title']);
    // An unknown reaction, too.
    const { thread } = await startThread(willowApi, 'Small wins');
    const kind = await rowanApi.post(`/api/v1/posts/${thread.opening.id}/reactions`, { kind: 'angry' });
    expect(kind.statusCode).toBe(400);
  });

  it('pages through a thread oldest first, and through threads newest first, without repeats', async () => {
    const { thread } = await startThread(rowanApi, 'Counting days');
    for (let i = 1; i <= 7; i++) {
      const res = await (i % 2 ? willowApi : rowanApi).post(`/api/v1/threads/${thread.id}/posts`, { body: `Day ${i}` });
      expect(res.statusCode).toBe(201);
    }
    const bodies: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/api/v1/threads/${thread.id}/posts?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page<Post> = json<Page<Post>>(await visitor.get(url));
      bodies.push(...page.items.map((p) => p.body));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(bodies).toEqual(['A quiet week here.', ...[1, 2, 3, 4, 5, 6, 7].map((i) => `Day ${i}`)]);

    const titles: string[] = [];
    cursor = null;
    do {
      const url = `/api/v1/groups/${slug}/threads?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page<{ title: string }> = json<Page<{ title: string }>>(await visitor.get(url));
      expect(page.items.length).toBeLessThanOrEqual(2);
      titles.push(...page.items.map((t) => t.title));
      cursor = page.nextCursor;
    } while (cursor);
    // The most recently active first (the thread just replied to), each once.
    expect(titles[0]).toBe('Counting days');
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toEqual(expect.arrayContaining(['First night shifts', 'Something hard to say', 'Small wins']));

    const bad = await visitor.get(`/api/v1/threads/${thread.id}/posts?cursor=not-ours`);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: Record<string, string> }>(bad).errors)).toEqual(['cursor']);
  });

  it('keeps a members-only group’s discussions from anyone else, exactly as if they did not exist', async () => {
    const res = await rowanApi.post(`/api/v1/groups/${privateSlug}/threads`, { title: 'Just us', body: 'Hello.' });
    expect(res.statusCode).toBe(201);
    const id = json<{ thread: { id: number } }>(res).thread.id;
    expect((await rowanApi.get(`/api/v1/threads/${id}/posts`)).statusCode).toBe(200);
    for (const client of [outsiderApi, visitor]) {
      const hidden = await client.get(`/api/v1/threads/${id}`);
      const missing = await client.get(`/api/v1/threads/2000000000`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.body).toBe(missing.body);
      expect((await client.get(`/api/v1/threads/${id}/posts`)).body).toBe(
        (await client.get(`/api/v1/threads/2000000000/posts`)).body,
      );
      expect((await client.get(`/api/v1/groups/${privateSlug}/threads`)).body).toBe(
        (await client.get(`/api/v1/groups/no-such-group/threads`)).body,
      );
    }
    // Taking part needs membership: a problem says why.
    const refused = await outsiderApi.post(`/api/v1/groups/${slug}/threads`, { title: 'Hello all', body: 'Hi.' });
    expect(refused.statusCode).toBe(403);
    expect(json<{ detail: string }>(refused).detail).toMatch(/join/i);
    // A visitor is asked to authenticate.
    const anonymous = await visitor.post(`/api/v1/groups/${slug}/threads`, { title: 'Hello all', body: 'Hi.' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('holds a post for approval in a pre-moderated group, shown only to its author and leaders', async () => {
    await world.database.db.execute(sql`update groups set pre_moderation = true where slug = ${slug}`);
    try {
      const { thread, awaitingApproval } = await startThread(willowApi, 'Waiting to be seen');
      expect(awaitingApproval).toBe(true);
      expect(thread.opening.status).toBe('pending');
      const titles = async (c: ApiClient) =>
        json<Page<{ title: string; awaitingApproval: boolean }>>(
          await c.get(`/api/v1/groups/${slug}/threads?limit=100`),
        )
          .items.filter((t) => t.title === 'Waiting to be seen')
          .map((t) => t.awaitingApproval);
      expect(await titles(willowApi)).toEqual([true]);
      expect(await titles(ownerApi)).toEqual([true]);
      expect(await titles(rowanApi)).toEqual([]);
      expect((await rowanApi.get(`/api/v1/threads/${thread.id}`)).statusCode).toBe(404);
    } finally {
      await world.database.db.execute(sql`update groups set pre_moderation = false where slug = ${slug}`);
    }
  });

  it('adds and takes back reactions, once each, and edits one’s own post', async () => {
    const { thread } = await startThread(willowApi, 'A better day');
    const postId = thread.opening.id;
    const url = `/api/v1/posts/${postId}/reactions`;
    for (let i = 0; i < 2; i++) {
      const res = await rowanApi.post(url, { kind: 'me_too' });
      expect(res.statusCode).toBe(200);
      expect(json<Post>(res).reactions.find((r) => r.kind === 'me_too')).toEqual({
        kind: 'me_too',
        count: 1,
        mine: true,
      });
    }
    const removed = await rowanApi.delete(`${url}/me_too`);
    expect(json<Post>(removed).reactions.find((r) => r.kind === 'me_too')).toEqual({
      kind: 'me_too',
      count: 0,
      mine: false,
    });
    // Only members take part.
    expect((await outsiderApi.post(url, { kind: 'support' })).statusCode).toBe(403);

    const edited = await willowApi.patch(`/api/v1/posts/${postId}`, {
      title: 'A much better day',
      body: 'Edited: it got better.',
      contentWarning: 'medical',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json<{ post: Post }>(edited).post).toMatchObject({
      body: 'Edited: it got better.',
      contentWarning: 'medical',
    });
    expect(json<{ title: string }>(await visitor.get(`/api/v1/threads/${thread.id}`)).title).toBe('A much better day');
    expect((await rowanApi.patch(`/api/v1/posts/${postId}`, { body: 'Not mine to edit.' })).statusCode).toBe(403);
  });

  it('keeps an organisation token to its organisation’s groups, as if the others did not exist', async () => {
    const db = world.database.db;
    const { thread } = await startThread(rowanApi, 'Outside the organisation');
    const [org] = (
      (await db.execute(
        sql`insert into organisations (slug, name) values ('riverside-trust', 'Riverside Trust') returning id`,
      )) as unknown as { rows: { id: number }[] }
    ).rows;
    const orgToken = await apiClientFor(world.app, db, rowan.id, { organisationId: Number(org!.id) });
    const urls = [
      `/api/v1/groups/${slug}`,
      `/api/v1/groups/${slug}/threads`,
      `/api/v1/threads/${thread.id}`,
      `/api/v1/threads/${thread.id}/posts`,
    ];
    for (const url of urls) expect((await orgToken.get(url)).statusCode, url).toBe(404);
    expect((await orgToken.post(`/api/v1/threads/${thread.id}/posts`, { body: 'From the trust.' })).statusCode).toBe(
      404,
    );
    expect((await orgToken.post(`/api/v1/posts/${thread.opening.id}/reactions`, { kind: 'support' })).statusCode).toBe(
      404,
    );
    // Once the organisation runs the group, the same token reaches it.
    await db.execute(sql`update groups set organisation_id = ${Number(org!.id)} where slug = ${slug}`);
    try {
      for (const url of urls) expect((await orgToken.get(url)).statusCode, url).toBe(200);
    } finally {
      await db.execute(sql`update groups set organisation_id = null where slug = ${slug}`);
    }
  });

  it('answers a read again with 304 while nothing changed', async () => {
    const { thread } = await startThread(willowApi, 'Quiet evening');
    const first = await rowanApi.get(`/api/v1/threads/${thread.id}/posts`);
    const etag = String(first.headers.etag);
    expect((await rowanApi.get(`/api/v1/threads/${thread.id}/posts`, { 'if-none-match': etag })).statusCode).toBe(304);
    await rowanApi.post(`/api/v1/threads/${thread.id}/posts`, { body: 'Glad to hear it.' });
    expect((await rowanApi.get(`/api/v1/threads/${thread.id}/posts`, { 'if-none-match': etag })).statusCode).toBe(200);
  });
});
