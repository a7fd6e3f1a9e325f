import { and, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { bans, groups, memberships } from '../groups/schema.js';
import { silences } from '../moderation/schema.js';
import { notifications } from '../notifications/schema.js';
import { crisisAlerts } from '../safety/schema.js';
import { watchedWords } from '../watched-words/schema.js';
import { gatherMemberData } from '../privacy/index.js';
import { conversationMembers, privateMessages } from './schema.js';

/*
 * Private messages through the pages, as members use them. Ana ("Lantern" in the grief circle)
 * asks to talk with Bo, who goes by "Night Owl" there (and "Sea Glass" in the walking group);
 * Cy is a third member. Nothing may link Night Owl to Bo's pseudonym or to Sea Glass.
 */
describe('private messages', () => {
  let world: TestWorld;
  let owner: Agent;
  let ana: Agent;
  let bo: Agent;
  let cy: Agent;
  let grief: string;
  let walking: string;
  const ids = { ana: 0, bo: 0, cy: 0 };
  const db = () => world.database.db;

  const conversationOf = (res: LightMyRequestResponse) =>
    Number(/\/messages\/(\d+)/.exec(String(res.headers.location))![1]);
  const page = async (agent: Agent, url: string) => textOf((await agent.get(url)).body);
  const userId = async (pseudonym: string) => {
    const result = (await db().execute(sql`select id from users where pseudonym = ${pseudonym}`)) as unknown as {
      rows: { id: number }[];
    };
    return Number(result.rows[0]!.id);
  };
  const notificationsOf = (id: number) =>
    db()
      .select({ kind: notifications.kind, conversationId: notifications.conversationId, count: notifications.count })
      .from(notifications)
      .where(and(eq(notifications.userId, id), sql`kind in ('message_request', 'private_message')`));

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const o = await world.createUser('Owner Olu');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    grief = (await makeGroup(world, o, { name: 'Grief circle' })).slug;
    walking = (await makeGroup(world, o, { name: 'Walking group' })).slug;
    ana = await world.member('Ana Pseudo');
    bo = await world.member('Bo Pseudo');
    cy = await world.member('Cy Pseudo');
    await ana.post(`/g/${grief}/join`, { alias: 'Lantern' });
    await bo.post(`/g/${grief}/join`, { alias: 'Night Owl' });
    await cy.post(`/g/${grief}/join`);
    await ana.post(`/g/${walking}/join`);
    await bo.post(`/g/${walking}/join`, { alias: 'Sea Glass' });
    ids.ana = await userId('Ana Pseudo');
    ids.bo = await userId('Bo Pseudo');
    ids.cy = await userId('Cy Pseudo');
  });
  afterAll(() => world.close());

  let talk = 0;

  it('sends a first message as a request, which the recipient sees once, and accepts', async () => {
    // From Night Owl's name in the group, as the member list links it.
    const members = await ana.get(`/g/${grief}/members`);
    expect(members.body).toContain(`href="/messages/new?to=Night%20Owl&amp;group=${grief}"`);
    const form = await ana.get(`/messages/new?to=Night%20Owl&group=${grief}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Night Owl"');

    const sent = await ana.post('/messages/new', {
      group: grief,
      to: 'Night Owl',
      body: 'Hello. Your post about nights **helped** me.',
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toContain('notice=messagesRequestSent');
    talk = conversationOf(sent);
    const mine = await page(ana, `/messages/${talk}`);
    expect(mine).toContain('Waiting for Night Owl to accept your request');
    expect(mine).not.toMatch(/Bo Pseudo|Sea Glass/);

    // Until Bo accepts, Ana cannot send more.
    const more = await ana.post(`/messages/${talk}`, { body: 'Are you there?' });
    expect(more.statusCode).toBe(400);
    expect(textOf(more.body)).toContain('They have not accepted your request yet');
    expect(more.body).toContain('Are you there?');

    await world.tick();
    expect(await notificationsOf(ids.bo)).toEqual([{ kind: 'message_request', conversationId: talk, count: 1 }]);

    const list = await page(bo, '/messages');
    expect(list).toContain('Message requests');
    expect(list).toContain('See the request from Lantern');
    expect(list).not.toContain('Ana Pseudo');
    const request = await bo.get(`/messages/${talk}`);
    const requestText = textOf(request.body);
    expect(requestText).toContain('Lantern, from Grief circle, would like to talk with you privately');
    expect(request.body).toContain('<strong>helped</strong>');
    expect(request.body).toContain(`action="/messages/${talk}/accept"`);
    expect(request.body).not.toContain('id="reply-form"');

    expect((await bo.post(`/messages/${talk}/accept`)).statusCode).toBe(303);
    expect((await bo.post(`/messages/${talk}`, { body: 'Thank you, Lantern. Nights are long.' })).statusCode).toBe(303);
    expect((await ana.post(`/messages/${talk}`, { body: 'They are. I am up too.' })).statusCode).toBe(303);
    expect((await ana.post(`/messages/${talk}`, { body: 'Tea helps a little.' })).statusCode).toBe(303);
    await world.tick();

    const boPage = await page(bo, `/messages/${talk}`);
    expect(boPage).toContain('Conversation with Lantern');
    expect(boPage).toContain('Tea helps a little.');
    expect(boPage).not.toMatch(/Ana Pseudo/);
    const anaPage = await page(ana, `/messages/${talk}`);
    expect(anaPage).toContain('Conversation with Night Owl');
    expect(anaPage).not.toMatch(/Bo Pseudo|Sea Glass/);

    // Told once of the request, then of messages: Ana's two are one notification for Bo.
    expect(await notificationsOf(ids.bo)).toEqual(
      expect.arrayContaining([
        { kind: 'message_request', conversationId: talk, count: 1 },
        { kind: 'private_message', conversationId: talk, count: 2 },
      ]),
    );
    expect(await notificationsOf(ids.ana)).toEqual([{ kind: 'private_message', conversationId: talk, count: 1 }]);

    // A second "new message" to the same person goes into the same conversation.
    const again = await ana.post('/messages/new', { group: grief, to: 'Night Owl', body: 'Goodnight.' });
    expect(conversationOf(again)).toBe(talk);
  });

  it('counts unread conversations in the header, without a query of its own', async () => {
    expect((await ana.post(`/messages/${talk}`, { body: 'One more thing.' })).statusCode).toBe(303);
    const home = await page(bo, '/groups');
    expect(home).toContain('Messages (1 new)');
    await bo.get(`/messages/${talk}`);
    expect(await page(bo, '/groups')).not.toContain('Messages (1 new)');
  });

  it('finds people by their name in the group only: never by a pseudonym behind an alias, or another group’s alias', async () => {
    for (const to of ['Bo Pseudo', 'Sea Glass']) {
      const res = await cy.post('/messages/new', { group: grief, to, body: 'Hi there.' });
      expect(res.statusCode).toBe(400);
      expect(textOf(res.body)).toContain(`No one called “${to}” is a member of this group`);
      expect(res.body).toContain('Hi there.');
    }
    const self = await cy.post('/messages/new', { group: grief, to: 'Cy Pseudo', body: 'Me.' });
    expect(textOf(self.body)).toContain('You cannot send a message to yourself');
  });

  it('declines silently: the sender keeps waiting, cannot ask again, and the recipient is told once', async () => {
    const asked = await cy.post('/messages/new', { group: grief, to: 'Lantern', body: 'Want to talk?' });
    expect(asked.headers.location).toContain('notice=messagesRequestSent');
    const id = conversationOf(asked);
    await world.tick();
    const requested = async () => (await notificationsOf(ids.ana)).filter((n) => n.conversationId === id);
    expect(await requested()).toEqual([{ kind: 'message_request', conversationId: id, count: 1 }]);
    expect((await ana.post(`/messages/${id}/decline`)).statusCode).toBe(303);
    expect(await page(ana, '/messages')).not.toContain('Cy Pseudo');
    expect((await ana.get(`/messages/${id}`)).statusCode).toBe(404);

    const cyPage = await page(cy, `/messages/${id}`);
    expect(cyPage).toContain('Waiting for Lantern to accept your request');
    expect(cyPage).not.toMatch(/declin/i);
    const more = await cy.post(`/messages/${id}`, { body: 'Please?' });
    expect(textOf(more.body)).toContain('They have not accepted your request yet');
    // Asking again from the new message page reads the same.
    const again = await cy.post('/messages/new', { group: grief, to: 'Lantern', body: 'Please?' });
    expect(textOf(again.body)).toContain('They have not accepted your request yet');
    await world.tick();
    expect(await requested()).toEqual([{ kind: 'message_request', conversationId: id, count: 1 }]);
  });

  it('holds a request to someone who blocked the sender, in any group, without telling either', async () => {
    // Bo blocks Cy in the grief circle.
    expect((await bo.post(`/g/${grief}/members/Cy%20Pseudo/block`)).statusCode).toBe(303);
    const res = await cy.post('/messages/new', { group: grief, to: 'Night Owl', body: 'Hello Night Owl.' });
    expect(res.headers.location).toContain('notice=messagesRequestSent');
    const id = conversationOf(res);
    expect(await page(cy, `/messages/${id}`)).toContain('Waiting for Night Owl to accept your request');
    await world.tick();
    expect((await notificationsOf(ids.bo)).some((n) => n.conversationId === id)).toBe(false);
    expect(await page(bo, '/messages')).not.toContain('Cy Pseudo');
    expect((await bo.get(`/messages/${id}`)).statusCode).toBe(404);
  });

  it('keeps to each member’s choice of who may write to them', async () => {
    expect((await bo.get('/account/messages')).statusCode).toBe(200);
    expect((await bo.post('/account/messages', { whoMayMessage: 'nobody' })).statusCode).toBe(303);
    const dee = await world.member('Dee Pseudo');
    await dee.post(`/g/${grief}/join`);
    const refused = await dee.post('/messages/new', { group: grief, to: 'Night Owl', body: 'Hi.' });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('Night Owl is not taking private messages');
    await bo.post('/account/messages', { whoMayMessage: 'facilitators' });
    const onlyFacilitators = await dee.post('/messages/new', { group: grief, to: 'Night Owl', body: 'Hi.' });
    expect(textOf(onlyFacilitators.body)).toContain('Night Owl takes private messages from facilitators only');
    const bad = await bo.post('/account/messages', { whoMayMessage: 'everyone' });
    expect(bad.statusCode).toBe(400);
    // Someone Bo already talks with in the group still reaches him.
    expect((await ana.post(`/messages/${talk}`, { body: 'Still here.' })).statusCode).toBe(303);
    await bo.post('/account/messages', { whoMayMessage: 'shared_groups' });
  });

  it('lets facilitators of a professionally run group write to any member directly, unless the group turns it off', async () => {
    const lead = await world.createUser('Facilitator Fay');
    const fay = world.agent();
    await fay.logIn(lead.email, lead.password);
    const o = { id: await userId('Owner Olu'), pseudonym: 'Owner Olu' };
    const clinic = (await makeGroup(world, o, { name: 'Clinic group', leadership: 'professional' })).slug;
    await fay.post(`/g/${clinic}/join`);
    const eve = await world.member('Eve Pseudo');
    await eve.post(`/g/${clinic}/join`);
    await eve.post('/account/messages', { whoMayMessage: 'nobody' });
    await owner.get(`/g/${clinic}/members`);
    expect((await owner.post(`/g/${clinic}/members/Facilitator%20Fay/role`, { role: 'facilitator' })).statusCode).toBe(
      303,
    );

    // Without two-step verification a facilitator holds no powers: held to Eve's choice.
    const without = await fay.post('/messages/new', { group: clinic, to: 'Eve Pseudo', body: 'Welcome to the group.' });
    expect(textOf(without.body)).toContain('Eve Pseudo is not taking private messages');
    await turnOnTwoFactor(db(), lead.id);
    const direct = await fay.post('/messages/new', { group: clinic, to: 'Eve Pseudo', body: 'Welcome to the group.' });
    expect(direct.headers.location).toContain('notice=messagesSent');
    const id = conversationOf(direct);
    const evePage = await eve.get(`/messages/${id}`);
    expect(evePage.body).toContain('id="reply-form"');
    expect(textOf(evePage.body)).toContain('Welcome to the group.');
    await world.tick();
    const eveId = await userId('Eve Pseudo');
    expect(await notificationsOf(eveId)).toEqual([{ kind: 'private_message', conversationId: id, count: 1 }]);

    // The owner turns it off, on the group's settings page, and the log says so.
    const settings = await owner.get(`/g/${clinic}/settings`);
    expect(settings.body).toContain('name="facilitatorsMayMessage" checked');
    await owner.post(`/g/${clinic}/settings`, { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0' });
    expect(await page(owner, `/g/${clinic}/audit`)).toContain('facilitatorsMayMessage');
    const gus = await world.member('Gus Pseudo');
    await gus.post(`/g/${clinic}/join`);
    await gus.post('/account/messages', { whoMayMessage: 'nobody' });
    const off = await fay.post('/messages/new', { group: clinic, to: 'Gus Pseudo', body: 'Welcome.' });
    expect(textOf(off.body)).toContain('Gus Pseudo is not taking private messages');
    // A member who chose "facilitators only" still hears from them, as a request.
    await gus.post('/account/messages', { whoMayMessage: 'facilitators' });
    const asked = await fay.post('/messages/new', { group: clinic, to: 'Gus Pseudo', body: 'Welcome.' });
    expect(asked.headers.location).toContain('notice=messagesRequestSent');
    // A peer group offers no such setting, and saving its settings leaves the column alone.
    expect((await owner.get(`/g/${grief}/settings`)).body).not.toContain('facilitatorsMayMessage');
  });

  it('lets no lapsed or banned member start a conversation in the group, nor write in its conversations', async () => {
    const o = { id: await userId('Owner Olu'), pseudonym: 'Owner Olu' };
    const paid = await makeGroup(world, o, { name: 'Paid circle' });
    const hal = await world.member('Hal Pseudo');
    const ivy = await world.member('Ivy Pseudo');
    await hal.post(`/g/${paid.slug}/join`);
    await ivy.post(`/g/${paid.slug}/join`);
    const started = await hal.post('/messages/new', { group: paid.slug, to: 'Ivy Pseudo', body: 'Hello Ivy.' });
    const id = conversationOf(started);
    await ivy.post(`/messages/${id}/accept`);
    // The group starts charging; Hal's payment ran out a month ago.
    await db().execute(sql`update groups set join_policy = 'paid', fee_amount_cents = 500, fee_interval = 'month'
      where slug = ${paid.slug}`);
    await db()
      .update(memberships)
      .set({ paidUntil: new Date(Date.now() - 30 * 24 * 3600_000) })
      .where(eq(memberships.userId, await userId('Hal Pseudo')));
    await db()
      .update(memberships)
      .set({ paidUntil: new Date(Date.now() + 30 * 24 * 3600_000) })
      .where(eq(memberships.userId, await userId('Ivy Pseudo')));
    const refused = await hal.post('/messages/new', { group: paid.slug, to: 'Ivy Pseudo', body: 'Hello again.' });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('Your membership has lapsed');
    const reply = await hal.post(`/messages/${id}`, { body: 'Hello again.' });
    expect(reply.statusCode).toBe(403);
    const halPage = await page(hal, `/messages/${id}`);
    expect(halPage).toContain('no longer write in it');
    // Ivy is banned from the group (as the author of an anonymous post: her membership stays).
    const [group] = await db().select({ id: groups.id }).from(groups).where(eq(groups.slug, paid.slug));
    await db()
      .insert(bans)
      .values({ groupId: group!.id, userId: await userId('Ivy Pseudo'), reason: 'Testing', anonymousPostId: 1 });
    const banned = await ivy.post('/messages/new', { group: paid.slug, to: 'Owner Olu', body: 'Hello.' });
    expect(banned.statusCode).toBe(403);
    expect(textOf(banned.body)).toContain('You can no longer take part in this group');
    expect((await ivy.post(`/messages/${id}`, { body: 'Hello.' })).statusCode).toBe(403);
  });

  it('puts messages through the rules of posts: crisis help for the author alone, watched words, pauses', async () => {
    const before = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(crisisAlerts);
    const crisis = await ana.post(`/messages/${talk}`, { body: 'I want to end my life tonight.' });
    expect(crisis.statusCode).toBe(303);
    expect(crisis.headers.location).toMatch(/support=\d+#crisis-panel/);
    const help = await ana.get(String(crisis.headers.location));
    expect(textOf(help.body)).toContain('Your message is sent');
    expect(help.body).toContain('href="/help"');
    // Nobody else is shown the panel for that message, and no alert goes to the group's leaders.
    expect(textOf((await bo.get(String(crisis.headers.location))).body)).not.toContain('Your message is sent');
    const after = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(crisisAlerts);
    expect(after[0]!.n).toBe(before[0]!.n);

    await db()
      .insert(watchedWords)
      .values([
        { word: 'buy crypto', action: 'block' },
        { word: 'my number', action: 'approve' },
      ]);
    const blocked = await ana.post(`/messages/${talk}`, { body: 'You should buy crypto now.' });
    expect(blocked.statusCode).toBe(400);
    expect(textOf(blocked.body)).toContain('buy crypto');
    expect(blocked.body).toContain('You should buy crypto now.');
    const held = await ana.post(`/messages/${talk}`, { body: 'Here is my number.' });
    expect(textOf(held.body)).toContain('nobody reads private messages to check them');

    const [group] = await db().select({ id: groups.id }).from(groups).where(eq(groups.slug, grief));
    await db()
      .insert(silences)
      .values({
        groupId: group!.id,
        userId: ids.ana,
        reason: 'Cooling off',
        endsAt: new Date(Date.now() + 3600_000),
      });
    const paused = await ana.post(`/messages/${talk}`, { body: 'Hello?' });
    expect(paused.statusCode).toBe(403);
    await db().delete(silences).where(eq(silences.userId, ids.ana));
  });

  it('tells those in a conversation live that a message arrived, never what or from whom, and no one else', async () => {
    const socket = await bo.live();
    expect((await socket.subscribe('conversation', talk)).type).toBe('subscribed');
    const own = await ana.live();
    expect((await own.subscribe('conversation', talk)).type).toBe('subscribed');
    const stranger = await cy.live();
    expect((await stranger.subscribe('conversation', talk)).error).toBe('notFound');
    const lastId = Number(
      [...(await ana.get(`/messages/${talk}`)).body.matchAll(/data-id="(\d+)"/g)].map((m) => m[1]).at(-1),
    );
    await ana.post(`/messages/${talk}`, { body: 'Are you awake?' });
    expect(await socket.next()).toEqual({ type: 'conversation.message', conversationId: talk });
    // The page asks for what arrived, through the same checks.
    const fragment = await bo.get(`/messages/${talk}?after=${lastId}`, { 'hx-request': 'true' });
    expect(fragment.body).toContain('Are you awake?');
    expect(fragment.body).not.toContain('<html');
    expect(own.pending).toEqual([]);
    for (const s of [socket, own, stranger]) s.close();
  });

  it('reports chosen messages to the site’s moderators, who see those and nothing else', async () => {
    const texts = (await bo.get(`/messages/${talk}?report=1`)).body;
    const choices = [...texts.matchAll(/name="messages" value="(\d+)"/g)].map((m) => m[1]!);
    expect(choices.length).toBeGreaterThan(2);
    const none = await bo.post(`/messages/${talk}/report`, { reason: 'harassment' });
    expect(none.statusCode).toBe(400);
    expect(textOf(none.body)).toContain('Choose at least one message');
    const [first] = await db()
      .select({ id: privateMessages.id, body: privateMessages.body })
      .from(privateMessages)
      .where(and(eq(privateMessages.conversationId, talk), eq(privateMessages.body, 'Tea helps a little.')));
    const reported = await bo.post(`/messages/${talk}/report`, {
      messages: [String(first!.id)],
      reason: 'other',
      details: 'It keeps coming at night.',
    });
    expect(reported.statusCode).toBe(303);

    // Not for members, nor for an administrator without two-step verification.
    expect((await cy.get('/admin/conversation-reports')).statusCode).toBe(404);
    const admin = world.agent();
    await admin.logIn('admin@example.org', 'correct horse battery');
    expect((await admin.get('/admin/conversation-reports')).statusCode).toBe(403);
    await turnOnTwoFactor(db(), await userId('Admin'));
    const queue = await admin.get('/admin/conversation-reports');
    expect(queue.statusCode).toBe(200);
    const text = textOf(queue.body);
    expect(text).toContain('Tea helps a little.');
    expect(text).toContain('Lantern');
    expect(text).toContain('It keeps coming at night.');
    for (const unseen of ['They are. I am up too.', 'Thank you, Lantern', 'Night Owl', 'Bo Pseudo', 'Ana Pseudo'])
      expect(text).not.toContain(unseen);

    const reportId = Number(/conversation-reports\/(\d+)\/resolve/.exec(queue.body)![1]);
    const missing = await admin.post(`/admin/conversation-reports/${reportId}/resolve`, {
      outcome: 'silenced',
      days: '1',
    });
    expect(missing.statusCode).toBe(400);
    const resolved = await admin.post(`/admin/conversation-reports/${reportId}/resolve`, {
      outcome: 'silenced',
      days: '1',
      note: 'Messages at night after being asked to stop.',
    });
    expect(resolved.statusCode).toBe(303);
    expect(await page(bo, `/messages/${talk}`)).toContain('A moderator removed this message.');
    const paused = await ana.post(`/messages/${talk}`, { body: 'Sorry.' });
    expect(paused.statusCode).toBe(403);
    const told = await db()
      .select({ reason: notifications.reason })
      .from(notifications)
      .where(and(eq(notifications.userId, ids.ana), eq(notifications.kind, 'silenced')));
    expect(told).toEqual([{ reason: 'Messages at night after being asked to stop.' }]);
    await db().delete(silences).where(eq(silences.userId, ids.ana));
  });

  it('lets someone leave, and the others see that they left', async () => {
    expect((await bo.post(`/messages/${talk}/leave`)).statusCode).toBe(303);
    expect(await page(bo, '/messages')).not.toContain('Lantern');
    const anaPage = await page(ana, `/messages/${talk}`);
    expect(anaPage).toContain('Night Owl left the conversation');
    expect(anaPage).toContain('Everyone else has left this conversation');
    expect((await bo.get(`/messages/${talk}`)).statusCode).toBe(404);
  });

  it('puts a member’s messages in their data archive, and erases them with the account when asked', async () => {
    const data = await gatherMemberData(db(), ids.ana);
    expect(data!.messages.messages.map((m) => m.body)).toContain('Tea helps a little.');
    expect(data!.messages.messages.every((m) => m.group === 'Grief circle')).toBe(true);
    const deleted = await ana.post('/account/delete', {
      password: 'correct horse battery',
      posts: 'erase',
      confirm: 'on',
    });
    expect(deleted.statusCode).toBe(303);
    expect(await db().select().from(privateMessages).where(eq(privateMessages.authorId, ids.ana))).toEqual([]);
    expect(await db().select().from(conversationMembers).where(eq(conversationMembers.userId, ids.ana))).toEqual([]);
  });
});
