import { and, asc, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { users } from '../accounts/schema.js';
import { joinGroup } from '../groups/index.js';
import { auditLog, groupAliases } from '../groups/schema.js';
import { gatherMemberData } from '../privacy/exports.js';
import { notifications } from '../notifications/schema.js';
import { meetingOccurrences, meetingRsvps } from './schema.js';

/*
 * Answers, places and the waitlist; exceptions (one date cancelled or moved) and changes to a
 * meeting, with what the members who answered are told: through the pages, the notifications
 * page and the mail as sent.
 */

let world: TestWorld;
const db = () => world.database.db;

interface Person {
  id: number;
  email: string;
  password: string;
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

async function member(slug: string, name: string, alias?: string): Promise<Person> {
  const p = await person(name);
  const access = await joinGroup(db(), { id: p.id, pseudonym: p.pseudonym, isAdmin: false }, slug);
  if (alias) await db().insert(groupAliases).values({ groupId: access.group.id, userId: p.id, alias });
  return p;
}

const daysAhead = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString().slice(0, 10);

const meetingForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
  title: 'Thursday circle',
  description: '',
  kind: 'online',
  date: daysAhead(10),
  time: '19:00',
  timeZone: 'UTC',
  duration: '60',
  repeat: 'once',
  rrule: '',
  capacity: '2',
  waitlist: 'on',
  ...overrides,
});

/** A group and its owner, with a meeting scheduled through the form (`waitlist: null` unticks the box). */
async function setUp(form: Record<string, string | null> = {}) {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner, { name: `Thursday Group ${made}` });
  await owner.agent.get(`/g/${group.slug}/meetings/new`);
  const fields = Object.fromEntries(
    Object.entries({ ...meetingForm(), ...form }).filter((e): e is [string, string] => e[1] !== null),
  );
  const res = await owner.agent.post(`/g/${group.slug}/meetings/new`, fields);
  expect(res.statusCode, textOf(res.body)).toBe(303);
  const id = Number(/\/meetings\/(\d+)/.exec(String(res.headers.location))![1]);
  const [o] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, id));
  return { owner, group, id, meetingId: o!.meetingId };
}

async function answer(p: Person, id: number, status: string, opts: { htmx?: boolean } = {}) {
  await p.agent.get(`/meetings/${id}`);
  return p.agent.post(`/meetings/${id}/rsvp`, { status }, opts);
}

async function statusOf(p: Person, id: number) {
  const [row] = await db()
    .select({ status: meetingRsvps.status })
    .from(meetingRsvps)
    .where(and(eq(meetingRsvps.occurrenceId, id), eq(meetingRsvps.userId, p.id)));
  return row?.status ?? null;
}

async function mailTo(p: Person) {
  return (await world.outbox()).filter((m) => m.to === p.email);
}

