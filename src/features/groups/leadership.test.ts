import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { users } from '../accounts/schema.js';
import { recordAudit } from './audit.js';
import { groups } from './schema.js';

describe('professionally run groups', () => {
  let world: TestWorld;
  let admin: Agent;
  let owner: Agent;
  let facilitator: Agent;
  let member: Agent;
  let slug: string;

  beforeAll(async () => {
    world = await createWorld();
    const a = await world.createUser('Site Admin');
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    // Site administrators and facilitators use their powers only with two-step verification on.
    await turnOnTwoFactor(world.database.db, a.id);
    const o = await world.createUser('Ward Manager');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Cardiac rehab circle', leadership: 'professional' })).slug;
    facilitator = await world.member('Social Worker Sam');
    await facilitator.post(`/g/${slug}/join`);
    member = await world.member('Patient Pat');
    await member.post(`/g/${slug}/join`);
    expect((await owner.post(`/g/${slug}/members/Social Worker Sam/role`, { role: 'facilitator' })).statusCode).toBe(
      303,
    );
    await turnOnTwoFactor(world.database.db, (await findUserIdByPseudonym(world.database.db, 'Social Worker Sam'))!);
  });
  afterAll(() => world.close());

  it('shows a facilitator’s credential on their posts only once it is verified by an administrator', async () => {
    await facilitator.get(`/g/${slug}/members`);
    await facilitator.post(`/g/${slug}/credential`, { credential: 'Licensed clinical social worker' });
    const post = await facilitator.post(`/g/${slug}/threads/new`, {
      title: 'Welcome to the circle',
      body: 'Hello all.',
    });
    const url = (post.headers.location as string).split('?')[0]!;
    let page = textOf((await member.get(url)).body);
    expect(page).toContain('Facilitator');
    expect(page).not.toContain('Licensed clinical social worker');
    expect((await owner.post(`/g/${slug}/members/Social Worker Sam/verify`)).statusCode).toBe(403);
    expect((await admin.post(`/g/${slug}/members/Social Worker Sam/verify`)).statusCode).toBe(303);
    page = textOf((await member.get(url)).body);
    expect(page).toContain('Facilitator · Licensed clinical social worker ✓');
    expect(textOf((await owner.get(`/g/${slug}/audit`)).body)).toContain('Verified a credential · Social Worker Sam');
  });

  it('holds members’ posts for approval when pre-moderation is on', async () => {
    await owner.post(`/g/${slug}/settings`, {
      joinPolicy: 'open',
      listed: 'on',
      preModeration: 'on',
      slowModeMinutes: '0',
    });
    const res = await member.post(`/g/${slug}/threads/new`, {
      title: 'Scared about surgery',
      body: 'It is next week.',
    });
    expect(res.headers.location).toContain('notice=awaitingApproval');
    const url = (res.headers.location as string).split('?')[0]!;
    expect(textOf((await member.get(url)).body)).toContain('Awaiting approval');
    const other = await world.member('Other Patient');
    await other.post(`/g/${slug}/join`);
    expect((await other.get(url)).statusCode).toBe(404);
    expect(textOf((await other.get(`/g/${slug}`)).body)).not.toContain('Scared about surgery');
    // Only the held thread carries the badge, in its author's list.
    const ownList = await member.get(`/g/${slug}`);
    expect(ownList.body.match(/Awaiting approval/g)).toHaveLength(1);
    expect(textOf(ownList.body)).toMatch(/Scared about surgery Awaiting approval/);
    expect((await other.get(`/g/${slug}/review`)).statusCode).toBe(403);

    const queue = await facilitator.get(`/g/${slug}/review`);
    expect(textOf(queue.body)).toContain('New discussion: Scared about surgery');
    const postId = /\/posts\/(\d+)\/review/.exec(queue.body)![1]!;
    await facilitator.post(`/posts/${postId}/review`, { decision: 'approve' });
    expect((await other.get(url)).statusCode).toBe(200);
    expect(textOf((await other.get(`/g/${slug}`)).body)).toContain('Scared about surgery');

    const threadId = url.split('/').pop()!;
    await member.post(`/threads/${threadId}/replies`, { body: 'Something I regret saying' });
    const queue2 = await owner.get(`/g/${slug}/review`);
    const replyId = /\/posts\/(\d+)\/review/.exec(queue2.body)![1]!;
    await owner.post(`/posts/${replyId}/review`, { decision: 'reject', reason: 'Personal details' });
    expect(textOf((await other.get(url)).body)).not.toContain('Something I regret saying');
    expect(textOf((await member.get(url)).body)).toContain('Not approved by the group’s leaders');
    expect(textOf((await other.get(url)).body)).toContain('0 replies');
    const facReply = await facilitator.post(`/threads/${threadId}/replies`, { body: 'You are not alone.' });
    expect(facReply.statusCode).toBe(303);
    expect(textOf((await other.get(url)).body)).toContain('You are not alone.');
    await owner.post(`/g/${slug}/settings`, { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0' });
  });

  it('slows members down in slow mode, keeping their text, but not leaders', async () => {
    await owner.post(`/g/${slug}/settings`, { joinPolicy: 'open', listed: 'on', slowModeMinutes: '10' });
    const speedy = await world.member('Speedy');
    await speedy.post(`/g/${slug}/join`);
    expect((await speedy.post(`/g/${slug}/threads/new`, { title: 'First thought', body: 'One' })).statusCode).toBe(303);
    const second = await speedy.post(`/g/${slug}/threads/new`, { title: 'Second thought', body: 'Two, kept' });
    expect(second.statusCode).toBe(400);
    expect(textOf(second.body)).toContain('slow mode');
    expect(second.body).toContain('Two, kept');
    await facilitator.post(`/g/${slug}/threads/new`, { title: 'Leader one', body: 'x' });
    expect((await facilitator.post(`/g/${slug}/threads/new`, { title: 'Leader two', body: 'y' })).statusCode).toBe(303);
    await owner.post(`/g/${slug}/settings`, { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0' });
  });

  it('closes the group to members’ posts while leaders can still post', async () => {
    await owner.post(`/g/${slug}/settings`, {
      joinPolicy: 'open',
      listed: 'on',
      slowModeMinutes: '0',
      closedToPosts: 'on',
    });
    const refused = await member.post(`/g/${slug}/threads/new`, { title: 'Can I post?', body: 'Hello' });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('closed to new posts');
    expect(
      (await facilitator.post(`/g/${slug}/threads/new`, { title: 'Closing note', body: 'See you' })).statusCode,
    ).toBe(303);
    await owner.post(`/g/${slug}/settings`, { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0' });
  });

  it('keeps facilitator notes and the audit log to the group’s leaders', async () => {
    const path = `/g/${slug}/members/Patient Pat/notes`;
    expect((await member.get(path)).statusCode).toBe(403);
    expect((await member.get(`/g/${slug}/audit`)).statusCode).toBe(403);
    const empty = await facilitator.post(path, { body: '' });
    expect(textOf(empty.body)).toContain('Write the note first.');
    await facilitator.post(path, { body: 'Anxious before surgery; check in next week.' });
    expect(textOf((await owner.get(path)).body)).toContain('Anxious before surgery');
    expect((await member.get(`/g/${slug}/members`)).body).not.toContain('Anxious before surgery');
  });

  it('shows who paid only to those who manage the group, not to every facilitator', async () => {
    const [group] = await world.database.db.select().from(groups).where(eq(groups.slug, slug));
    const [pat] = await world.database.db.select().from(users).where(eq(users.pseudonym, 'Patient Pat'));
    await recordAudit(world.database.db, {
      groupId: group!.id,
      actorId: null,
      action: 'record_payment',
      subjectUserId: pat!.id,
    });
    expect(textOf((await owner.get(`/g/${slug}/audit`)).body)).toContain('Recorded a payment · Patient Pat');
    const seenByFacilitator = textOf((await facilitator.get(`/g/${slug}/audit`)).body);
    expect(seenByFacilitator).toContain('Audit log');
    expect(seenByFacilitator).not.toContain('Recorded a payment');
  });

  it('only lets professionally run groups have facilitators', async () => {
    const o = await world.createUser('Peer Owner');
    const peer = await makeGroup(world, o);
    const ownerAgent = world.agent();
    await ownerAgent.logIn(o.email, o.password);
    const joiner = await world.member('Peer Joiner');
    await joiner.post(`/g/${peer.slug}/join`);
    const res = await ownerAgent.post(`/g/${peer.slug}/members/Peer Joiner/role`, { role: 'facilitator' });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Facilitators lead professionally run groups.');
  });
});
