import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import type { MailMessage, MailTransport } from '../../platform/mail/mailer.js';
import { sendDigests } from '../mail-lists/digests.js';
import { acceptedVersion } from './index.js';

/*
 * A group's agreements as people meet them: written by its owner, read by anyone, accepted by
 * everyone who comes in (joining, applying, an invitation), accepted again after a change of
 * substance before posting; the welcome each new member gets; the monthly reminder in digests.
 */

type User = { id: number; pseudonym: string; email: string; password: string };

let world: TestWorld;
let ownerUser: User;
let owner: Agent;
let counter = 0;

beforeAll(async () => {
  world = await createWorld();
  await world.createUser('Admin');
  ownerUser = await world.createUser('Keeper');
  owner = world.agent();
  await owner.logIn(ownerUser.email, ownerUser.password);
});
afterAll(() => world.close());

const AGREEMENTS = '## Our agreements\n\n- What is said here stays here.\n- No advice about medication doses.';

async function signedIn(name: string): Promise<{ user: User; agent: Agent }> {
  counter += 1;
  const user = await world.createUser(`${name}${counter}`);
  const agent = world.agent();
  await agent.logIn(user.email, user.password);
  return { user, agent };
}

async function groupWithAgreements(
  settings: Record<string, string> = {},
  agreements: Record<string, string> = {},
): Promise<{ slug: string; id: number }> {
  const group = await makeGroup(world, ownerUser);
  if (Object.keys(settings).length) {
    await owner.get(`/g/${group.slug}/settings`);
    const res = await owner.post(`/g/${group.slug}/settings`, { slowModeMinutes: '0', listed: 'on', ...settings });
    expect(res.statusCode).toBe(303);
  }
  await owner.get(`/g/${group.slug}/agreements/edit`);
  const saved = await owner.post(`/g/${group.slug}/agreements/edit`, {
    body: AGREEMENTS,
    welcomeMessage: 'Hello and welcome, **friend**. <script>alert(1)</script>',
    ...agreements,
  });
  expect(saved.statusCode).toBe(303);
  return { slug: group.slug, id: group.id };
}

async function isMember(groupId: number, userId: number): Promise<boolean> {
  const result = (await world.database.db.execute(
    sql`select 1 from memberships where group_id = ${groupId} and user_id = ${userId}`,
  )) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}

