import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { countQueries } from '../../platform/db/client.js';
import { users } from '../accounts/schema.js';
import { joinGroup } from '../groups/index.js';
import { groupAliases, memberships } from '../groups/schema.js';
import { meetingOccurrences, meetings } from '../meetings/schema.js';
import { notifications } from '../notifications/schema.js';
import { pollOptions, polls, pollVotes } from './schema.js';

/*
 * Polls as people use them: started, answered and closed through the pages; a "find a time" poll
 * turned into a meeting through its "Schedule this time" form.
 */

let world: TestWorld;
const db = () => world.database.db;

interface Person {
  id: number;
  pseudonym: string;
  agent: Agent;
}

let made = 0;
async function person(name: string, timeZone = 'UTC'): Promise<Person> {
  made += 1;
  const user = await world.createUser(`${name} ${made}`);
  await db().update(users).set({ timeZone, emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
  const agent = world.agent();
  await agent.logIn(user.email, user.password);
  return { ...user, agent };
}

async function join(p: Person, slug: string) {
  await joinGroup(db(), { id: p.id, pseudonym: p.pseudonym, isAdmin: false }, slug);
}

/** A group with its owner (on London's clock) and two members. */
async function circle(visibility: 'public' | 'members' = 'public') {
  const owner = await person('Owner', 'Europe/London');
  const group = await makeGroup(world, owner, { name: `Walking Circle ${made}`, visibility });
  const ana = await person('Ana');
  const ben = await person('Ben');
  await join(ana, group.slug);
  await join(ben, group.slug);
  return { owner, group, ana, ben };
}

const pollForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
  question: 'Where shall we walk in spring?',
  options: 'The park\nThe river\n\nThe hills',
  votes: 'named',
  results: 'after_vote',
  closeDate: '',
  closeTime: '',
  body: '',
  ...overrides,
});

/** Starts a poll through its page; the thread's address and the poll's options, in order. */
async function startPoll(p: Person, slug: string, form = pollForm()) {
  await p.agent.get(`/g/${slug}/polls/new`);
  const res = await p.agent.post(`/g/${slug}/polls/new`, form);
  expect(res.statusCode, textOf(res.body)).toBe(303);
  const match = /^(\/g\/[^/]+\/t\/\d+)\?notice=pollStarted#poll-(\d+)$/.exec(String(res.headers.location));
  expect(match).not.toBeNull();
  const pollId = Number(match![2]);
  const options = await db()
    .select()
    .from(pollOptions)
    .where(eq(pollOptions.pollId, pollId))
    .orderBy(asc(pollOptions.position));
  return { url: match![1]!, pollId, options };
}

async function votesOf(pollId: number) {
  const rows = await db().select().from(pollVotes).where(eq(pollVotes.pollId, pollId));
  return rows.map((r) => ({ optionId: r.optionId, userId: r.userId }));
}

const nextYear = new Date().getUTCFullYear() + 1;

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

