import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { countQueries } from '../../platform/db/client.js';
import { createNotifications } from './pipeline.js';
import { targetUrl } from './reading.js';
import type { NewNotification } from './service.js';

/*
 * The notifications page, as its reader sees it: what each kind says, with names as the group
 * shows them (an alias, never the pseudonym behind it; nobody for an anonymous post), read and
 * unread in words, marking them, paging, and links that open the exact post or conversation.
 */
describe('the notifications page', () => {
  let world: TestWorld;
  let ada: Agent;
  let adaId: number;
  let bo: Agent;
  let owner: Agent;
  let group: { id: number; slug: string };
  const posts = { thread: 0, aliasReply: 0, anonymousReply: 0 };

  const db = () => world.database.db;
  const idOf = async (pseudonym: string) => {
    const r = (await db().execute(sql`select id from users where pseudonym = ${pseudonym}`)) as unknown as {
      rows: { id: number }[];
    };
    return Number(r.rows[0]!.id);
  };
  const tell = (rows: NewNotification[]) => db().transaction((tx) => createNotifications(tx, rows));
  const text = async (agent: Agent, url = '/notifications') => textOf((await agent.get(url)).body);
  const newest = async (userId: number) => {
    const r = (await db().execute(
      sql`select id from notifications where user_id = ${userId} order by id desc limit 1`,
    )) as unknown as { rows: { id: number }[] };
    return Number(r.rows[0]!.id);
  };

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Site Admin');
    const o = await world.createUser('Owner Oona');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    group = await makeGroup(world, o, { name: 'Carers together' });
    await owner.get(`/g/${group.slug}/settings`);
    await owner.post(`/g/${group.slug}/settings`, {
      joinPolicy: 'open',
      listed: 'on',
      slowModeMinutes: '0',
      anonymousPosts: 'on',
    });
    ada = await world.member('Ada Reader');
    adaId = await idOf('Ada Reader');
    bo = await world.member('Bo Hidden Name');
    await ada.post(`/g/${group.slug}/join`);
    await bo.post(`/g/${group.slug}/join`, { alias: 'Willow' });
    const started = await ada.post(`/g/${group.slug}/threads/new`, { title: 'Long nights', body: 'Anyone else up?' });
    posts.thread = Number((started.headers.location as string).split('?')[0]!.split('/').pop());
    const reply = async (body: string, anonymous: boolean) => {
      const res = await bo.post(`/threads/${posts.thread}/replies`, anonymous ? { body, anonymous: 'on' } : { body });
      return Number(/#post-(\d+)/.exec(res.headers.location as string)![1]);
    };
    posts.aliasReply = await reply('I am, most nights.', false);
    posts.anonymousReply = await reply('Me too, and I am scared.', true);
  });
  afterAll(() => world.close());

  it('names people as the group knows them, and nobody behind an anonymous post', async () => {
    const at = { groupId: group.id, threadId: posts.thread };
    await tell([
      { userId: adaId, kind: 'reply', ...at, postId: posts.aliasReply },
      { userId: adaId, kind: 'mention', ...at, postId: posts.anonymousReply },
    ]);
    const page = await text(ada);
    expect(page).toContain('Willow replied to you in “Long nights”.');
    expect(page).toContain('An anonymous member mentioned you in “Long nights”.');
    expect(page).toContain('in Carers together');
    expect(page).not.toContain('Bo Hidden Name');
  });

  it('says how many people sent support, never who', async () => {
    const at = { groupId: group.id, threadId: posts.thread, postId: posts.thread };
    const key = `reactions:post:${posts.thread}`;
    await tell([{ userId: adaId, kind: 'reactions', ...at, batchKey: key }]);
    await tell([{ userId: adaId, kind: 'reactions', ...at, batchKey: key }]);
    await tell([{ userId: adaId, kind: 'reactions', ...at, batchKey: key }]);
    const page = await text(ada);
    expect(page).toContain('3 people sent support for your post in “Long nights”.');
    expect(page).not.toContain('Willow sent');
  });

  it('says who wrote a private message by their name in the conversation’s group', async () => {
    const boId = await idOf('Bo Hidden Name');
    const conversation = (await db().execute(sql`
      insert into conversations (group_id, created_by) values (${group.id}, ${boId}) returning id`)) as unknown as {
      rows: { id: number }[];
    };
    const conversationId = Number(conversation.rows[0]!.id);
    await db().execute(sql`
      insert into conversation_members (conversation_id, user_id, status) values
        (${conversationId}, ${boId}, 'active'), (${conversationId}, ${adaId}, 'requested')`);
    await db().execute(sql`
      insert into private_messages (conversation_id, author_id, body, body_html)
      values (${conversationId}, ${boId}, 'Hello', '<p>Hello</p>')`);
    await tell([{ userId: adaId, kind: 'message_request', groupId: group.id, conversationId }]);
    const page = await text(ada);
    expect(page).toContain('Willow would like to start a private conversation with you.');
    expect(page).not.toContain('Bo Hidden Name');
    // Opening it leads to the conversation, and marks it read.
    const id = await newest(adaId);
    const opened = await ada.get(`/notifications/${id}`);
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`/messages/${conversationId}`);
  });

  it('opens the exact post and marks it read; someone else’s is not found', async () => {
    await tell([{ userId: adaId, kind: 'reply', groupId: group.id, threadId: posts.thread, postId: posts.aliasReply }]);
    const id = await newest(adaId);
    const before = await ada.get('/notifications');
    expect(before.body).toContain(`href="/notifications/${id}"`);
    expect(textOf(before.body)).toMatch(/Unread · .*Willow replied to you/);
    expect((await bo.get(`/notifications/${id}`)).statusCode).toBe(404);
    expect((await bo.post(`/notifications/${id}/read`)).statusCode).toBe(404);
    const opened = await ada.get(`/notifications/${id}`);
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`/g/${group.slug}/t/${posts.thread}#post-${posts.aliasReply}`);
    const row = (await db().execute(sql`select read_at from notifications where id = ${id}`)) as unknown as {
      rows: { read_at: unknown }[];
    };
    expect(row.rows[0]!.read_at).not.toBeNull();
    expect((await world.agent().get(`/notifications/${id}`)).headers.location).toBe(
      `/login?next=${encodeURIComponent(`/notifications/${id}`)}`,
    );
  });

  it('leads each kind to where it happened', () => {
    const none = {
      slug: null,
      threadId: null,
      postId: null,
      conversationId: null,
      occurrenceId: null,
      listingId: null,
    };
    expect(targetUrl({ ...none, kind: 'meeting_reminder', slug: 'g', occurrenceId: 7 })).toBe('/meetings/7');
    expect(targetUrl({ ...none, kind: 'private_message', slug: 'g', conversationId: 3 })).toBe('/messages/3');
    expect(targetUrl({ ...none, kind: 'mention', slug: 'g', threadId: 4, postId: 9 })).toBe('/g/g/t/4#post-9');
    expect(targetUrl({ ...none, kind: 'moderator_alert', slug: 'g' })).toBe('/g/g/review');
    expect(targetUrl({ ...none, kind: 'application_decision', slug: 'g' })).toBe('/g/g');
    expect(targetUrl({ ...none, kind: 'listing_approved', listingId: 2 })).toBe('/listings/2');
    expect(targetUrl({ ...none, kind: 'thanks_received' })).toBe('/account/support#support-thanks');
  });

  it('marks one read or unread again, and all read, with the count on the bell following', async () => {
    const dee = await world.member('Dee Marks');
    const deeId = await idOf('Dee Marks');
    await tell([
      { userId: deeId, kind: 'application_decision', groupId: group.id, reason: 'approved' },
      { userId: deeId, kind: 'application_decision', groupId: group.id, reason: 'declined' },
    ]);
    const first = await newest(deeId);
    expect(await text(dee)).toContain('Notifications (2 new)');
    expect(await text(dee)).toContain('You have 2 unread notifications.');
    const read = await dee.post(`/notifications/${first}/read`);
    expect(read.statusCode).toBe(303);
    expect(read.headers.location).toBe(`/notifications#notification-${first}`);
    const after = await text(dee);
    expect(after).toContain('Notifications (1 new)');
    expect(after).toMatch(/Read · .*Your application to join Carers together was not accepted this time\./);
    await dee.post(`/notifications/${first}/unread`);
    expect(await text(dee)).toContain('Notifications (2 new)');
    const all = await dee.post('/notifications/read-all');
    expect(all.headers.location).toBe('/notifications');
    const done = await text(dee);
    expect(done).toContain('You have read all your notifications.');
    expect(done).not.toContain('Mark all as read');
    // A forged CSRF token changes nothing.
    expect((await dee.post(`/notifications/${first}/unread`, {}, { csrf: 'forged' })).statusCode).toBe(403);
  });

  it('pages older notifications, in few queries whatever the names on the page', async () => {
    const eve = await world.member('Eve Pages');
    const eveId = await idOf('Eve Pages');
    const many: NewNotification[] = Array.from({ length: 35 }, (_, i) => ({
      userId: eveId,
      kind: i % 2 ? 'reply' : 'mention',
      groupId: group.id,
      threadId: posts.thread,
      postId: i % 3 ? posts.aliasReply : posts.anonymousReply,
    }));
    await tell(many);
    const first = await eve.get('/notifications');
    expect(first.body.match(/id="notification-\d+"/g)).toHaveLength(30);
    expect(first.body).toContain('href="/notifications?page=2"');
    const second = await eve.get('/notifications?page=2');
    expect(second.body.match(/id="notification-\d+"/g)).toHaveLength(5);
    expect(textOf(second.body)).toContain('Page 2 of 2');
    const { queries } = await countQueries(() => eve.get('/notifications'));
    expect(queries).toBeLessThanOrEqual(4);
    const past = await eve.get('/notifications?page=9');
    expect(past.statusCode).toBe(200);
    expect(textOf(past.body)).toContain('Nothing new');
  });

  it('tells an applicant the decision, and a group’s leaders what waits for them, batched', async () => {
    const o = await world.createUser('Owner Pia');
    const leader = world.agent();
    await leader.logIn(o.email, o.password);
    const circle = await makeGroup(world, o, { name: 'Quiet circle' });
    await leader.get(`/g/${circle.slug}/settings`);
    await leader.post(`/g/${circle.slug}/settings`, {
      joinPolicy: 'approval',
      entryQuestions: 'Why would you like to join?',
      listed: 'on',
      slowModeMinutes: '0',
    });
    const applicant = await world.member('Hopeful Hana');
    await applicant.post(`/g/${circle.slug}/apply`, { answers: ['To listen'] });
    const queue = await leader.get(`/g/${circle.slug}/applications`);
    const id = /\/applications\/(\d+)\/decision/.exec(queue.body)![1]!;
    expect((await leader.post(`/applications/${id}/decision`, { decision: 'approve' })).statusCode).toBe(303);
    expect(await text(applicant)).toContain('Your application to join Quiet circle was approved. Welcome!');

    // Two flags on posts in a group: one line for its leader, counting both; none for the flaggers.
    const cat = await world.member('Careful Cat');
    await cat.post(`/g/${group.slug}/join`);
    for (const [agent, post] of [
      [cat, posts.aliasReply],
      [ada, posts.anonymousReply],
    ] as const) {
      const res = await agent.post(`/posts/${post}/flag`, { reason: 'spam' });
      expect(res.statusCode).toBe(303);
    }
    const told = await text(owner);
    expect(told).toContain('2 things in Carers together are waiting for a moderator');
    expect(told).not.toContain('Careful Cat');
    expect(await text(cat)).not.toContain('waiting for a moderator');
    const id2 = await newest(await idOf('Owner Oona'));
    expect((await owner.get(`/notifications/${id2}`)).headers.location).toBe(`/g/${group.slug}/review`);

    // A post held for approval in a pre-moderated group: its leader is told, its author is not.
    const q = await world.createUser('Owner Quinn');
    const quinn = world.agent();
    await quinn.logIn(q.email, q.password);
    const held = await makeGroup(world, q, { name: 'Held circle' });
    await quinn.get(`/g/${held.slug}/settings`);
    await quinn.post(`/g/${held.slug}/settings`, {
      joinPolicy: 'open',
      listed: 'on',
      preModeration: 'on',
      slowModeMinutes: '0',
    });
    await cat.post(`/g/${held.slug}/join`);
    const waiting = await cat.post(`/g/${held.slug}/threads/new`, { title: 'First time', body: 'Hello, all.' });
    expect(waiting.headers.location).toContain('notice=awaitingApproval');
    expect(await text(quinn)).toContain('Something in Held circle is waiting for a moderator');
    expect(await text(cat)).not.toContain('Held circle is waiting');
  });
});
