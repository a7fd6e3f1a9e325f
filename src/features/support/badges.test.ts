import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { unlimitedPosting } from '../../platform/deps.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { replyToThread } from '../forum/index.js';
import { posts } from '../forum/schema.js';
import { joinGroup } from '../groups/index.js';
import { memberBadges } from './schema.js';

const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0', anonymousPosts: 'on' };
const WEEK = 7 * 24 * 3600_000;

/*
 * Badges: earned from replies under one's own name, recorded by the worker (and when "My support"
 * opens), hidden until the member chooses to show them, and never beside an anonymous post.
 */
describe('badges', () => {
  let world: TestWorld;
  let bo: Agent;
  let cy: Agent;
  let slug: string;
  let boId: number;
  let eveId: number;
  const ids = { adaThread: 0, boFirst: 0, cyThread: 0, eveAnonymous: 0, boAnonymous: 0 };
  const db = () => world.database.db;

  async function start(agent: Agent, title: string): Promise<number> {
    const res = await agent.post(`/g/${slug}/threads/new`, { title, body: 'Some words about it.' });
    expect(res.statusCode).toBe(303);
    return Number((res.headers.location as string).split('?')[0]!.split('/').pop());
  }
  async function reply(agent: Agent, threadId: number, body: string, anonymous = false) {
    const res = await agent.post(`/threads/${threadId}/replies`, anonymous ? { body, anonymous: 'on' } : { body });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(res.headers.location as string)![1]);
  }
  /** One post's part of a thread page. */
  function postHtml(html: string, postId: number): string {
    const from = html.indexOf(`id="post-${postId}"`);
    expect(from).toBeGreaterThan(-1);
    const to = html.indexOf('<article', from);
    return html.slice(from, to < 0 ? undefined : to);
  }
  const earned = async (userId: number) =>
    (await db().select().from(memberBadges).where(eq(memberBadges.userId, userId))).map((b) => b.badge).sort();

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const o = await world.createUser('Owner Olu');
    const owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Carers together' })).slug;
    await owner.post(`/g/${slug}/settings`, settings);
    const ada = await world.member('Ada Pseudo');
    bo = await world.member('Bo Pseudo');
    cy = await world.member('Cy Pseudo');
    const eve = await world.member('Eve Pseudo');
    for (const a of [ada, bo, cy, eve]) await a.post(`/g/${slug}/join`);
    boId = (await findUserIdByPseudonym(db(), 'Bo Pseudo'))!;
    eveId = (await findUserIdByPseudonym(db(), 'Eve Pseudo'))!;

    ids.adaThread = await start(ada, 'Looking after Dad');
    ids.boFirst = await reply(bo, ids.adaThread, 'Take the respite when it is offered.');
    ids.cyThread = await start(cy, 'Night shifts');
    ids.eveAnonymous = await reply(eve, ids.cyThread, 'I sleep in the afternoons.', true);
    ids.boAnonymous = await reply(bo, ids.cyThread, 'Earplugs, and no guilt.', true);
  });
  afterAll(() => world.close());

  it('records badges earned under one’s own name, and none from anonymous replies', async () => {
    await world.tick();
    expect(await earned(boId)).toEqual(['first_reply']);
    // Eve answered first too, but anonymously: a badge beside her name would point to that post.
    expect(await earned(eveId)).toEqual([]);
  });

  it('keeps a badge hidden until its member chooses to show it', async () => {
    const before = (await cy.get(`/g/${slug}/t/${ids.adaThread}`)).body;
    expect(textOf(postHtml(before, ids.boFirst))).not.toContain('First reply');
    const mine = (await bo.get('/account/support')).body;
    expect(mine).toMatch(
      /<input type="checkbox" id="badge-first_reply" name="shown" value="first_reply"(?![^>]*checked)/,
    );
    // Nobody else sees Bo's badges or their choice.
    expect((await cy.get('/account/support')).body).not.toContain('badge-first_reply');

    const chosen = await bo.post('/account/support/badges', { shown: 'first_reply' });
    expect(chosen.statusCode).toBe(303);
    expect(chosen.headers.location).toBe('/account/support?notice=supportBadgesSaved#support-badges');
    const after = (await cy.get(`/g/${slug}/t/${ids.adaThread}`)).body;
    expect(textOf(postHtml(after, ids.boFirst))).toContain('First reply');
    // Never beside an anonymous post, even the member's own.
    for (const viewer of [cy, bo]) {
      const thread = (await viewer.get(`/g/${slug}/t/${ids.cyThread}`)).body;
      expect(textOf(postHtml(thread, ids.boAnonymous))).not.toContain('First reply');
    }
    expect(
      await world
        .agent()
        .get(`/g/${slug}/t/${ids.adaThread}`)
        .then((r) => textOf(r.body)),
    ).toContain('First reply');

    expect((await bo.post('/account/support/badges', {})).statusCode).toBe(303);
    const hidden = (await cy.get(`/g/${slug}/t/${ids.adaThread}`)).body;
    expect(textOf(postHtml(hidden, ids.boFirst))).not.toContain('First reply');
    expect((await bo.post('/account/support/badges', { shown: 'leaderboard' })).statusCode).toBe(400);
  });

  it('gives "Welcomer" to the first to answer 10 members’ first discussions, and "Steady presence" for 8 weeks', async () => {
    const bo2 = { id: boId, pseudonym: 'Bo Pseudo', isAdmin: false };
    for (let i = 0; i < 10; i += 1) {
      const newcomer = await world.createUser(`Newcomer ${i}`);
      await joinGroup(db(), { id: newcomer.id, pseudonym: newcomer.pseudonym, isAdmin: false }, slug);
      const thread = await makeThread(world, newcomer, slug, `Hello from newcomer ${i}`);
      await replyToThread(
        db(),
        bo2,
        thread.id,
        { body: 'Welcome, you are in good company.' },
        {
          postingLimits: unlimitedPosting,
        },
      );
    }
    await world.tick();
    expect(await earned(boId)).toEqual(['first_reply', 'welcomer']);

    // Replies to others in 8 different weeks (the seven more here, and the ones of this week).
    const olderReplies = [];
    for (let i = 1; i <= 7; i += 1) {
      const p = await replyToThread(
        db(),
        bo2,
        ids.adaThread,
        { body: `Week ${i}: still here.` },
        {
          postingLimits: unlimitedPosting,
        },
      );
      olderReplies.push(p.id);
      await db()
        .update(posts)
        .set({ createdAt: new Date(Date.now() - i * WEEK) })
        .where(eq(posts.id, p.id));
    }
    // Opening "My support" records it at once, without the worker.
    const page = textOf((await bo.get('/account/support')).body);
    expect(page).toContain('Steady presence');
    expect(page).toContain('Welcomer');
    expect(await earned(boId)).toEqual(['first_reply', 'steady_presence', 'welcomer']);
    const shown = await db()
      .select()
      .from(memberBadges)
      .where(and(eq(memberBadges.userId, boId), eq(memberBadges.shown, true)));
    expect(shown).toEqual([]);
  });

  it('counts nothing twice when the work runs again', async () => {
    await world.tick();
    await world.tick();
    expect(await earned(boId)).toEqual(['first_reply', 'steady_presence', 'welcomer']);
    expect(await earned(eveId)).toEqual([]);
  });
});
