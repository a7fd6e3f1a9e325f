import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import type { LiveClient } from '../../../test/helpers/live.js';
import { liveLimits } from '../../platform/live/hub.js';

/*
 * Live replies: a thread page follows its thread over the /live WebSocket and is told, when
 * someone replies, how many replies there now are: never who wrote them nor what they say.
 */

describe('live replies on a thread page', () => {
  let world: TestWorld;
  let owner: Agent;
  let member: Agent;
  let outsider: Agent;
  let ownerEmail: string;
  const sockets: LiveClient[] = [];
  let open: { slug: string; threadId: number };
  let closed: { slug: string; threadId: number };

  const follow = async (agent: Agent) => {
    const socket = await agent.live();
    sockets.push(socket);
    return socket;
  };

  async function startThread(agent: Agent, slug: string) {
    const res = await agent.post(`/g/${slug}/threads/new`, {
      title: 'Evenings are the hardest',
      body: 'How do you cope?',
    });
    expect(res.statusCode).toBe(303);
    return Number((res.headers.location as string).split('?')[0]!.split('/').pop());
  }

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const ownerUser = await world.createUser('Rowan Owner');
    ownerEmail = ownerUser.email;
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    const publicGroup = await makeGroup(world, ownerUser, { visibility: 'public' });
    const membersGroup = await makeGroup(world, ownerUser, { visibility: 'members' });
    member = await world.member('Willow Member');
    await member.post(`/g/${publicGroup.slug}/join`);
    await member.post(`/g/${membersGroup.slug}/join`);
    outsider = await world.member('Passer By');
    open = { slug: publicGroup.slug, threadId: await startThread(owner, publicGroup.slug) };
    closed = { slug: membersGroup.slug, threadId: await startThread(owner, membersGroup.slug) };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await world.close();
  });

  it('tells a member following a thread how many replies it has when someone replies, and nothing more', async () => {
    const socket = await follow(member);
    expect(await socket.subscribe('thread', closed.threadId)).toEqual({
      type: 'subscribed',
      topic: 'thread',
      id: closed.threadId,
    });
    const posted = await owner.post(`/threads/${closed.threadId}/replies`, { body: 'Evenings are hard for me too.' });
    expect(posted.statusCode).toBe(303);
    const frame = await socket.next();
    expect(frame).toEqual({ type: 'thread.reply', threadId: closed.threadId, replies: 1 });
    const raw = JSON.stringify(frame);
    for (const secret of ['Rowan', ownerEmail, 'Evenings']) expect(raw).not.toContain(secret);
  });

  it('lets visitors follow threads in public groups, as they may read them', async () => {
    const socket = await follow(world.agent());
    expect(await socket.subscribe('thread', open.threadId)).toMatchObject({ type: 'subscribed' });
    await member.post(`/threads/${open.threadId}/replies`, { body: 'Thinking of you.' });
    expect(await socket.next()).toEqual({ type: 'thread.reply', threadId: open.threadId, replies: 1 });
  });

  it('refuses a members-only thread to non-members and visitors exactly as a thread that does not exist', async () => {
    for (const agent of [outsider, world.agent()]) {
      const socket = await follow(agent);
      const refused = await socket.subscribe('thread', closed.threadId);
      const missing = await socket.subscribe('thread', 2_000_000);
      expect(refused).toEqual({
        type: 'error',
        error: 'notFound',
        message: 'There is nothing to follow here.',
        topic: 'thread',
        id: closed.threadId,
      });
      expect({ ...missing, id: closed.threadId }).toEqual(refused);
    }
    // And what they would have been told never reaches them.
    const socket = await follow(outsider);
    await socket.subscribe('thread', closed.threadId);
    expect(await socket.subscribe('thread', open.threadId)).toMatchObject({ type: 'subscribed' });
    await owner.post(`/threads/${closed.threadId}/replies`, { body: 'A reply only members see.' });
    await owner.post(`/threads/${open.threadId}/replies`, { body: 'A reply anyone may see.' });
    expect(await socket.next()).toEqual({ type: 'thread.reply', threadId: open.threadId, replies: 2 });
    expect(socket.pending).toEqual([]);
  });

  it('answers bad frames with a clear error and keeps every subscription', async () => {
    const socket = await follow(member);
    await socket.subscribe('thread', open.threadId);
    const badFrame = {
      type: 'error',
      error: 'badFrame',
      message:
        'Send a JSON object of at most 1,024 characters, with a type ("subscribe" or "unsubscribe"), a topic and an id.',
    };
    for (const bad of ['not json', '{"type":"shout"}', '{"type":"subscribe","topic":"thread","id":"1"}', '[]']) {
      socket.send(bad);
      expect(await socket.next()).toEqual(badFrame);
    }
    socket.send(JSON.stringify({ type: 'subscribe', topic: 'thread', id: 1, padding: 'x'.repeat(1100) }));
    expect(await socket.next()).toEqual(badFrame);
    socket.socket.send(Buffer.from([1, 2, 3]));
    expect(await socket.next()).toEqual(badFrame);
    expect(await socket.subscribe('weather', 1)).toEqual({
      type: 'error',
      error: 'unknownTopic',
      message: 'There is no such topic to follow.',
      topic: 'weather',
      id: 1,
    });
    await owner.post(`/threads/${open.threadId}/replies`, { body: 'Still here.' });
    expect(await socket.next()).toMatchObject({ type: 'thread.reply', threadId: open.threadId });
  });

  it('stops sending once unsubscribed, and limits how many things one socket follows', async () => {
    const socket = await follow(owner);
    await socket.subscribe('thread', closed.threadId);
    await socket.subscribe('thread', open.threadId);
    socket.send({ type: 'unsubscribe', topic: 'thread', id: closed.threadId });
    expect(await socket.next()).toEqual({ type: 'unsubscribed', topic: 'thread', id: closed.threadId });
    await member.post(`/threads/${closed.threadId}/replies`, { body: 'Unheard by that socket.' });
    await member.post(`/threads/${open.threadId}/replies`, { body: 'Heard.' });
    expect(await socket.next()).toMatchObject({ type: 'thread.reply', threadId: open.threadId });
    expect(socket.pending).toEqual([]);

    const ids: number[] = [];
    for (let i = ids.length; i < liveLimits.subscriptions; i += 1) ids.push(await startThread(owner, open.slug));
    const busy = await follow(owner);
    for (const id of ids) expect(await busy.subscribe('thread', id)).toMatchObject({ type: 'subscribed' });
    expect(await busy.subscribe('thread', open.threadId)).toMatchObject({
      type: 'error',
      error: 'tooManySubscriptions',
    });
  });

  it('announces a reply in a pre-moderated group when a leader approves it, not before', async () => {
    await owner.get(`/g/${open.slug}/settings`);
    const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0', preModeration: 'on' };
    expect((await owner.post(`/g/${open.slug}/settings`, settings)).statusCode).toBe(303);
    const socket = await follow(world.agent());
    await socket.subscribe('thread', open.threadId);
    await member.post(`/threads/${open.threadId}/replies`, { body: 'Waiting for approval.' });
    const review = await owner.get(`/g/${open.slug}/review`);
    const postId = /\/posts\/(\d+)\/review/.exec(review.body)?.[1];
    expect(postId).toBeDefined();
    expect(socket.pending).toEqual([]);
    await owner.post(`/posts/${postId}/review`, { decision: 'approve' });
    expect(await socket.next()).toEqual({ type: 'thread.reply', threadId: open.threadId, replies: 5 });
    await owner.post(`/g/${open.slug}/settings`, { ...settings, preModeration: '' });
  });

  it('refuses a socket opened by another site’s page', async () => {
    await expect(member.live({ origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ours = await member.live({ origin: 'http://localhost:3000' });
    sockets.push(ours);
    expect(await ours.subscribe('thread', open.threadId)).toMatchObject({ type: 'subscribed' });
  });

  it('gives the thread page a polite live region, and marks the first new reply after "Show them"', async () => {
    const url = `/g/${open.slug}/t/${open.threadId}`;
    const page = await member.get(url);
    expect(page.body).toMatch(/<div id="live-notice" class="live-notice" role="status" data-thread="\d+"><\/div>/);
    expect(page.body).toMatch(/<script src="\/assets\/\w+\/live\.js" defer><\/script>/);
    expect(page.body).toContain(`New replies. <a href="${url}?seen=5#new-replies">Show them</a>`);
    expect(page.body).not.toContain('id="new-replies"');
    const after = textOf((await member.get(`${url}?seen=3`)).body);
    expect(after).toMatch(/Still here\. .*New replies .*Heard\./);
    const script = await member.get(/src="(\/assets\/\w+\/live\.js)"/.exec(page.body)![1]!);
    expect(script.statusCode).toBe(200);
    expect(script.body.length).toBeLessThan(2048);
  });
});
