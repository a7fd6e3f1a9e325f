import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { grantTrustLevel } from '../trust/index.js';

/*
 * Moderating anonymous posts: every decision reaches the author, and nobody (the moderator who
 * decides, the other leaders reading the queue, the pauses page or the audit log, the flaggers)
 * learns who wrote the post.
 */
describe('moderating anonymous posts', () => {
  let world: TestWorld;
  let owner: Agent;
  let moderator: Agent;
  let author: Agent;
  let flagger: Agent;
  let slug: string;
  let threadId: number;
  let threadUrl: string;
  /** Every name the author goes by: none may show to anyone else. */
  const names = ['Author Alex', 'authoralex', 'Harbour Light'];

  async function join(name: string, alias = ''): Promise<Agent> {
    const user = await world.createUser(name);
    await grantTrustLevel(world.database.db, user.id, 1, false);
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    expect((await agent.post(`/g/${slug}/join`, alias ? { alias } : {})).statusCode).toBe(303);
    return agent;
  }

  async function anonymousReply(body: string): Promise<number> {
    const res = await author.post(`/threads/${threadId}/replies`, { body, anonymous: 'on' });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(String(res.headers.location))![1]);
  }

  function expectNoAuthor(html: string, where: string) {
    for (const name of names) expect(html.toLowerCase(), `${where} names the author`).not.toContain(name.toLowerCase());
  }

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Site Admin');
    const o = await world.createUser('Owner Olu');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Recovery circle' })).slug;
    await owner.post(`/g/${slug}/settings`, {
      joinPolicy: 'open',
      listed: 'on',
      slowModeMinutes: '0',
      anonymousPosts: 'on',
    });
    moderator = await join('Moderator Mo');
    await owner.post(`/g/${slug}/members/${encodeURIComponent('Moderator Mo')}/role`, { role: 'moderator' });
    author = await join('Author Alex', 'Harbour Light');
    flagger = await join('Flagger Fern');
    const res = await owner.post(`/g/${slug}/threads/new`, { title: 'How was your week?', body: 'Tell us.' });
    threadUrl = String(res.headers.location).split('?')[0]!;
    threadId = Number(threadUrl.split('/').pop());
  });
  afterAll(() => world.close());

  it('shows a flagged anonymous post in the queue without its author', async () => {
    const postId = await anonymousReply('Nobody here understands anything.');
    await flagger.post(`/posts/${postId}/flag`, { reason: 'harmful', note: 'Unkind.' });
    for (const leader of [moderator, owner]) {
      const queue = (await leader.get(`/g/${slug}/review`)).body;
      expect(textOf(queue)).toContain('Nobody here understands anything.');
      expect(textOf(queue)).toContain('Anonymous 1');
      expect(textOf(queue)).toContain('whatever you decide reaches its author without anyone');
      expectNoAuthor(queue, 'the queue');
    }
    await moderator.post(`/posts/${postId}/flags/decision`, { decision: 'approve' });
  });

  it('warns, pauses and removes the author unseen, and the log and pages never name them', async () => {
    const warned = await anonymousReply('First unkind thing.');
    await flagger.post(`/posts/${warned}/flag`, { reason: 'harassment' });
    const warn = await moderator.post(`/posts/${warned}/flags/decision`, {
      decision: 'warn',
      message: 'Please be kind to each other.',
    });
    expectNoAuthor(warn.body, 'the warning answer');
    expect(textOf((await author.get('/notifications')).body)).toContain('Please be kind to each other.');

    const paused = await anonymousReply('Second unkind thing.');
    await flagger.post(`/posts/${paused}/flag`, { reason: 'harassment' });
    await moderator.post(`/posts/${paused}/flags/decision`, {
      decision: 'silence',
      message: 'A week to cool off.',
      days: '7',
      alsoHide: 'on',
    });
    const refused = await author.post(`/threads/${threadId}/replies`, { body: 'Still here.', anonymous: 'on' });
    expect(refused.statusCode).toBe(403);
    const pauses = (await moderator.get(`/g/${slug}/silences`)).body;
    expect(textOf(pauses)).toContain('The author of an anonymous post');
    expect(textOf(pauses)).toContain('A week to cool off.');
    expectNoAuthor(pauses, 'the pauses page');
    const silenceId = /\/silences\/(\d+)\/lift/.exec(pauses)![1];
    await moderator.post(`/g/${slug}/silences/${silenceId}/lift`);

    const removed = await anonymousReply('Third unkind thing.');
    await flagger.post(`/posts/${removed}/flag`, { reason: 'harassment' });
    const remove = await moderator.post(`/posts/${removed}/flags/decision`, {
      decision: 'remove',
      message: 'Repeated cruelty.',
    });
    expect(remove.statusCode).toBe(303);
    // Banned by the post: still on the member list, so it does not give them away, but shut out.
    expect((await author.post(`/threads/${threadId}/replies`, { body: 'Let me in.' })).statusCode).toBe(403);
    expect(textOf((await owner.get(`/g/${slug}/members`)).body)).toContain('Harbour Light');

    const audit = (await owner.get(`/g/${slug}/audit`)).body;
    expect(textOf(audit)).toContain('Warned the author of a post');
    expect(textOf(audit)).toContain('Paused the author of a post from posting');
    expect(textOf(audit)).toContain('Let a member post again');
    expect(textOf(audit)).toContain('Banned the author of an anonymous post');
    expectNoAuthor(audit, 'the audit log');
    for (const page of ['/notifications', threadUrl, `/g/${slug}/review`]) {
      expectNoAuthor((await flagger.get(page)).body, `${page} for the flagger`);
    }
  });

  it('does not name flaggers to the author, even when the author is a moderator', async () => {
    const res = await moderator.post(`/threads/${threadId}/replies`, {
      body: 'A moderator’s own words.',
      anonymous: 'on',
    });
    const postId = Number(/#post-(\d+)/.exec(String(res.headers.location))![1]);
    await flagger.post(`/posts/${postId}/flag`, { reason: 'unsafe_advice' });
    const own = textOf((await moderator.get(`/g/${slug}/review`)).body);
    expect(own).toContain('You wrote this post, so the flaggers are not named to you.');
    expect(own).not.toContain('Flagger Fern');
    expect(textOf((await owner.get(`/g/${slug}/review`)).body)).toContain('Flagged by Flagger Fern');
  });
});