describe('polls', () => {
  it('starts a thread with a single-choice poll; a vote can be changed, and replaces the earlier one', async () => {
    const { group, owner, ana } = await circle();
    const { url, pollId, options } = await startPoll(owner, group.slug);
    expect(options.map((o) => o.label)).toEqual(['The park', 'The river', 'The hills']);

    const page = textOf((await ana.agent.get(url)).body);
    expect(page).toContain('Where shall we walk in spring?');
    expect(page).toContain('You will see the results once you have voted');

    let res = await ana.agent.post(`/polls/${pollId}/vote`, { option: String(options[0]!.id) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${url}?notice=pollVoted#poll-${pollId}`);
    res = await ana.agent.post(`/polls/${pollId}/vote`, { option: String(options[1]!.id) });
    expect(await votesOf(pollId)).toEqual([{ optionId: options[1]!.id, userId: ana.id }]);

    // Two answers to a one-answer poll are refused, and the vote stays as it was.
    res = await ana.agent.post(`/polls/${pollId}/vote`, { option: [String(options[0]!.id), String(options[2]!.id)] });
    expect(res.headers.location).toContain('notice=pollChooseOne');
    expect(await votesOf(pollId)).toEqual([{ optionId: options[1]!.id, userId: ana.id }]);
    // An option of another poll is not an answer to this one.
    res = await ana.agent.post(`/polls/${pollId}/vote`, { option: '2000000000' });
    expect(await votesOf(pollId)).toEqual([{ optionId: options[1]!.id, userId: ana.id }]);

    const after = textOf((await ana.agent.get(url)).body);
    expect(after).toContain('The river (most chosen) (your choice) 1 vote (100%)');
    expect(after).toContain('Change my vote');
  });

  it('swaps the poll in place for htmx, with the results once voted', async () => {
    const { group, owner, ana } = await circle();
    const { pollId, options } = await startPoll(owner, group.slug);
    await ana.agent.get(`/g/${group.slug}`);
    const res = await ana.agent.post(`/polls/${pollId}/vote`, { option: String(options[2]!.id) }, { htmx: true });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(new RegExp(`^<section id="poll-${pollId}"`));
    expect(textOf(res.body)).toContain('The hills (most chosen) (your choice) 1 vote (100%)');
    const refused = await ana.agent.post(`/polls/${pollId}/vote`, {}, { htmx: true });
    expect(refused.statusCode).toBe(422);
    expect(textOf(refused.body)).toContain('Please choose an answer.');
  });

  it('counts several answers in a multiple-choice poll, as shares of the people who voted', async () => {
    const { group, owner, ana, ben } = await circle();
    const { url, pollId, options } = await startPoll(owner, group.slug, pollForm({ multiple: 'on' }));
    await ana.agent.post(`/polls/${pollId}/vote`, { option: [String(options[0]!.id), String(options[1]!.id)] });
    await ben.agent.post(`/polls/${pollId}/vote`, { option: [String(options[1]!.id)] });
    expect(await votesOf(pollId)).toHaveLength(3);
    const page = textOf((await ben.agent.get(url)).body);
    expect(page).toContain('The park 1 vote (50%)');
    expect(page).toContain('The river (most chosen) (your choice) 2 votes (100%)');
    expect(page).toContain('The hills 0 votes (0%)');
    expect(page).toContain('2 people have voted');
  });

  it('shows who chose what by their name in the group in a named poll, and nobody in an anonymous one, leaders included', async () => {
    const { group, owner, ana, ben } = await circle();
    await db().insert(groupAliases).values({ groupId: group.id, userId: ana.id, alias: 'Quiet Fern' });
    const named = await startPoll(owner, group.slug);
    await ana.agent.post(`/polls/${named.pollId}/vote`, { option: String(named.options[0]!.id) });
    const namedPage = textOf((await ben.agent.get(named.url)).body);
    expect(namedPage).not.toContain('Chosen by');
    await ben.agent.post(`/polls/${named.pollId}/vote`, { option: String(named.options[0]!.id) });
    const seen = textOf((await ben.agent.get(named.url)).body);
    expect(seen).toContain(`Chosen by: ${ben.pseudonym}, Quiet Fern`);
    // Her alias, never the pseudonym behind it.
    expect((await ben.agent.get(named.url)).body).not.toContain(ana.pseudonym);

    const secret = await startPoll(
      owner,
      group.slug,
      pollForm({ votes: 'anonymous', question: 'How are you, honestly?' }),
    );
    await ana.agent.post(`/polls/${secret.pollId}/vote`, { option: String(secret.options[1]!.id) });
    await owner.agent.post(`/polls/${secret.pollId}/close`);
    const leaderView = (await owner.agent.get(secret.url)).body;
    expect(textOf(leaderView)).toContain('The river (most chosen) 1 vote (100%)');
    expect(leaderView).not.toContain('Quiet Fern');
    expect(leaderView).not.toContain(ana.pseudonym);
    expect(textOf(leaderView)).not.toContain('Chosen by');
  });

  it('keeps results for after closing when the poll says so; readers of a public group see the poll but cannot vote', async () => {
    const { group, owner, ana } = await circle();
    const { url, pollId, options } = await startPoll(owner, group.slug, pollForm({ results: 'after_close' }));
    await ana.agent.post(`/polls/${pollId}/vote`, { option: String(options[0]!.id) });
    let page = textOf((await ana.agent.get(url)).body);
    expect(page).toContain('The results will be shown when the poll closes.');
    expect(page).not.toContain('1 vote');

    const visitor = world.agent();
    const outsider = await person('Outsider');
    for (const reader of [visitor, outsider.agent]) {
      const body = (await reader.get(url)).body;
      expect(textOf(body)).toContain('The hills');
      expect(body).not.toContain(`action="/polls/${pollId}/vote"`);
    }
    // Someone who may read but not take part is refused a vote.
    const refused = await outsider.agent.post(`/polls/${pollId}/vote`, { option: String(options[1]!.id) });
    expect(refused.statusCode).toBe(403);
    const anonymous = await visitor.post(`/polls/${pollId}/vote`, { option: String(options[1]!.id) });
    expect(anonymous.statusCode).toBe(303);
    expect(String(anonymous.headers.location)).toMatch(/^\/login\?next=/);
    expect(await votesOf(pollId)).toEqual([{ optionId: options[0]!.id, userId: ana.id }]);

    // Only its creator and the moderators close it.
    expect((await ana.agent.post(`/polls/${pollId}/close`)).statusCode).toBe(403);
    const closed = await owner.agent.post(`/polls/${pollId}/close`);
    expect(closed.headers.location).toBe(`${url}?notice=pollClosed#poll-${pollId}`);
    page = textOf((await visitor.get(url)).body);
    expect(page).toContain('The park (most chosen) 1 vote (100%)');
    // A closed poll takes no more votes.
    const late = await ana.agent.post(`/polls/${pollId}/vote`, { option: String(options[1]!.id) });
    expect(late.headers.location).toContain('notice=pollClosedAlready');
    // Its voter is told, with a link to the poll.
    const [told] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ana.id), eq(notifications.kind, 'poll_closed')));
    expect(told?.threadId).toBe(Number(url.split('/').pop()));
    const bell = textOf((await ana.agent.get('/notifications')).body);
    expect(bell).toContain('A poll you voted in, in Where shall we walk in spring?, has closed.');
  });

  it('in a members-only group, the poll is not found for outsiders', async () => {
    const { group, owner } = await circle('members');
    const { url, pollId, options } = await startPoll(owner, group.slug);
    const outsider = await person('Stranger');
    expect((await outsider.agent.get(url)).statusCode).toBe(404);
    const res = await outsider.agent.post(`/polls/${pollId}/vote`, { option: String(options[0]!.id) });
    expect(res.statusCode).toBe(404);
  });

  it('closes by its closing time (read on its creator’s clock) and tells its voters', async () => {
    const { group, owner, ana, ben } = await circle();
    const { url, pollId, options } = await startPoll(
      owner,
      group.slug,
      pollForm({ closeDate: `${nextYear}-01-20`, closeTime: '09:00' }),
    );
    const [poll] = await db().select().from(polls).where(eq(polls.id, pollId));
    // London is on GMT in January.
    expect(poll!.closesAt?.toISOString()).toBe(`${nextYear}-01-20T09:00:00.000Z`);
    await ana.agent.post(`/polls/${pollId}/vote`, { option: String(options[0]!.id) });
    await ben.agent.post(`/polls/${pollId}/vote`, { option: String(options[0]!.id) });

    await world.tick(new Date(`${nextYear}-01-20T08:59:00Z`));
    expect((await db().select().from(polls).where(eq(polls.id, pollId)))[0]!.closedAt).toBeNull();
    await world.tick(new Date(`${nextYear}-01-20T09:01:00Z`));
    const [closed] = await db().select().from(polls).where(eq(polls.id, pollId));
    expect(closed!.closedAt?.toISOString()).toBe(`${nextYear}-01-20T09:00:00.000Z`);
    const told = await db()
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(and(eq(notifications.kind, 'poll_closed'), eq(notifications.threadId, poll!.threadId)));
    expect(told.map((n) => n.userId).sort()).toEqual([ana.id, ben.id].sort());
    expect(textOf((await ana.agent.get(url)).body)).toContain('Closed');

    // A closing time that has passed is refused when the poll is started.
    const res = await owner.agent.post(
      `/g/${group.slug}/polls/new`,
      pollForm({ closeDate: '2020-01-01', closeTime: '10:00' }),
    );
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('The closing time has already passed.');
  });

  it('sends a form with mistakes back with what was typed and a message, never a 500', async () => {
    const { group, ana } = await circle();
    await ana.agent.get(`/g/${group.slug}/polls/new`);
    const res = await ana.agent.post(`/g/${group.slug}/polls/new`, pollForm({ options: 'Only one' }));
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Please give between 2 and 20 answers, one a line.');
    expect(res.body).toContain('Where shall we walk in spring?');
    expect(res.body).toContain('Only one');
  });

  it('adds no database round trip to the thread page', async () => {
    const { group, owner, ana } = await circle();
    const { url, pollId, options } = await startPoll(owner, group.slug);
    await ana.agent.post(`/polls/${pollId}/vote`, { option: String(options[0]!.id) });
    const { result, queries } = await countQueries(() => ana.agent.get(url));
    expect(result.statusCode).toBe(200);
    expect(textOf(result.body)).toContain('The park (most chosen) (your choice) 1 vote (100%)');
    expect(queries).toBeLessThanOrEqual(4);
  });
});