describe('writing agreements', () => {
  it('offers owners a kind starting template, and refuses the page to members and visitors', async () => {
    const group = await makeGroup(world, ownerUser);
    const page = await owner.get(`/g/${group.slug}/agreements/edit`);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('What is said here stays here');
    expect(text).toContain('No advice about medication doses');
    expect(text).toContain('In a crisis');

    const { agent: member } = await signedIn('Reader');
    await member.post(`/g/${group.slug}/join`);
    expect((await member.get(`/g/${group.slug}/agreements/edit`)).statusCode).toBe(403);
    await member.get(`/g/${group.slug}`);
    expect((await member.post(`/g/${group.slug}/agreements/edit`, { body: 'Mine now' })).statusCode).toBe(403);
    const visitor = await world.agent().get(`/g/${group.slug}/agreements/edit`);
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toContain('/login');
  });

  it('keeps what was typed when it is too long, and records saving in the audit log', async () => {
    const group = await makeGroup(world, ownerUser);
    await owner.get(`/g/${group.slug}/agreements/edit`);
    const tooLong = await owner.post(`/g/${group.slug}/agreements/edit`, {
      body: 'x'.repeat(20001),
      welcomeMessage: 'Kept welcome',
    });
    expect(tooLong.statusCode).toBe(400);
    expect(textOf(tooLong.body)).toContain('at most 20,000 characters');
    expect(tooLong.body).toContain('Kept welcome');

    await owner.post(`/g/${group.slug}/agreements/edit`, { body: AGREEMENTS });
    const audit = textOf((await owner.get(`/g/${group.slug}/audit`)).body);
    expect(audit).toContain('agreements version 1');
  });

  it('shows them to anyone, and links to them from the about page', async () => {
    const group = await groupWithAgreements();
    const visitor = world.agent();
    const page = await visitor.get(`/g/${group.slug}/agreements`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('What is said here stays here.');
    expect(page.body).toContain('<h2>Our agreements</h2>');
    const about = await visitor.get(`/g/${group.slug}/about`);
    expect(about.body).toContain(`href="/g/${group.slug}/agreements"`);
    expect(textOf(about.body)).toContain('Read the group’s agreements');
  });
});

describe('coming in', () => {
  it('refuses to join without accepting, keeping the name typed; accepted, the member is in and welcomed', async () => {
    const group = await groupWithAgreements();
    const { user, agent } = await signedIn('Newcomer');
    // The group page's Join leads to the agreements, where the box is.
    const groupPage = await agent.get(`/g/${group.slug}`);
    expect(groupPage.body).toContain(`href="/g/${group.slug}/agreements#join"`);
    const agreements = await agent.get(`/g/${group.slug}/agreements`);
    expect(textOf(agreements.body)).toContain('I accept the group’s agreements');

    const refused = await agent.post(`/g/${group.slug}/join`, { alias: 'Quiet Fern' });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('Please read the group’s agreements and tick “I accept” to come in.');
    expect(refused.body).toContain('value="Quiet Fern"');
    expect(await isMember(group.id, user.id)).toBe(false);
    expect(await acceptedVersion(world.database.db, group.id, user.id)).toBe(0);

    const joined = await agent.post(`/g/${group.slug}/join`, { acceptAgreements: 'on' });
    expect(joined.statusCode).toBe(303);
    expect(await isMember(group.id, user.id)).toBe(true);
    expect(await acceptedVersion(world.database.db, group.id, user.id)).toBe(1);

    const notifications = await agent.get('/notifications');
    const text = textOf(notifications.body);
    expect(text).toContain('Welcome to');
    expect(notifications.body).toContain('<strong>friend</strong>');
    expect(notifications.body).not.toContain('<script>alert(1)</script>');
    expect(notifications.body).toContain('&lt;script&gt;');
  });

  it('still lets people join a group without agreements in one step, with the site’s own welcome', async () => {
    const group = await makeGroup(world, ownerUser);
    const { user, agent } = await signedIn('Plain');
    await agent.get(`/g/${group.slug}`);
    expect((await agent.post(`/g/${group.slug}/join`)).statusCode).toBe(303);
    expect(await isMember(group.id, user.id)).toBe(true);
    expect(textOf((await agent.get('/notifications')).body)).toContain('We are glad you are here.');
  });

  it('asks applicants to accept, keeps their answers when they forget, and welcomes them once approved', async () => {
    const group = await groupWithAgreements({ joinPolicy: 'approval', entryQuestions: 'What brings you here?' });
    const { user, agent } = await signedIn('Applicant');
    const form = await agent.get(`/g/${group.slug}/apply`);
    expect(textOf(form.body)).toContain('I accept the group’s agreements');
    const forgot = await agent.post(`/g/${group.slug}/apply`, { answers: 'Looking for people who understand' });
    expect(forgot.statusCode).toBe(400);
    expect(textOf(forgot.body)).toContain('tick “I accept”');
    expect(forgot.body).toContain('Looking for people who understand');
    expect(textOf((await owner.get(`/g/${group.slug}/applications`)).body)).not.toContain(user.pseudonym);

    const applied = await agent.post(`/g/${group.slug}/apply`, {
      answers: 'Looking for people who understand',
      acceptAgreements: 'on',
    });
    expect(applied.statusCode).toBe(303);
    expect(await acceptedVersion(world.database.db, group.id, user.id)).toBe(1);
    const queue = await owner.get(`/g/${group.slug}/applications`);
    const id = /\/applications\/(\d+)\/decision/.exec(queue.body)![1]!;
    expect((await owner.post(`/applications/${id}/decision`, { decision: 'approve' })).statusCode).toBe(303);
    expect(await isMember(group.id, user.id)).toBe(true);
    expect((await agent.get('/notifications')).body).toContain('Hello and welcome, <strong>friend</strong>.');
  });

  it('asks the same of someone accepting an invitation', async () => {
    const group = await groupWithAgreements({ joinPolicy: 'invitation' });
    await owner.get(`/g/${group.slug}/invitations`);
    const made = await owner.post(`/g/${group.slug}/invitations`, { days: '7', uses: '5' });
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(made.body)![1]!;
    const { user, agent } = await signedIn('Invited');
    const page = await agent.get(`/invite/${token}`);
    expect(textOf(page.body)).toContain('I accept the group’s agreements');
    const refused = await agent.post(`/invite/${token}`, {});
    expect(refused.statusCode).toBe(400);
    expect(await isMember(group.id, user.id)).toBe(false);
    expect((await agent.post(`/invite/${token}`, { acceptAgreements: 'on' })).statusCode).toBe(303);
    expect(await isMember(group.id, user.id)).toBe(true);
    expect(await acceptedVersion(world.database.db, group.id, user.id)).toBe(1);
  });
});

describe('changing them', () => {
  it('asks members to accept again before posting after a change of substance, but not after a typo fix', async () => {
    const group = await groupWithAgreements();
    const { user, agent } = await signedIn('Regular');
    await agent.get(`/g/${group.slug}/agreements`);
    await agent.post(`/g/${group.slug}/join`, { acceptAgreements: 'on' });
    const thread = await makeThread(world, user, group.slug, 'Sleepless nights', 'Anyone else awake?');

    // A typo fix: the version stays, nobody is asked again.
    await owner.get(`/g/${group.slug}/agreements/edit`);
    await owner.post(`/g/${group.slug}/agreements/edit`, { body: `${AGREEMENTS}\n- Be kind.` });
    await agent.get(`/g/${group.slug}/t/${thread.id}`);
    expect((await agent.post(`/threads/${thread.id}/replies`, { body: 'Me too.' })).statusCode).toBe(303);

    // A change of substance, with "ask members to accept them again".
    await owner.post(`/g/${group.slug}/agreements/edit`, {
      body: `${AGREEMENTS}\n- No photos of other people.`,
      acceptAgain: 'on',
    });
    const banner = await agent.get(`/g/${group.slug}`);
    expect(textOf(banner.body)).toContain('The group’s agreements changed. Read and accept them to keep posting.');
    const refused = await agent.post(`/threads/${thread.id}/replies`, { body: 'Still here.' });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('Please read and accept them before you post.');
    expect(refused.body).toContain(`href="/g/${group.slug}/agreements?next=`);
    const newThread = await agent.post(`/g/${group.slug}/threads/new`, { title: 'A new week', body: 'Hello all' });
    expect(newThread.statusCode).toBe(403);
    // They were told, and the notification leads to the agreements.
    expect(textOf((await agent.get('/notifications')).body)).toContain('changed its agreements');

    const page = await agent.get(`/g/${group.slug}/agreements`);
    expect(textOf(page.body)).toContain('No photos of other people.');
    const accepted = await agent.post(`/g/${group.slug}/agreements/accept`, {
      next: `/g/${group.slug}/t/${thread.id}`,
    });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/g/${group.slug}/t/${thread.id}?notice=agreementsAccepted`);
    expect(await acceptedVersion(world.database.db, group.id, user.id)).toBe(2);
    expect(textOf((await agent.get(`/g/${group.slug}`)).body)).not.toContain('Read and accept them to keep posting');
    expect((await agent.post(`/threads/${thread.id}/replies`, { body: 'Still here.' })).statusCode).toBe(303);
  });

  it('asks someone who left and comes back at a newer version to accept again', async () => {
    const group = await groupWithAgreements();
    const { user, agent } = await signedIn('Returner');
    await agent.get(`/g/${group.slug}/agreements`);
    await agent.post(`/g/${group.slug}/join`, { acceptAgreements: 'on' });
    await agent.post(`/g/${group.slug}/leave`);
    await owner.get(`/g/${group.slug}/agreements/edit`);
    await owner.post(`/g/${group.slug}/agreements/edit`, { body: `${AGREEMENTS}\n- New rule.`, acceptAgain: 'on' });
    await agent.get(`/g/${group.slug}/agreements`);
    expect((await agent.post(`/g/${group.slug}/join`)).statusCode).toBe(400);
    expect(await isMember(group.id, user.id)).toBe(false);
    expect((await agent.post(`/g/${group.slug}/join`, { acceptAgreements: 'on' })).statusCode).toBe(303);
    expect(await acceptedVersion(world.database.db, group.id, user.id)).toBe(2);
  });
});

describe('the monthly reminder in digests', () => {
  it('comes in the first digest of each month, and not in the others', async () => {
    const group = await groupWithAgreements({}, { monthlyReminder: 'on' });
    const { user, agent } = await signedIn('Digester');
    await world.database.db.execute(
      sql`update users set email_verified_at = now(), time_zone = 'UTC' where id = ${user.id}`,
    );
    await agent.get(`/g/${group.slug}/agreements`);
    await agent.post(`/g/${group.slug}/join`, { acceptAgreements: 'on' });
    await world.database.db.execute(
      sql`update list_subscriptions set mode = 'daily', last_digest_at = '2026-02-27T08:00:00Z'
        where group_id = ${group.id} and user_id = ${user.id}`,
    );
    const sent: MailMessage[] = [];
    const capture: MailTransport = {
      deliver: async (message) => {
        if (message.to === user.email) sent.push(message);
      },
      close: () => undefined,
    };
    const mail = { ...world.mail, transport: capture };
    const digestAt = async (post: string, windowEnd: string) => {
      await world.database.db.execute(sql`update posts set created_at = ${post}::timestamptz,
        deleted_at = null where group_id = ${group.id}`);
      await sendDigests(mail, { groupId: group.id, windowEnd, userIds: [user.id] }, new Date(windowEnd));
      return sent.at(-1);
    };
    await makeThread(world, ownerUser, group.slug, 'News of the week', 'We meet on Thursday.');

    const late = await digestAt('2026-02-28T07:00:00Z', '2026-02-28T08:00:00Z');
    expect(late?.text).toContain('News of the week');
    expect(late?.text).not.toContain('A monthly reminder');
    const first = await digestAt('2026-03-01T07:00:00Z', '2026-03-01T08:00:00Z');
    expect(sent).toHaveLength(2);
    expect(first?.text).toContain('A monthly reminder');
    expect(first?.text).toContain(`/g/${group.slug}/agreements`);
    expect(first?.html).toContain('Read the group’s agreements');
    const second = await digestAt('2026-03-02T07:00:00Z', '2026-03-02T08:00:00Z');
    expect(sent).toHaveLength(3);
    expect(second?.text).not.toContain('A monthly reminder');
  });
});