/** What the person was told about meetings (joining the group also brings its welcome, which is not). */
async function kindsFor(p: Person) {
  const rows = await db()
    .select({ kind: notifications.kind, occurrenceId: notifications.occurrenceId, reason: notifications.reason })
    .from(notifications)
    .where(and(eq(notifications.userId, p.id), ne(notifications.kind, 'group_welcome')))
    .orderBy(asc(notifications.id));
  return rows;
}

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('answers, places and the waitlist', () => {
  it('puts the third "going" on the waitlist and promotes them, told in the app and by email, when a place frees', async () => {
    const { owner, group, id } = await setUp({ capacity: '2' });
    const ana = await member(group.slug, 'Ana');
    const ben = await member(group.slug, 'Ben', 'Benji');
    const cai = await member(group.slug, 'Cai', 'Caitlin');
    const dee = await member(group.slug, 'Dee');

    const going = await answer(ana, id, 'going');
    expect(going.statusCode).toBe(303);
    expect(going.headers.location).toBe(`/meetings/${id}?notice=meetingsGoing#rsvp`);
    expect(textOf((await ana.agent.get(String(going.headers.location))).body)).toContain(
      'You are going. See you there.',
    );
    await answer(ben, id, 'going');
    const waiting = await answer(cai, id, 'going');
    expect(waiting.headers.location).toBe(`/meetings/${id}?notice=meetingsWaitlisted#rsvp`);
    await answer(dee, id, 'going');
    expect(await statusOf(cai, id)).toBe('waitlisted');
    expect(await statusOf(dee, id)).toBe('waitlisted');

    const page = textOf((await dee.agent.get(`/meetings/${id}`)).body);
    expect(page).toContain('2 going · Full: you can join the waitlist · 2 on the waitlist');
    expect(page).toContain('You are on the waitlist: number 2.');
    // Members see counts; no names.
    expect(page).not.toContain('Benji');
    // Leaders see who, by their names in the group, the waitlist in order.
    const leaderPage = textOf((await owner.agent.get(`/meetings/${id}`)).body);
    expect(leaderPage).toMatch(/Going .*Ana \d+ .*Benji .*On the waitlist, in order .*Caitlin .*Dee \d+/);
    expect(leaderPage).not.toContain(ben.pseudonym);
    expect(leaderPage).toContain('you don’t need to answer to run this meeting');

    // Saying "going" again keeps one's place in the queue.
    await answer(cai, id, 'going');
    expect(textOf((await cai.agent.get(`/meetings/${id}`)).body)).toContain('You are on the waitlist: number 1.');

    // Ben can no longer come: his place goes to Cai, the first on the waitlist.
    const freed = await answer(ben, id, 'not_going', { htmx: true });
    expect(freed.statusCode).toBe(200);
    expect(freed.body).toContain('id="rsvp"');
    expect(textOf(freed.body)).toContain('You said you can’t come.');
    expect(await statusOf(cai, id)).toBe('going');
    expect(await statusOf(dee, id)).toBe('waitlisted');
    expect(textOf((await dee.agent.get(`/meetings/${id}`)).body)).toContain('You are on the waitlist: number 1.');

    const told = textOf((await cai.agent.get('/notifications')).body);
    expect(told).toContain(`A place came free at Thursday circle (${group.name})`);
    expect(told).toContain('it is yours, you are going.');
    expect((await cai.agent.get('/notifications')).body).toContain(`href="/meetings/${id}"`);
    const [mail] = await mailTo(cai);
    expect(mail).toBeDefined();
    // A lock screen learns nothing from the subject.
    expect(mail!.subject).toBe('A place for you at a meeting on Mutual');
    expect(mail!.subject).not.toContain(group.name);
    expect(mail!.text).toContain('A place came free at “Thursday circle”');
    expect(mail!.text).toContain(`http://localhost:3000/meetings/${id}`);
    expect(await mailTo(dee)).toHaveLength(0);
    expect((await kindsFor(dee)).length).toBe(0);
  });

  it('refuses kindly when a meeting without a waitlist is full, and counts everyone (leaders too) against the places', async () => {
    const { owner, group, id } = await setUp({ capacity: '1', waitlist: null });
    const ana = await member(group.slug, 'Ana');
    // The owner is a member, so may answer; their place counts like anyone's.
    expect((await answer(owner, id, 'going')).statusCode).toBe(303);
    const full = await answer(ana, id, 'going');
    expect(full.statusCode).toBe(400);
    expect(textOf(full.body)).toContain('Sorry, this meeting is full, and it keeps no waitlist.');
    expect(await statusOf(ana, id)).toBeNull();
    const htmx = await answer(ana, id, 'going', { htmx: true });
    expect(htmx.statusCode).toBe(422);
    expect(htmx.body).toContain('id="rsvp"');
    expect(textOf(htmx.body)).toContain('it keeps no waitlist');
    // "Maybe" is always fine.
    expect((await answer(ana, id, 'maybe')).statusCode).toBe(303);
    expect(await statusOf(ana, id)).toBe('maybe');
  });

  it('gives the last place to exactly one of two people answering at the same moment', async () => {
    const { group, id } = await setUp({ capacity: '1' });
    const ana = await member(group.slug, 'Ana');
    const ben = await member(group.slug, 'Ben');
    await ana.agent.get(`/meetings/${id}`);
    await ben.agent.get(`/meetings/${id}`);
    const [a, b] = await Promise.all([
      ana.agent.post(`/meetings/${id}/rsvp`, { status: 'going' }),
      ben.agent.post(`/meetings/${id}/rsvp`, { status: 'going' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    const statuses = [await statusOf(ana, id), await statusOf(ben, id)].sort();
    expect(statuses).toEqual(['going', 'waitlisted']);
  });

  it('refuses answers from those who are not members, and for a date that is cancelled', async () => {
    const { owner, group, id } = await setUp();
    const stranger = await person('Stranger');
    const refused = await answer(stranger, id, 'going');
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain(
      'Members of the group say whether they are coming. Please join the group first.',
    );
    const visitor = world.agent();
    const page = await visitor.get(`/meetings/${id}`);
    expect(textOf(page.body)).toContain('Log in to say whether you are coming');
    expect((await visitor.post(`/meetings/${id}/rsvp`, { status: 'going' })).statusCode).toBe(303);

    const ana = await member(group.slug, 'Ana');
    expect((await answer(ana, id, 'perhaps')).statusCode).toBe(400);
    await owner.agent.get(`/meetings/${id}`);
    expect((await owner.agent.post(`/meetings/${id}/cancel`, { note: 'The hall is closed.' })).statusCode).toBe(303);
    const late = await answer(ana, id, 'going');
    expect(late.statusCode).toBe(400);
    expect(textOf(late.body)).toContain('This meeting is cancelled.');
    const cancelled = textOf((await ana.agent.get(`/meetings/${id}`)).body);
    expect(cancelled).toContain('This meeting is cancelled.');
    expect(cancelled).toContain('The hall is closed.');
  });
});

describe('exceptions and changes', () => {
  it('cancels one date with a note, telling those who answered in the app and by email', async () => {
    const { owner, group, id } = await setUp({ repeat: 'weekly', capacity: '' });
    const ana = await member(group.slug, 'Ana');
    const ben = await member(group.slug, 'Ben');
    await answer(ana, id, 'going');
    await answer(ben, id, 'not_going');
    await owner.agent.get(`/meetings/${id}`);
    const res = await owner.agent.post(`/meetings/${id}/cancel`, { note: 'Our facilitator is unwell.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/meetings/${id}?notice=meetingsDateCancelled`);
    const notices = await kindsFor(ana);
    expect(notices).toEqual([{ kind: 'meeting_cancelled', occurrenceId: id, reason: 'Our facilitator is unwell.' }]);
    const told = textOf((await ana.agent.get('/notifications')).body);
    expect(told).toContain('Thursday circle');
    expect(told).toContain('is cancelled.');
    expect(told).toContain('Our facilitator is unwell.');
    const [mail] = await mailTo(ana);
    expect(mail!.subject).toBe('A meeting on Mutual is cancelled');
    expect(mail!.text).toContain('Our facilitator is unwell.');
    // Someone who said "not going" has nothing to change.
    expect(await kindsFor(ben)).toEqual([]);
    // The other dates stay.
    const list = textOf((await ana.agent.get(`/g/${group.slug}/meetings`)).body);
    expect(list).toContain('Cancelled');
    expect(list.match(/Thursday circle/g)!.length).toBeGreaterThan(10);
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'cancel_meeting_date'), eq(auditLog.groupId, group.id)));
    expect(audit!.reason).toContain('Our facilitator is unwell.');
  });

  it('moves one date to another time, keeping the date it replaces, and tells those who answered', async () => {
    const { owner, group, id } = await setUp({ repeat: 'weekly', capacity: '' });
    const ana = await member(group.slug, 'Ana');
    await answer(ana, id, 'maybe');
    const form = await owner.agent.get(`/meetings/${id}/move`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="19:00"');
    const bad = await owner.agent.post(`/meetings/${id}/move`, { date: daysAhead(11), time: '25:00', timeZone: 'UTC' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('value="25:00"');
    const res = await owner.agent.post(`/meetings/${id}/move`, { date: daysAhead(11), time: '18:30', timeZone: 'UTC' });
    expect(res.statusCode).toBe(303);
    const [o] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, id));
    expect(o!.startsAt.toISOString()).toBe(`${daysAhead(11)}T18:30:00.000Z`);
    expect(o!.originalStartsAt.toISOString()).toBe(`${daysAhead(10)}T19:00:00.000Z`);
    expect(o!.endsAt.getTime() - o!.startsAt.getTime()).toBe(3600_000);
    const page = textOf((await ana.agent.get(`/meetings/${id}`)).body);
    expect(page).toContain('Moved from');
    expect(await kindsFor(ana)).toEqual([{ kind: 'meeting_changed', occurrenceId: id, reason: null }]);
    expect((await mailTo(ana))[0]!.subject).toBe('A meeting on Mutual has changed');
    // The worker never makes the replaced date again.
    await world.tick();
    const again = await db()
      .select()
      .from(meetingOccurrences)
      .where(eq(meetingOccurrences.originalStartsAt, o!.originalStartsAt));
    expect(again.filter((x) => x.meetingId === o!.meetingId)).toHaveLength(1);
  });

  it('moves the answers with their dates when the time changes, and cancels dates a new rule drops', async () => {
    const { owner, group, meetingId } = await setUp({ repeat: 'weekly', capacity: '' });
    const ana = await member(group.slug, 'Ana');
    const rows = await db()
      .select()
      .from(meetingOccurrences)
      .where(eq(meetingOccurrences.meetingId, meetingId))
      .orderBy(asc(meetingOccurrences.startsAt));
    const [first, second] = rows;
    await answer(ana, first!.id, 'going');
    await answer(ana, second!.id, 'going');

    const edit = await owner.agent.get(`/g/${group.slug}/meetings/${meetingId}/edit`);
    expect(edit.body).toMatch(/id="repeat-weekly"[^>]*checked/);
    // An hour earlier, every week: the same rows move, and keep their answers.
    const earlier = await owner.agent.post(
      `/g/${group.slug}/meetings/${meetingId}/edit`,
      meetingForm({ repeat: 'weekly', capacity: '', time: '18:00' }),
    );
    expect(earlier.statusCode).toBe(303);
    const moved = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, first!.id));
    expect(moved[0]!.startsAt.toISOString()).toBe(`${daysAhead(10)}T18:00:00.000Z`);
    expect(await statusOf(ana, first!.id)).toBe('going');
    // One notification and one email for the change, listing both dates.
    expect(await kindsFor(ana)).toEqual([{ kind: 'meeting_changed', occurrenceId: first!.id, reason: null }]);
    const mail = await mailTo(ana);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text.match(/^- /gm)).toHaveLength(2);

    // Every two weeks: the second date is gone, cancelled as Ana had answered it; the others go quietly.
    const fortnightly = await owner.agent.post(
      `/g/${group.slug}/meetings/${meetingId}/edit`,
      meetingForm({ repeat: 'fortnightly', capacity: '', time: '18:00' }),
    );
    expect(fortnightly.statusCode).toBe(303);
    const [dropped] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, second!.id));
    expect(dropped!.cancelledAt).not.toBeNull();
    const unanswered = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, rows[3]!.id));
    expect(unanswered).toHaveLength(0);
    expect((await kindsFor(ana)).map((n) => n.kind)).toEqual(['meeting_changed', 'meeting_cancelled']);
    expect(await statusOf(ana, first!.id)).toBe('going');
  });

  it('keeps the answers of a weekly meeting that moves to the next weekday', async () => {
    const { owner, group, meetingId } = await setUp({ repeat: 'weekly', capacity: '' });
    const ana = await member(group.slug, 'Ana');
    const [first] = await db()
      .select()
      .from(meetingOccurrences)
      .where(eq(meetingOccurrences.meetingId, meetingId))
      .orderBy(asc(meetingOccurrences.startsAt))
      .limit(1);
    await answer(ana, first!.id, 'going');
    await owner.agent.get(`/g/${group.slug}/meetings/${meetingId}/edit`);
    const res = await owner.agent.post(
      `/g/${group.slug}/meetings/${meetingId}/edit`,
      meetingForm({ repeat: 'weekly', capacity: '', date: daysAhead(11) }),
    );
    expect(res.statusCode).toBe(303);
    const [moved] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, first!.id));
    expect(moved!.startsAt.toISOString()).toBe(`${daysAhead(11)}T19:00:00.000Z`);
    expect(moved!.cancelledAt).toBeNull();
    expect(await statusOf(ana, first!.id)).toBe('going');
    expect((await kindsFor(ana)).map((n) => n.kind)).toEqual(['meeting_changed']);
  });

  it('moves people up from the waitlist when the places grow', async () => {
    const { owner, group, id, meetingId } = await setUp({ capacity: '1' });
    const ana = await member(group.slug, 'Ana');
    const ben = await member(group.slug, 'Ben');
    await answer(ana, id, 'going');
    await answer(ben, id, 'going');
    expect(await statusOf(ben, id)).toBe('waitlisted');
    await owner.agent.get(`/g/${group.slug}/meetings/${meetingId}/edit`);
    const res = await owner.agent.post(`/g/${group.slug}/meetings/${meetingId}/edit`, meetingForm({ capacity: '3' }));
    expect(res.statusCode).toBe(303);
    expect(await statusOf(ben, id)).toBe('going');
    expect((await kindsFor(ben)).map((n) => n.kind)).toEqual(['meeting_place_offered']);
  });

  it('cancels a whole series, telling each person once', async () => {
    const { owner, group, id, meetingId } = await setUp({ repeat: 'weekly', capacity: '' });
    const ana = await member(group.slug, 'Ana');
    const rows = await db()
      .select()
      .from(meetingOccurrences)
      .where(eq(meetingOccurrences.meetingId, meetingId))
      .orderBy(asc(meetingOccurrences.startsAt));
    await answer(ana, rows[1]!.id, 'going');
    await answer(ana, rows[2]!.id, 'maybe');
    await owner.agent.get(`/meetings/${id}`);
    const res = await owner.agent.post(`/g/${group.slug}/meetings/${meetingId}/cancel`, { note: 'We are closing.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/g/${group.slug}/meetings?notice=meetingsCancelled`);
    expect(await kindsFor(ana)).toEqual([
      { kind: 'meeting_cancelled', occurrenceId: rows[1]!.id, reason: 'We are closing.' },
    ]);
    const mail = await mailTo(ana);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text.match(/^- /gm)).toHaveLength(2);
    expect(textOf((await ana.agent.get(`/g/${group.slug}/meetings`)).body)).not.toContain('Thursday circle');
    // Cancelled is final: it can neither change nor be cancelled again.
    const again = await owner.agent.post(`/g/${group.slug}/meetings/${meetingId}/cancel`, { note: '' });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('This meeting is cancelled, so it can no longer change.');
  });
});

