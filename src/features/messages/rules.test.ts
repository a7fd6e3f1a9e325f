import { and, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { unlimitedPosting } from '../../platform/deps.js';
import { notifications } from '../notifications/schema.js';

/*
 * The limits a new account is held to, over private messages as over posts; a block made in a
 * conversation's group; and where "Send a private message" is offered on a thread page.
 */
describe('private messages: limits, blocks and where they are offered', () => {
  let world: TestWorld;
  let owner: Agent;
  let kim: Agent;
  let lou: Agent;
  let slug: string;
  let kimId = 0;
  const conversationOf = (res: LightMyRequestResponse) =>
    Number(/\/messages\/(\d+)/.exec(String(res.headers.location))![1]);

  beforeAll(async () => {
    world = await createWorld({
      postingLimits: { ...unlimitedPosting, perHour: [3, 3, 3, 3], links: [0, 0, 0, 0], duplicateHours: 6 },
    });
    await world.createUser('Admin');
    const o = await world.createUser('Owner Ode');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Carers' })).slug;
    await owner.post(`/g/${slug}/settings`, {
      joinPolicy: 'open',
      listed: 'on',
      slowModeMinutes: '0',
      anonymousPosts: 'on',
    });
    kim = await world.member('Kim Pseudo');
    lou = await world.member('Lou Pseudo');
    await kim.post(`/g/${slug}/join`, { alias: 'Willow' });
    await lou.post(`/g/${slug}/join`);
    const found = (await world.database.db.execute(
      sql`select id from users where pseudonym = 'Kim Pseudo'`,
    )) as unknown as { rows: { id: number }[] };
    kimId = Number(found.rows[0]!.id);
  });
  afterAll(() => world.close());

  it('holds messages to the trust level’s limits: links, repeats, and how many an hour', async () => {
    const first = await kim.post('/messages/new', {
      group: slug,
      to: 'Lou Pseudo',
      body: 'Hello Lou, how are you doing this week?',
    });
    const id = conversationOf(first);
    await lou.post(`/messages/${id}/accept`);
    const link = await kim.post(`/messages/${id}`, { body: 'See https://example.org/help' });
    expect(link.statusCode).toBe(400);
    expect(textOf(link.body)).toContain('can’t share links');
    const repeat = await kim.post(`/messages/${id}`, { body: 'Hello Lou, how are you doing this week?' });
    expect(textOf(repeat.body)).toContain('You sent these same words a little while ago');
    expect((await kim.post(`/messages/${id}`, { body: 'Second.' })).statusCode).toBe(303);
    expect((await kim.post(`/messages/${id}`, { body: 'Third.' })).statusCode).toBe(303);
    const fourth = await kim.post(`/messages/${id}`, { body: 'Fourth.' });
    expect(fourth.statusCode).toBe(400);
    expect(textOf(fourth.body)).toContain('You have sent 3 private messages in the last hour');
    expect(fourth.body).toContain('Fourth.');
    // The group's leaders are free of them in their own group.
    await owner.post('/messages/new', { group: slug, to: 'Lou Pseudo', body: 'Welcome, Lou.' });
  });

  it('hides the messages of someone blocked in the conversation’s group, and tells nobody', async () => {
    // Lou writes to Willow: the conversation of two they already have takes it.
    const res = await lou.post('/messages/new', { group: slug, to: 'Willow', body: 'Hi Willow.' });
    const id = conversationOf(res);
    await world.tick();
    const toldKim = () =>
      world.database.db
        .select({ count: notifications.count, readAt: notifications.readAt })
        .from(notifications)
        .where(and(eq(notifications.conversationId, id), eq(notifications.userId, kimId)));
    const before = await toldKim();
    expect(before.length).toBeGreaterThan(0);
    const live = await kim.live();
    expect((await live.subscribe('conversation', id)).type).toBe('subscribed');
    // Kim blocks Lou in the group: Lou's messages no longer reach her, and Lou is not told.
    await kim.post(`/g/${slug}/members/Lou%20Pseudo/block`);
    const live2 = await kim.live();
    expect((await live2.subscribe('conversation', id)).type).toBe('subscribed');
    const sent = await lou.post(`/messages/${id}`, { body: 'Are you cross with me?' });
    expect(sent.statusCode).toBe(303);
    expect(textOf((await lou.get(`/messages/${id}`)).body)).toContain('Are you cross with me?');
    expect(textOf((await kim.get(`/messages/${id}`)).body)).not.toContain('Are you cross with me?');
    // The socket that followed before the block still hears that something arrived (the page then
    // finds nothing to show); once both have had the event, the one opened after it has nothing.
    expect((await live.next()).type).toBe('conversation.message');
    expect(live2.pending).toEqual([]);
    await world.tick();
    expect(await toldKim()).toEqual(before);
    for (const s of [live, live2]) s.close();
  });

  it('offers "Send a private message" under named posts, never under an anonymous one or one’s own', async () => {
    const named = await lou.post(`/g/${slug}/threads/new`, {
      title: 'Respite care',
      body: 'Who has used respite care?',
    });
    const thread = String(named.headers.location).split('?')[0]!;
    await kim.post(`/threads/${/\/t\/(\d+)/.exec(thread)![1]}/replies`, {
      body: 'I have, anonymously.',
      anonymous: 'on',
    });
    const seenByOwner = await owner.get(thread);
    expect(seenByOwner.body).toContain(`href="/messages/new?to=Lou%20Pseudo&amp;group=${slug}"`);
    expect(seenByOwner.body).not.toContain('to=Willow');
    expect(seenByOwner.body).not.toContain('to=Kim');
    const seenByLou = await lou.get(thread);
    expect(seenByLou.body).not.toContain('to=Lou%20Pseudo');
    // A visitor is offered nothing.
    expect((await world.agent().get(thread)).body).not.toContain('/messages/new');
  });
});
