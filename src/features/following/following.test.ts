import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../platform/db/client.js';
import { unlimitedPosting } from '../../platform/deps.js';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { replyToThread, toggleReaction } from '../forum/index.js';
import { posts } from '../forum/schema.js';
import { bans, groups, memberships } from '../groups/schema.js';
import { gatherMemberData } from '../privacy/index.js';
import { groupFollows, threadFollows } from './schema.js';

/*
 * Following, and who is told of new posts and reactions. In the "Night shift" group: Ada starts a
 * discussion and Bo replies to it; Cy watches the whole group; Di follows nothing. The
 * notifications are made by the job, after the post is committed, when the worker runs
 * (world.tick): nothing exists before.
 */
describe('following threads and groups', () => {
  let world: TestWorld;
  let db: TestWorld['database']['db'];
  let owner: Agent;
  const people: Record<string, { agent: Agent; id: number }> = {};
  let slug: string;
  let groupId: number;

  async function person(name: string, alias?: string) {
    const user = await world.createUser(name);
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    const joined = await agent.post(`/g/${slug}/join`, alias ? { alias } : {});
    expect(joined.statusCode).toBe(303);
    people[name] = { agent, id: user.id };
    return people[name]!;
  }
  async function start(agent: Agent, title: string, body: string, extra: Record<string, string> = {}) {
    const res = await agent.post(`/g/${slug}/threads/new`, { title, body, ...extra });
    expect(res.statusCode).toBe(303);
    return Number(/\/t\/(\d+)/.exec(res.headers.location as string)![1]);
  }
  async function reply(agent: Agent, threadId: number, body: string, extra: Record<string, string> = {}) {
    const res = await agent.post(`/threads/${threadId}/replies`, { body, ...extra });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(res.headers.location as string)![1]);
  }
  /** Who was told of a post, and how: "Name:kind", sorted. */
  async function toldOf(postId: number): Promise<string[]> {
    const rows = (await db.execute(sql`select n.user_id, n.kind, n.count from notifications n
      where n.post_id = ${postId} order by n.user_id, n.kind`)) as unknown as {
      rows: { user_id: number; kind: string }[];
    };
    const names = new Map(Object.entries(people).map(([name, p]) => [p.id, name]));
    return rows.rows.map((r) => `${names.get(Number(r.user_id)) ?? r.user_id}:${r.kind}`).sort();
  }

  beforeAll(async () => {
    world = await createWorld();
    db = world.database.db;
    await world.createUser('Admin');
    const o = await world.createUser('Owner Oona');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    const group = await makeGroup(world, o, { name: 'Night shift' });
    slug = group.slug;
    groupId = group.id;
    await db.update(groups).set({ anonymousPosts: true }).where(eq(groups.id, groupId));
    people['Owner Oona'] = { agent: owner, id: o.id };
    await person('Ada');
    await person('Bo');
    await person('Cy');
    await person('Di');
  });
  afterAll(() => world.close());

  it('tells the discussion’s author of a reply, and the group’s watchers of every post, once the job runs', async () => {
    expect((await people.Cy!.agent.post(`/g/${slug}/follow`, { level: 'watching' })).statusCode).toBe(303);
    const thread = await start(people.Ada!.agent, 'Awake again', 'Three in the morning and wide awake.');
    const replyId = await reply(people.Bo!.agent, thread, 'Same here. Tea helps me.');
    // Made by the job after the request committed, not by the request.
    expect(await toldOf(replyId)).toEqual([]);
    await world.tick();
    // Ada started it (tracking by default): a reply. Cy watches the group. Di follows nothing, Bo wrote it.
    expect(await toldOf(replyId)).toEqual(['Ada:reply', 'Cy:watched_post']);
    const [opening] = (
      (await db.execute(sql`select id from posts where thread_id = ${thread} and is_opening`)) as unknown as {
        rows: { id: number }[];
      }
    ).rows;
    expect(await toldOf(Number(opening!.id))).toEqual(['Cy:watched_post']);
    // A retried event tells nobody twice.
    await world.mail.events!.send({ type: 'post.created', postId: replyId });
    await world.tick();
    expect(await toldOf(replyId)).toEqual(['Ada:reply', 'Cy:watched_post']);
  });

  it('derives tracking for a discussion one starts or replies to, and shows the level in place', async () => {
    const thread = await start(people.Di!.agent, 'Small wins', 'I slept five hours.');
    await reply(people.Bo!.agent, thread, 'That is great.');
    // No row is written for the default: it is derived.
    expect(await db.select().from(threadFollows).where(eq(threadFollows.threadId, thread))).toEqual([]);
    const { result, queries } = await countQueries(() => people.Di!.agent.get(`/g/${slug}/t/${thread}`));
    expect(queries).toBeLessThanOrEqual(4);
    const page = result.body;
    expect(page).toContain(`action="/g/${slug}/t/${thread}/follow"`);
    expect(page).toMatch(/value="tracking"[^>]*checked/);
    expect(textOf(page)).toContain('Notifications for this discussion');
    // Cy watches the group: the page says so.
    const cyPage = (await people.Cy!.agent.get(`/g/${slug}/t/${thread}`)).body;
    expect(cyPage).toMatch(/value="watching"[^>]*checked/);
    expect(textOf(cyPage)).toContain('You watch this whole group');
    // With htmx the control comes back in place, saying it is saved.
    const saved = await people.Di!.agent.post(`/g/${slug}/t/${thread}/follow`, { level: 'watching' }, { htmx: true });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('id="follow-thread"');
    expect(saved.body).toMatch(/value="watching"[^>]*checked/);
    expect(textOf(saved.body)).toContain('Saved. You will hear of every new post.');
    // Without JavaScript: back to the thread, with the notice.
    const plain = await people.Di!.agent.post(`/g/${slug}/t/${thread}/follow`, { level: 'tracking' });
    expect(plain.statusCode).toBe(303);
    expect(plain.headers.location).toBe(`/g/${slug}/t/${thread}?notice=followingSaved#follow-thread`);
    // Nonsense is refused with the control again, nothing changed.
    const wrong = await people.Di!.agent.post(`/g/${slug}/t/${thread}/follow`, { level: 'loud' });
    expect(wrong.statusCode).toBe(400);
    expect(textOf(wrong.body)).toContain('Please choose watching, tracking or muted.');
    // The wrong group's address finds nothing.
    const other = await makeGroup(world, { id: people['Owner Oona']!.id, pseudonym: 'Owner Oona' });
    expect((await people.Di!.agent.post(`/g/${other.slug}/t/${thread}/follow`, { level: 'watching' })).statusCode).toBe(
      404,
    );
  });

  it('offers the group control on the group page, only to members, in no extra round trip', async () => {
    const { result, queries } = await countQueries(() => people.Cy!.agent.get(`/g/${slug}`));
    const page = result.body;
    // The session, the group, the thread list and its count (which asks the level too).
    expect(queries).toBeLessThanOrEqual(4);
    expect(page).toContain(`action="/g/${slug}/follow"`);
    expect(page).toMatch(/id="follow-group-watching"[^>]*checked|value="watching"[^>]*checked/);
    const stranger = await world.member('Stranger Sol');
    expect((await stranger.get(`/g/${slug}`)).body).not.toContain(`action="/g/${slug}/follow"`);
    expect((await stranger.post(`/g/${slug}/follow`, { level: 'watching' })).statusCode).toBe(403);
    const saved = await people.Di!.agent.post(`/g/${slug}/follow`, { level: 'muted' }, { htmx: true });
    expect(saved.body).toMatch(/value="muted"[^>]*checked/);
    expect(await db.select().from(groupFollows).where(eq(groupFollows.userId, people.Di!.id))).toMatchObject([
      { level: 'muted' },
    ]);
    // Tracking, the default, keeps no row.
    await people.Di!.agent.post(`/g/${slug}/follow`, { level: 'tracking' });
    expect(await db.select().from(groupFollows).where(eq(groupFollows.userId, people.Di!.id))).toEqual([]);
  });

  it('lets a level for the thread outweigh the group’s, and muting silence everything', async () => {
    const thread = await start(people.Ada!.agent, 'Night walks', 'Anyone else walk at night?');
    // Cy watches the group but only tracks this thread; Di does not watch the group but watches it.
    await people.Cy!.agent.post(`/g/${slug}/t/${thread}/follow`, { level: 'tracking' });
    await people.Di!.agent.post(`/g/${slug}/t/${thread}/follow`, { level: 'watching' });
    // Ada mutes her own discussion: no reply notification, not even a mention.
    await people.Ada!.agent.post(`/g/${slug}/t/${thread}/follow`, { level: 'muted' });
    expect((await people.Ada!.agent.get(`/g/${slug}`)).body).not.toContain('Night walks');
    const replyId = await reply(people.Bo!.agent, thread, 'Yes, @Ada, every night.');
    await world.tick();
    expect(await toldOf(replyId)).toEqual(['Di:watched_post']);
    // Watching or tracking lifts the mute.
    await people.Ada!.agent.post(`/g/${slug}/t/${thread}/follow`, { level: 'tracking' });
    expect((await people.Ada!.agent.get(`/g/${slug}`)).body).toContain('Night walks');
  });

  it('sends a muted group’s member nothing but mentions, and its author no replies', async () => {
    await people.Ada!.agent.post(`/g/${slug}/follow`, { level: 'muted' });
    const thread = await start(people.Ada!.agent, 'Quiet hours', 'I keep a quiet hour.');
    const plain = await reply(people.Bo!.agent, thread, 'I like that.');
    const mention = await reply(people.Bo!.agent, thread, 'What do you do in it, @Ada?');
    await world.tick();
    expect(await toldOf(plain)).toEqual(['Cy:watched_post']);
    expect(await toldOf(mention)).toEqual(['Ada:mention', 'Cy:watched_post']);
    await people.Ada!.agent.post(`/g/${slug}/follow`, { level: 'tracking' });
  });

  it('tells each person once per post: a mention beats a reply beats a watched post', async () => {
    await people.Ada!.agent.post(`/g/${slug}/follow`, { level: 'watching' });
    const thread = await start(people.Ada!.agent, 'One of each', 'Testing, gently.');
    const replyId = await reply(people.Bo!.agent, thread, 'Hello @Ada and @Cy, and @Bo too.');
    await world.tick();
    // Ada: mentioned, replied to and watching: one mention. Cy: mentioned and watching. Bo wrote it.
    expect(await toldOf(replyId)).toEqual(['Ada:mention', 'Cy:mention']);
    await people.Ada!.agent.post(`/g/${slug}/follow`, { level: 'tracking' });
  });

  it('leaves out people who left, were removed, banned or lapsed, and those a block stands between', async () => {
    const thread = await start(people.Cy!.agent, 'Who is here', 'Checking who hears this.');
    const eve = await person('Eve');
    const fay = await person('Fay');
    const gus = await person('Gus');
    const hal = await person('Hal');
    for (const p of [eve, fay, gus, hal]) await p.agent.post(`/g/${slug}/follow`, { level: 'watching' });
    // Eve leaves; Fay is banned; Gus's paid membership ran out long ago; Hal blocks Bo.
    expect((await eve.agent.post(`/g/${slug}/leave`)).statusCode).toBe(303);
    await db.insert(bans).values({ groupId, userId: fay.id, reason: 'Testing' });
    const hadPolicy = await db.select({ p: groups.joinPolicy }).from(groups).where(eq(groups.id, groupId));
    await db.update(groups).set({ joinPolicy: 'paid' }).where(eq(groups.id, groupId));
    await db
      .update(memberships)
      .set({ paidUntil: new Date(Date.now() - 60 * 86_400_000) })
      .where(eq(memberships.userId, gus.id));
    // Everyone else keeps their access in the paid group.
    await db
      .update(memberships)
      .set({ feeWaived: true })
      .where(sql`${memberships.groupId} = ${groupId} and ${memberships.userId} <> ${gus.id}`);
    const boPost = await reply(people.Bo!.agent, thread, 'I am here.');
    const blocked = await hal.agent.post(`/posts/${boPost}/block`);
    expect(blocked.statusCode).toBe(303);
    const named = await reply(people.Bo!.agent, thread, 'Still here, @Hal.');
    const anonymous = await reply(people.Bo!.agent, thread, 'And here, quietly.', { anonymous: 'on' });
    await world.tick();
    // Hal hears nothing of Bo's named posts, mention or not; an anonymous post ignores blocks, as on
    // the web, where leaving it out would tell Hal who wrote it.
    expect(await toldOf(named)).toEqual(['Cy:reply']);
    expect(await toldOf(anonymous)).toEqual(['Cy:reply', 'Hal:watched_post']);
    await db.update(groups).set({ joinPolicy: hadPolicy[0]!.p }).where(eq(groups.id, groupId));
    for (const p of [fay, gus, hal]) await db.delete(groupFollows).where(eq(groupFollows.userId, p.id));
  });

  it('tells nobody of a post in a members-only group once they may no longer read it', async () => {
    await db.update(groups).set({ visibility: 'members' }).where(eq(groups.id, groupId));
    const thread = await start(people.Ada!.agent, 'Members only now', 'Just us.');
    const removed = await person('Ivy');
    await removed.agent.post(`/g/${slug}/follow`, { level: 'watching' });
    await db.delete(memberships).where(eq(memberships.userId, removed.id));
    const replyId = await reply(people.Bo!.agent, thread, 'Just us, @Ivy too?');
    await world.tick();
    expect(await toldOf(replyId)).toEqual(['Ada:reply', 'Cy:watched_post']);
    await db.update(groups).set({ visibility: 'public' }).where(eq(groups.id, groupId));
  });

  it('tells nobody while a post waits for approval, and everyone once it is approved', async () => {
    const thread = await start(people.Ada!.agent, 'Approved later', 'Waiting.');
    await db.update(groups).set({ preModeration: true }).where(eq(groups.id, groupId));
    const waiting = await start(people.Bo!.agent, 'Pending thread', 'Hello @Ada.');
    const pendingReply = await reply(people.Bo!.agent, thread, 'A pending reply.');
    await world.tick();
    expect(await toldOf(pendingReply)).toEqual([]);
    const decided = await owner.post(`/posts/${pendingReply}/review`, { decision: 'approve' });
    expect(decided.statusCode).toBe(303);
    await world.tick();
    expect(await toldOf(pendingReply)).toEqual(['Ada:reply', 'Cy:watched_post']);
    expect(waiting).toBeGreaterThan(0);
    await db.update(groups).set({ preModeration: false }).where(eq(groups.id, groupId));
  });

  it('batches reactions into one unread notification per post that counts people', async () => {
    const thread = await start(people.Ada!.agent, 'Support please', 'A hard day.');
    const [opening] = (
      (await db.execute(sql`select id from posts where thread_id = ${thread} and is_opening`)) as unknown as {
        rows: { id: number }[];
      }
    ).rows;
    const postId = Number(opening!.id);
    const reactions = async () =>
      (
        (await db.execute(sql`select user_id, count, batch_key, read_at from notifications
          where post_id = ${postId} and kind = 'reactions' order by id`)) as unknown as {
          rows: { user_id: number; count: number; batch_key: string; read_at: Date | null }[];
        }
      ).rows;
    await people.Bo!.agent.post(`/posts/${postId}/reactions/support`);
    await people.Bo!.agent.post(`/posts/${postId}/reactions/me_too`);
    await people.Cy!.agent.post(`/posts/${postId}/reactions/support`);
    // Her own reaction tells her nothing.
    await people.Ada!.agent.post(`/posts/${postId}/reactions/support`);
    // Taken back before the job ran: it counts for nothing.
    await people.Di!.agent.post(`/posts/${postId}/reactions/helpful`);
    await people.Di!.agent.post(`/posts/${postId}/reactions/helpful`);
    expect(await reactions()).toEqual([]);
    await world.tick();
    expect(await reactions()).toMatchObject([
      { user_id: people.Ada!.id, count: 2, batch_key: `reactions:post:${postId}`, read_at: null },
    ]);
    // Once read, the next reaction starts a new notification.
    await db.execute(sql`update notifications set read_at = now() where post_id = ${postId} and kind = 'reactions'`);
    await people.Di!.agent.post(`/posts/${postId}/reactions/thinking_of_you`);
    await world.tick();
    const after = await reactions();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ count: 1, read_at: null });
  });

  it('sends the forum’s events once the post is committed, and keeps the post when the queue fails', async () => {
    const thread = await start(people.Ada!.agent, 'Events', 'Checking what the job is sent.');
    const bo = { id: people.Bo!.id, pseudonym: 'Bo', isAdmin: false };
    const seen: { type: string; committed: boolean }[] = [];
    const sink = {
      async send(event: { type: string } & Record<string, unknown>) {
        const postId = Number(event.postId);
        const [row] = await db.select({ id: posts.id }).from(posts).where(eq(posts.id, postId));
        seen.push({ type: event.type, committed: row !== undefined });
      },
    };
    const post = await replyToThread(
      db,
      bo,
      thread,
      { body: 'A reply.' },
      { events: sink, postingLimits: unlimitedPosting },
    );
    await toggleReaction(db, { ...bo, id: people.Cy!.id }, post.id, 'support', { events: sink });
    expect(seen).toEqual([
      { type: 'post.created', committed: true },
      { type: 'reaction.added', committed: true },
    ]);
    const lost: object[] = [];
    const broken = { send: () => Promise.reject(new Error('queue down')) };
    const kept = await replyToThread(
      db,
      bo,
      thread,
      { body: 'Another reply.' },
      { events: broken, postingLimits: unlimitedPosting, log: { error: (details) => lost.push(details) } },
    );
    expect(kept.id).toBeGreaterThan(post.id);
    expect(lost).toEqual([expect.objectContaining({ event: { type: 'post.created', postId: kept.id } })]);
  });

  it('puts a person’s levels and mentions in their data archive', async () => {
    const data = await gatherMemberData(db, people.Cy!.id);
    expect(data!.following.groups).toEqual([expect.objectContaining({ group: 'Night shift', level: 'watching' })]);
    expect(data!.following.threads).toEqual([expect.objectContaining({ group: 'Night shift', level: 'tracking' })]);
    expect(data!.following.mentionedIn.length).toBeGreaterThan(0);
  });
});
