import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { posts, threads } from '../forum/schema.js';

const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0' };
const HOUR = 3600_000;

/*
 * A group's health: figures about the whole group for those who lead it, never a list of people.
 * Three discussions of the last 30 days (one answered in 2 hours, one in 30, one not yet) and one
 * older one; Bo and Cy helped this month.
 */
describe('group health', () => {
  let world: TestWorld;
  let owner: Agent;
  let moderator: Agent;
  let ada: Agent;
  let slug: string;

  async function start(agent: Agent, title: string): Promise<number> {
    const res = await agent.post(`/g/${slug}/threads/new`, { title, body: 'It is hard.' });
    expect(res.statusCode).toBe(303);
    return Number((res.headers.location as string).split('?')[0]!.split('/').pop());
  }
  async function reply(agent: Agent, threadId: number, body = 'I hear you.') {
    const res = await agent.post(`/threads/${threadId}/replies`, { body });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(res.headers.location as string)![1]);
  }
  /** Moves a discussion's opening back in time (and the discussion with it). */
  async function openedAgo(threadId: number, ms: number) {
    const at = new Date(Date.now() - ms);
    await world.database.db.update(threads).set({ createdAt: at }).where(eq(threads.id, threadId));
    await world.database.db
      .update(posts)
      .set({ createdAt: at })
      .where(eq(posts.threadId, threadId))
      .returning({ id: posts.id });
  }
  async function repliedAgo(postId: number, ms: number) {
    await world.database.db
      .update(posts)
      .set({ createdAt: new Date(Date.now() - ms) })
      .where(eq(posts.id, postId));
  }

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const o = await world.createUser('Owner Olu');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Long covid circle' })).slug;
    await owner.post(`/g/${slug}/settings`, settings);
    ada = await world.member('Ada Pseudo');
    const bo = await world.member('Bo Pseudo');
    const cy = await world.member('Cy Pseudo');
    moderator = await world.member('Mo Pseudo');
    for (const a of [ada, bo, cy, moderator]) await a.post(`/g/${slug}/join`);
    await owner.post(`/g/${slug}/members/${encodeURIComponent('Mo Pseudo')}/role`, { role: 'moderator' });

    const quick = await start(ada, 'Fatigue after walking');
    const slow = await start(ada, 'Brain fog');
    const waiting = await start(ada, 'Sleep');
    const old = await start(ada, 'An old question');
    // Replies are written now, then moved to when they happened.
    const own = await reply(ada, waiting, 'Adding a detail myself.');
    const quickAnswer = await reply(bo, quick);
    const quickSecond = await reply(cy, quick);
    const slowAnswer = await reply(cy, slow);
    const oldAnswer = await reply(bo, old);
    await openedAgo(quick, 2 * HOUR + 60_000);
    await openedAgo(slow, 30 * HOUR + 60_000);
    await openedAgo(waiting, 5 * HOUR);
    await openedAgo(old, 40 * 24 * HOUR);
    await repliedAgo(own, 60_000);
    await repliedAgo(quickAnswer, 60_000);
    await repliedAgo(quickSecond, 30_000);
    await repliedAgo(slowAnswer, 60_000);
    await repliedAgo(oldAnswer, 40 * 24 * HOUR - HOUR);
  });
  afterAll(() => world.close());

  it('shows its leaders the share answered within a day, the median wait and a count of helpers', async () => {
    const res = await owner.get(`/g/${slug}/health`);
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    // The author's own reply does not answer; the 40-day-old discussion is not counted.
    expect(text).toMatch(/Discussions answered within 24 hours \(started in the last 30 days\)\s+1 of 3 \(33%\)/);
    // The median of 2 hours and 30 hours.
    expect(text).toMatch(/Median time to a first answer\s+16 hours/);
    // Bo and Cy replied to someone else this month; Ada only to herself.
    expect(text).toMatch(/Members who helped this month\s+2/);
    expect(text).not.toContain('Bo Pseudo');
    expect(text).not.toContain('Cy Pseudo');
    // The leaders' menu links it.
    expect((await owner.get(`/g/${slug}`)).body).toContain(`href="/g/${slug}/health"`);
  });

  it('is refused to members and moderators, and asks a visitor to log in', async () => {
    for (const agent of [ada, moderator]) {
      const res = await agent.get(`/g/${slug}/health`);
      expect(res.statusCode).toBe(403);
      expect(textOf(res.body)).toContain('Only the people who lead this group can see its health figures.');
    }
    expect((await ada.get(`/g/${slug}`)).body).not.toContain(`/g/${slug}/health`);
    const visitor = await world.agent().get(`/g/${slug}/health`);
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe(`/login?next=${encodeURIComponent(`/g/${slug}/health`)}`);
    expect((await owner.get('/g/no-such-group/health')).statusCode).toBe(404);
  });
});
