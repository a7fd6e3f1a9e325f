import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { apiClientFor } from '../../../test/helpers/api.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { replyToThread } from '../forum/index.js';
import { posts } from '../forum/schema.js';
import { joinGroup } from '../groups/index.js';
import { auditLog, memberships } from '../groups/schema.js';
import { flags } from './schema.js';

/*
 * Moderation through /api/v1, as a moderator's program would use it: the review queue, hiding and
 * restoring, deciding flags and posts waiting for approval, locking; members flagging. What members
 * then see is read from the pages.
 */

let world: TestWorld;
const db = () => world.database.db;
let made = 0;

type Person = { id: number; pseudonym: string; email: string; password: string };
async function person(name: string): Promise<Person> {
  made += 1;
  return world.createUser(`${name} ${made}`);
}
const actor = (p: Person) => ({ id: p.id, pseudonym: p.pseudonym, isAdmin: false });

async function setUp() {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner);
  const join = async (name: string, role?: 'moderator') => {
    const p = await person(name);
    await joinGroup(db(), actor(p), group.slug);
    if (role) await db().update(memberships).set({ role }).where(eq(memberships.userId, p.id));
    return p;
  };
  const moderator = await join('Moderator', 'moderator');
  const member = await join('Member');
  const writer = await join('Writer');
  const thread = await makeThread(world, writer, group.slug, 'Rough night', 'Could not sleep at all.');
  const reply = await replyToThread(db(), actor(writer), thread.id, { body: 'A reply with some unkind words.' });
  return { owner, group, moderator, member, writer, thread, reply, join };
}

async function pageAs(p: Person, url: string) {
  const agent = world.agent();
  await agent.logIn(p.email, p.password);
  return agent.get(url);
}

beforeAll(async () => {
  world = await createWorld();
  await world.createUser('Site Admin'); // the first account administers the site
});
afterAll(async () => {
  await world.close();
});

