import { and, asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClientFor } from '../../../test/helpers/api.js';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { Receiver, signatureValid } from '../../../test/helpers/webhook-receiver.js';
import { users } from '../accounts/schema.js';
import { applications, groups, memberships } from '../groups/schema.js';
import { joinGroup } from '../groups/index.js';
import { pollOptions } from '../polls/schema.js';
import { webhooks } from './schema.js';

/*
 * The same events whichever way a thing happens: a member let in by an approved application (on
 * the page or through the API) or by an invitation is announced as "member.joined" as one who
 * joined an open group is, and a meeting scheduled from a "find a time" poll as "meeting.scheduled"
 * as one scheduled on the meetings page is. (Paying and waivers: payments/joining.test.ts.)
 */

let world: TestWorld;
let receiver: Receiver;
let made = 0;
const db = () => world.database.db;

beforeAll(async () => {
  world = await createWorld({ webhooks: { allowPrivateAddresses: true } });
  receiver = await Receiver.start();
  await world.createUser('Site Admin');
});
afterEach(() => receiver.reset());
afterAll(async () => {
  await receiver?.close();
  await world?.close();
});

interface Person {
  id: number;
  pseudonym: string;
  agent: Agent;
}

async function person(name: string): Promise<Person> {
  made += 1;
  const user = await world.createUser(`${name} ${made}`);
  await db().update(users).set({ timeZone: 'UTC' }).where(eq(users.id, user.id));
  const agent = world.agent();
  await agent.logIn(user.email, user.password);
  return { ...user, agent };
}

/** A group with its owner logged in, and a webhook told of the events given. */
async function groupWithWebhook(events: string[], settings: Partial<typeof groups.$inferInsert> = {}) {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner);
  if (Object.keys(settings).length) await db().update(groups).set(settings).where(eq(groups.id, group.id));
  const secret = `whsec_ways-in-${group.id}`;
  await db().insert(webhooks).values({ groupId: group.id, url: receiver.url(), secret, events });
  return { owner, group, secret };
}

/** What the receiver got, each checked against the webhook's secret: its type and data. */
function delivered(secret: string): { type: string; data: Record<string, unknown> }[] {
  return receiver.received.map((r) => {
    expect(signatureValid(secret, r)).toBe(true);
    return JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
  });
}

describe('member.joined, whichever way someone comes in', () => {
  it('is sent for applicants approved on the page or through the API, and not for one declined', async () => {
    const { owner, group, secret } = await groupWithWebhook(['member.joined'], {
      joinPolicy: 'approval',
      entryQuestions: ['What brings you here?'],
    });
    const apply = async (name: string, alias: string) => {
      const p = await person(name);
      await p.agent.get(`/g/${group.slug}/apply`);
      expect((await p.agent.post(`/g/${group.slug}/apply`, { answers: 'My dad.', alias })).statusCode).toBe(303);
      const [row] = await db()
        .select()
        .from(applications)
        .where(and(eq(applications.groupId, group.id), eq(applications.userId, p.id)));
      return { ...p, applicationId: row!.id };
    };
    const onPage = await apply('Page Applicant', 'Willow');
    const byApi = await apply('Api Applicant', 'Rowan');
    const declined = await apply('Declined Applicant', 'Hazel');

    await owner.agent.get(`/g/${group.slug}/applications`);
    const approve = await owner.agent.post(`/applications/${onPage.applicationId}/decision`, { decision: 'approve' });
    expect(approve.statusCode).toBe(303);
    const api = await apiClientFor(world.app, db(), owner.id);
    expect((await api.post(`/api/v1/applications/${byApi.applicationId}/approve`, {})).statusCode).toBe(200);
    const decline = await owner.agent.post(`/applications/${declined.applicationId}/decision`, { decision: 'decline' });
    expect(decline.statusCode).toBe(303);
    await world.tick();

    // The worker sends deliveries side by side: in any order.
    const events = delivered(secret);
    expect(events.map((e) => e.type)).toEqual(['member.joined', 'member.joined']);
    const names = events.map((e) => (e.data as { member: { name: string } }).member.name);
    expect(names.sort()).toEqual(['Rowan', 'Willow']);
    // Approved, each is welcomed, as everyone who comes in is.
    expect(textOf((await onPage.agent.get('/notifications')).body)).toContain('We are glad you are here.');
    expect(textOf((await declined.agent.get('/notifications')).body)).not.toContain('We are glad you are here.');
  });

  it('is sent for someone who accepts an invitation, once', async () => {
    const { owner, group, secret } = await groupWithWebhook(['member.joined'], { joinPolicy: 'invitation' });
    await owner.agent.get(`/g/${group.slug}/invitations`);
    const created = await owner.agent.post(`/g/${group.slug}/invitations`, { days: '7', uses: '5' });
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(created.body)![1]!;
    const invited = await person('Invited');
    await invited.agent.get(`/invite/${token}`);
    expect((await invited.agent.post(`/invite/${token}`, { alias: 'Birch' })).statusCode).toBe(303);
    expect((await invited.agent.post(`/invite/${token}`, {})).statusCode).toBe(400);
    await world.tick();
    expect(delivered(secret)).toEqual([
      expect.objectContaining({ type: 'member.joined', data: { member: { name: 'Birch' } } }),
    ]);
    const [m] = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.groupId, group.id), eq(memberships.userId, invited.id)));
    expect(m?.role).toBe('member');
    expect(textOf((await invited.agent.get('/notifications')).body)).toContain('We are glad you are here.');
  });
});