describe('find a time', () => {
  const timeForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
    rows: '3',
    title: 'Spring walk',
    duration: '90',
    // On the owner's clock (London): summer time in July, GMT in December.
    date_0: `${nextYear}-07-15`,
    time_0: '18:30',
    date_1: `${nextYear}-12-02`,
    time_1: '10:00',
    date_2: '',
    time_2: '',
    votes: 'named',
    closeDate: '',
    closeTime: '',
    body: '',
    ...overrides,
  });

  it('is offered only to those who schedule the group’s meetings', async () => {
    const { group, ana } = await circle();
    expect((await ana.agent.get(`/g/${group.slug}/polls/find-a-time`)).statusCode).toBe(403);
    const res = await ana.agent.post(`/g/${group.slug}/polls/find-a-time`, timeForm());
    expect(res.statusCode).toBe(403);
    expect(await db().select().from(polls).where(eq(polls.groupId, group.id))).toEqual([]);
    // A moderator may.
    await db()
      .update(memberships)
      .set({ role: 'moderator' })
      .where(and(eq(memberships.groupId, group.id), eq(memberships.userId, ana.id)));
    expect((await ana.agent.get(`/g/${group.slug}/polls/find-a-time`)).statusCode).toBe(200);
  });

  it('adds a row of times without JavaScript, keeping what was typed', async () => {
    const { group, owner } = await circle();
    await owner.agent.get(`/g/${group.slug}/polls/find-a-time`);
    const res = await owner.agent.post(`/g/${group.slug}/polls/find-a-time`, { ...timeForm(), more: '1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="date_3"');
    expect(res.body).toContain(`value="${nextYear}-07-15"`);
    expect(await db().select().from(polls).where(eq(polls.groupId, group.id))).toEqual([]);
  });

  it('becomes a meeting at the chosen time, in one step, and tells those who chose it', async () => {
    const { group, owner, ana, ben } = await circle();
    await owner.agent.get(`/g/${group.slug}/polls/find-a-time`);
    const res = await owner.agent.post(`/g/${group.slug}/polls/find-a-time`, timeForm());
    expect(res.statusCode, textOf(res.body)).toBe(303);
    const url = String(res.headers.location).split('?')[0]!;
    const pollId = Number(/#poll-(\d+)$/.exec(String(res.headers.location))![1]);
    const options = await db()
      .select()
      .from(pollOptions)
      .where(eq(pollOptions.pollId, pollId))
      .orderBy(asc(pollOptions.position));
    expect(options.map((o) => o.startsAt?.toISOString())).toEqual([
      `${nextYear}-07-15T17:30:00.000Z`,
      `${nextYear}-12-02T10:00:00.000Z`,
    ]);

    // Everyone says which times they could make.
    const page = textOf((await ana.agent.get(url)).body);
    expect(page).toContain('Find a time: Spring walk');
    expect(page).toContain('Which of these times could you make?');
    await ana.agent.post(`/polls/${pollId}/vote`, { option: [String(options[0]!.id), String(options[1]!.id)] });
    await ben.agent.post(`/polls/${pollId}/vote`, { option: String(options[0]!.id) });

    // Not before it is closed; then by a leader only.
    expect((await ana.agent.get(`/polls/${pollId}/schedule`)).statusCode).toBe(403);
    let scheduled = await owner.agent.post(`/polls/${pollId}/schedule`, {
      option: String(options[0]!.id),
      kind: 'online',
      title: 'Spring walk',
    });
    expect(scheduled.statusCode).toBe(400);
    expect(textOf(scheduled.body)).toContain('Please close the poll first');
    await owner.agent.post(`/polls/${pollId}/close`);
    expect(textOf((await owner.agent.get(url)).body)).toContain('Schedule this time');

    const form = await owner.agent.get(`/polls/${pollId}/schedule`);
    expect(form.statusCode).toBe(200);
    // The most chosen time is picked first.
    expect(form.body).toMatch(new RegExp(`value="${options[0]!.id}"\\s+checked`));
    // An in-person meeting needs its place: the form says so and keeps the choice.
    scheduled = await owner.agent.post(`/polls/${pollId}/schedule`, {
      option: String(options[0]!.id),
      title: 'Spring walk',
      kind: 'in_person',
      address: '',
    });
    expect(scheduled.statusCode).toBe(400);
    scheduled = await owner.agent.post(`/polls/${pollId}/schedule`, {
      option: String(options[0]!.id),
      title: 'Spring walk',
      description: 'Meet at the gate.',
      kind: 'in_person',
      address: 'The park gate, Mill Lane',
    });
    expect(scheduled.statusCode, textOf(scheduled.body)).toBe(303);
    const occurrenceId = Number(
      /^\/meetings\/(\d+)\?notice=meetingsScheduled$/.exec(String(scheduled.headers.location))![1],
    );

    const [occurrence] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, occurrenceId));
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, occurrence!.meetingId));
    expect(meeting).toMatchObject({
      groupId: group.id,
      title: 'Spring walk',
      kind: 'in_person',
      timeZone: 'Europe/London',
      durationMinutes: 90,
      rrule: null,
      address: 'The park gate, Mill Lane',
    });
    expect(occurrence!.startsAt.toISOString()).toBe(`${nextYear}-07-15T17:30:00.000Z`);
    expect((await db().select().from(polls).where(eq(polls.id, pollId)))[0]!.meetingId).toBe(meeting!.id);

    // The meeting page shows it; the thread links to it.
    expect(textOf((await ben.agent.get(`/meetings/${occurrenceId}`)).body)).toContain('Spring walk');
    expect((await ben.agent.get(url)).body).toContain(`href="/meetings/${occurrenceId}"`);

    // Those who chose that time are told, with a link to the meeting.
    const told = await db()
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(and(eq(notifications.kind, 'poll_closed'), eq(notifications.occurrenceId, occurrenceId)));
    expect(told.map((n) => n.userId).sort()).toEqual([ana.id, ben.id].sort());
    const bell = (await ben.agent.get('/notifications')).body;
    expect(textOf(bell)).toContain('Spring walk is scheduled for');
    expect(bell).toContain(`href="/meetings/${occurrenceId}"`);

    // Only once.
    const again = await owner.agent.post(`/polls/${pollId}/schedule`, {
      option: String(options[1]!.id),
      title: 'Spring walk',
      kind: 'online',
    });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('A meeting has already been scheduled from this poll.');
  });
});