describe('hiding and restoring', () => {
  it('a moderator hides a post and it is gone for members; restoring brings it back; both audited', async () => {
    const { group, moderator, member, thread, reply } = await setUp();
    const api = await apiClientFor(world.app, db(), moderator.id);
    const threadUrl = `/g/${group.slug}/t/${thread.id}`;
    expect(textOf((await pageAs(member, threadUrl)).body)).toContain('A reply with some unkind words.');

    const hidden = await api.post(`/api/v1/posts/${reply.id}/hide`);
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(hidden.json()).toEqual({ postId: reply.id, hidden: true });
    expect(textOf((await pageAs(member, threadUrl)).body)).not.toContain('A reply with some unkind words.');

    const restored = await api.post(`/api/v1/posts/${reply.id}/restore`);
    expect(restored.json()).toEqual({ postId: reply.id, hidden: false });
    expect(textOf((await pageAs(member, threadUrl)).body)).toContain('A reply with some unkind words.');

    const actions = (await db().select().from(auditLog).where(eq(auditLog.groupId, group.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['hide_post', 'restore_post']));
  });

  it('refuses a member, and a token without the moderate scope', async () => {
    const { group, moderator, member, reply } = await setUp();
    const asMember = await apiClientFor(world.app, db(), member.id);
    const refused = await asMember.post(`/api/v1/posts/${reply.id}/hide`);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The member cannot see the review queue, as on the page.
    const queue = await asMember.get(`/api/v1/groups/${group.slug}/review`);
    expect(queue.statusCode).toBe(403);
    expect((await pageAs(member, `/g/${group.slug}/review`)).statusCode).toBe(403);

    const narrow = await apiClientFor(world.app, db(), moderator.id, { scopes: ['read', 'write'] });
    for (const res of [
      await narrow.post(`/api/v1/posts/${reply.id}/hide`),
      await narrow.get(`/api/v1/groups/${group.slug}/review`),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().type).toMatch(/#problem-insufficient-scope$/);
    }
    const [post] = await db().select().from(posts).where(eq(posts.id, reply.id));
    expect(post!.hiddenAt).toBeNull();
  });
});

describe('flags and the review queue', () => {
  it("a member flags a post; the moderator sees it in the queue with the flagger's name and keeps it up", async () => {
    const { group, moderator, member, writer, reply } = await setUp();
    const asMember = await apiClientFor(world.app, db(), member.id);
    const flagged = await asMember.post(`/api/v1/posts/${reply.id}/flags`, { reason: 'harassment', note: 'Unkind.' });
    expect(flagged.statusCode, flagged.body).toBe(201);
    expect(flagged.json()).toEqual({ postId: reply.id, hidden: false });
    const twice = await asMember.post(`/api/v1/posts/${reply.id}/flags`, { reason: 'harassment' });
    expect(twice.statusCode).toBe(400);
    // Nobody flags their own post.
    const own = await (
      await apiClientFor(world.app, db(), writer.id)
    ).post(`/api/v1/posts/${reply.id}/flags`, {
      reason: 'spam',
    });
    expect(own.statusCode).toBe(403);

    const api = await apiClientFor(world.app, db(), moderator.id);
    const queue = await api.get(`/api/v1/groups/${group.slug}/review`);
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().items).toEqual([
      expect.objectContaining({
        kind: 'flagged',
        postId: reply.id,
        author: writer.pseudonym,
        flags: [expect.objectContaining({ reason: 'harassment', note: 'Unkind.', flagger: member.pseudonym })],
      }),
    ]);
    expect(queue.body).not.toContain('@example.org');

    const decided = await api.post(`/api/v1/posts/${reply.id}/flags/decision`, { decision: 'approve' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect((await api.get(`/api/v1/groups/${group.slug}/review`)).json().items).toEqual([]);
    const open = await db().select().from(flags).where(eq(flags.postId, reply.id));
    expect(open.every((f) => f.closedAt !== null && f.outcome === 'approved')).toBe(true);

    const noMessage = await api.post(`/api/v1/posts/${reply.id}/flags/decision`, { decision: 'warn' });
    expect(noMessage.statusCode).toBe(400);
  });

  it('lists posts waiting for approval first, pages the queue, and approves or rejects them', async () => {
    const { group, moderator, member, writer, thread } = await setUp();
    const waiting: number[] = [];
    for (const body of ['First waiting reply.', 'Second waiting reply.']) {
      const r = await replyToThread(db(), actor(writer), thread.id, { body });
      await db().update(posts).set({ status: 'pending' }).where(eq(posts.id, r.id));
      waiting.push(r.id);
    }
    const flaggedReply = await replyToThread(db(), actor(writer), thread.id, { body: 'A flagged reply.' });
    await (
      await apiClientFor(world.app, db(), member.id)
    ).post(`/api/v1/posts/${flaggedReply.id}/flags`, {
      reason: 'spam',
    });

    const api = await apiClientFor(world.app, db(), moderator.id);
    const first = (await api.get(`/api/v1/groups/${group.slug}/review?limit=2`)).json();
    expect(first.items.map((i: { kind: string; postId: number }) => [i.kind, i.postId])).toEqual([
      ['pending', waiting[0]],
      ['pending', waiting[1]],
    ]);
    const second = (
      await api.get(`/api/v1/groups/${group.slug}/review?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json();
    expect(second.items.map((i: { kind: string; postId: number }) => [i.kind, i.postId])).toEqual([
      ['flagged', flaggedReply.id],
    ]);
    expect(second.nextCursor).toBeNull();

    expect((await api.post(`/api/v1/posts/${waiting[0]}/approve`, {})).json()).toEqual({
      postId: waiting[0],
      status: 'published',
    });
    expect((await api.post(`/api/v1/posts/${waiting[1]}/reject`, { reason: 'Off topic' })).json()).toEqual({
      postId: waiting[1],
      status: 'rejected',
    });
    const page = textOf((await pageAs(member, `/g/${group.slug}/t/${thread.id}`)).body);
    expect(page).toContain('First waiting reply.');
    expect(page).not.toContain('Second waiting reply.');
    // Decided already: it is no longer waiting for anyone.
    expect((await api.post(`/api/v1/posts/${waiting[1]}/approve`, {})).statusCode).toBe(404);
  });

  it('locks and pins a thread, for moderators only', async () => {
    const { moderator, member, thread } = await setUp();
    const api = await apiClientFor(world.app, db(), moderator.id);
    expect((await api.post(`/api/v1/threads/${thread.id}/lock`)).json()).toEqual({
      threadId: thread.id,
      locked: true,
      pinned: false,
    });
    expect((await api.post(`/api/v1/threads/${thread.id}/pin`)).json()).toMatchObject({ locked: true, pinned: true });
    expect((await api.post(`/api/v1/threads/${thread.id}/unlock`)).json()).toMatchObject({ locked: false });
    const asMember = await apiClientFor(world.app, db(), member.id);
    expect((await asMember.post(`/api/v1/threads/${thread.id}/unpin`)).statusCode).toBe(403);
  });
});