describe('meeting.scheduled, from the meetings page or a poll', () => {
  const nextYear = new Date().getUTCFullYear() + 1;

  it('is sent alike for a meeting scheduled on its form and one scheduled from a "find a time" poll', async () => {
    const { owner, group, secret } = await groupWithWebhook(['meeting.scheduled']);
    const member = await person('Voter');
    await joinGroup(db(), { id: member.id, pseudonym: member.pseudonym, isAdmin: false }, group.slug);

    await owner.agent.get(`/g/${group.slug}/meetings/new`);
    const onForm = await owner.agent.post(`/g/${group.slug}/meetings/new`, {
      title: 'Thursday circle',
      description: '',
      kind: 'online',
      date: `${nextYear}-03-05`,
      time: '19:00',
      timeZone: 'UTC',
      duration: '60',
      repeat: 'once',
      rrule: '',
    });
    expect(onForm.statusCode, textOf(onForm.body)).toBe(303);

    await owner.agent.get(`/g/${group.slug}/polls/find-a-time`);
    const started = await owner.agent.post(`/g/${group.slug}/polls/find-a-time`, {
      rows: '2',
      title: 'Spring walk',
      duration: '90',
      date_0: `${nextYear}-04-15`,
      time_0: '10:00',
      date_1: `${nextYear}-04-16`,
      time_1: '10:00',
      votes: 'named',
      closeDate: '',
      closeTime: '',
      body: '',
    });
    expect(started.statusCode, textOf(started.body)).toBe(303);
    const pollId = Number(/#poll-(\d+)$/.exec(String(started.headers.location))![1]);
    const [first] = await db()
      .select()
      .from(pollOptions)
      .where(eq(pollOptions.pollId, pollId))
      .orderBy(asc(pollOptions.position));
    await member.agent.get(`/g/${group.slug}`);
    await member.agent.post(`/polls/${pollId}/vote`, { option: String(first!.id) });
    await owner.agent.post(`/polls/${pollId}/close`);
    await owner.agent.get(`/polls/${pollId}/schedule`);
    const fromPoll = await owner.agent.post(`/polls/${pollId}/schedule`, {
      option: String(first!.id),
      title: 'Spring walk',
      kind: 'online',
    });
    expect(fromPoll.statusCode, textOf(fromPoll.body)).toBe(303);
    const occurrenceId = Number(/^\/meetings\/(\d+)/.exec(String(fromPoll.headers.location))![1]);
    await world.tick();

    const events = delivered(secret);
    expect(events.map((e) => e.type)).toEqual(['meeting.scheduled', 'meeting.scheduled']);
    const meetings = events.map((e) => e.data.meeting as Record<string, unknown>);
    const fromForm = meetings.find((m) => m.title === 'Thursday circle');
    const polled = meetings.find((m) => m.title === 'Spring walk');
    expect(Object.keys(polled!).sort()).toEqual(Object.keys(fromForm!).sort());
    expect(fromForm).toMatchObject({ firstDates: [`${nextYear}-03-05T19:00:00.000Z`] });
    expect(polled).toMatchObject({
      kind: 'online',
      durationMinutes: 90,
      url: `http://localhost:3000/meetings/${occurrenceId}`,
      firstDates: [`${nextYear}-04-15T10:00:00.000Z`],
    });
  });
});