describe('personal data', () => {
  it('exports a member’s answers, and on deleting their account gives their place to the waitlist', async () => {
    const { owner, group, id } = await setUp({ capacity: '1' });
    const ana = await member(group.slug, 'Ana');
    const ben = await member(group.slug, 'Ben');
    await answer(ana, id, 'going');
    await answer(ben, id, 'going');

    const data = await gatherMemberData(db(), ana.id);
    expect(data!.meetings.answers).toEqual([
      expect.objectContaining({
        group: group.name,
        meeting: 'Thursday circle',
        status: 'going',
        address: `/meetings/${id}`,
      }),
    ]);
    expect(data!.meetings.calendarFeed).toBe(false);
    const ownerData = await gatherMemberData(db(), owner.id);
    expect(ownerData!.meetings.scheduled).toEqual([expect.objectContaining({ meeting: 'Thursday circle' })]);

    await ana.agent.get('/account/delete');
    const done = await ana.agent.post('/account/delete', { posts: 'erase', password: ana.password });
    expect(done.headers.location).toBe('/?notice=accountDeleted');
    expect(await statusOf(ana, id)).toBeNull();
    expect(await statusOf(ben, id)).toBe('going');
    expect((await kindsFor(ben)).map((n) => n.kind)).toEqual(['meeting_place_offered']);
    expect(textOf((await owner.agent.get(`/meetings/${id}`)).body)).toContain('1 going');
  });
});
