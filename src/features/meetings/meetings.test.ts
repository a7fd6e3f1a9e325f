import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { users } from '../accounts/schema.js';
import { joinGroup } from '../groups/index.js';
import { meetingOccurrences, meetings } from './schema.js';

/*
 * Scheduling meetings as a group's leaders do it and reading them as members and visitors do:
 * through the pages. Answers, places and the waitlist are in rsvp.test.ts.
 */

let world: TestWorld;
const db = () => world.database.db;

interface Person {
  id: number;
  email: string;
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

async function groupWithOwner(visibility: 'public' | 'members' = 'public') {
  const owner = await person('Owner', 'Europe/London');
  const group = await makeGroup(world, owner, { name: `Evening Circle ${made}`, visibility });
  return { owner, group };
}

/** A date `days` from now, as a form's date field. */
const daysAhead = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString().slice(0, 10);

export const meetingForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
  title: 'Tuesday circle',
  description: 'We **listen** to each other.',
  kind: 'online',
  date: daysAhead(10),
  time: '19:00',
  timeZone: 'Europe/London',
  duration: '60',
  repeat: 'once',
  rrule: '',
  address: '',
  directions: '',
  accessibilityNotes: '',
  dialIn: '',
  dialInPin: '',
  capacity: '12',
  waitlist: 'on',
  ...overrides,
});

/** Schedules through the form; returns the first occurrence's id. */
async function schedule(owner: Person, slug: string, form = meetingForm()): Promise<number> {
  await owner.agent.get(`/g/${slug}/meetings/new`);
  const res = await owner.agent.post(`/g/${slug}/meetings/new`, form);
  expect(res.statusCode, textOf(res.body)).toBe(303);
  const match = /^\/meetings\/(\d+)\?notice=meetingsScheduled$/.exec(String(res.headers.location));
  expect(match).not.toBeNull();
  return Number(match![1]);
}

async function occurrencesOfMeetingAt(occurrenceId: number) {
  const [o] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, occurrenceId));
  return db()
    .select()
    .from(meetingOccurrences)
    .where(eq(meetingOccurrences.meetingId, o!.meetingId))
    .orderBy(asc(meetingOccurrences.startsAt));
}

/** The first Tuesday of next October (or this one, if it is still months away). */
function firstTuesdayOfOctober(): string {
  const now = new Date();
  const year = now.getUTCFullYear() + (now.getUTCMonth() >= 7 ? 1 : 0);
  const day = new Date(Date.UTC(year, 9, 1));
  while (day.getUTCDay() !== 2) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('scheduling a meeting', () => {
  it('schedules a one-off meeting, shown to members in their own time zone and the meeting’s', async () => {
    const { owner, group } = await groupWithOwner();
    const member = await person('Member', 'America/New_York');
    await join(member, group.slug);
    const date = daysAhead(20);
    const id = await schedule(owner, group.slug, meetingForm({ date, time: '19:00', timeZone: 'Europe/London' }));

    const rows = await occurrencesOfMeetingAt(id);
    expect(rows).toHaveLength(1);
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, rows[0]!.meetingId));
    expect(meeting!.rrule).toBeNull();
    expect(meeting!.createdBy).toBe(owner.id);
    expect(rows[0]!.endsAt.getTime() - rows[0]!.startsAt.getTime()).toBe(60 * 60_000);

    const page = await member.agent.get(`/meetings/${id}`);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Tuesday circle');
    expect(page.body).toContain('<strong>listen</strong>');
    expect(text).toContain('(America/New_York)');
    expect(text).toContain('7:00 PM in Europe/London');
    expect(text).toContain('0 going · 12 places left');
    expect(page.body).toContain(`href="/meetings/${id}/room"`);

    const list = textOf((await member.agent.get(`/g/${group.slug}/meetings`)).body);
    expect(list).toContain('Tuesday circle');
    expect(list).toContain('12 places left');
  });

  it('keeps "every second Tuesday at 19:00 Europe/London" at 19:00 on London’s clock across the change to winter time', async () => {
    const { owner, group } = await groupWithOwner();
    const date = firstTuesdayOfOctober();
    const id = await schedule(
      owner,
      group.slug,
      meetingForm({
        title: 'Fortnightly circle',
        date,
        time: '19:00',
        timeZone: 'Europe/London',
        repeat: 'fortnightly',
      }),
    );
    const rows = await occurrencesOfMeetingAt(id);
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, rows[0]!.meetingId));
    expect(meeting!.rrule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU');
    // Summer time (UTC+1) for the first two, winter time (UTC+0) after the last Sunday of October.
    const first = new Date(`${date}T18:00:00Z`);
    const day = 24 * 3600_000;
    expect(rows.slice(0, 3).map((r) => r.startsAt.toISOString())).toEqual([
      first.toISOString(),
      new Date(first.getTime() + 14 * day).toISOString(),
      new Date(first.getTime() + 28 * day + 3600_000).toISOString(),
    ]);
    expect(rows.every((r) => r.originalStartsAt.getTime() === r.startsAt.getTime())).toBe(true);
    // Six months of fortnights, give or take one.
    expect(rows.length).toBeGreaterThanOrEqual(13);
    expect(rows.length).toBeLessThanOrEqual(15);

    // A visitor (UTC) sees 6 PM, then 7 PM; a Londoner sees 7 PM both times.
    const visitorList = textOf((await world.agent().get(`/g/${group.slug}/meetings`)).body);
    expect(visitorList).toMatch(
      /Tuesday, October \d+, \d{4} at 6:00 PM ?– ?7:00 PM \(UTC\) · 7:00 PM in Europe\/London/,
    );
    expect(visitorList).toMatch(
      /Tuesday, November \d+, \d{4} at 7:00 PM ?– ?8:00 PM \(UTC\) · 7:00 PM in Europe\/London/,
    );
    const ownerList = textOf((await owner.agent.get(`/g/${group.slug}/meetings`)).body);
    expect(ownerList).not.toContain('6:00 PM');
    const page = textOf((await owner.agent.get(`/meetings/${id}`)).body);
    expect(page).toContain('Repeats every 2 weeks on Tuesday at 7 PM (Europe/London time).');
  });

  it('takes an RFC 5545 rule: the second Tuesday of each month, and the last Friday', async () => {
    const { owner, group } = await groupWithOwner();
    const id = await schedule(
      owner,
      group.slug,
      meetingForm({ date: daysAhead(3), repeat: 'custom', rrule: 'rrule:freq=monthly;byday=2TU;count=4' }),
    );
    const rows = await occurrencesOfMeetingAt(id);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      const local = new Date(r.startsAt.toLocaleString('en-US', { timeZone: 'Europe/London' }));
      expect(local.getDay()).toBe(2);
      expect(Math.ceil(local.getDate() / 7)).toBe(2);
      expect(local.getHours()).toBe(19);
    }
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, rows[0]!.meetingId));
    expect(meeting!.rrule).toBe('FREQ=MONTHLY;BYDAY=2TU;COUNT=4');
    // The first meeting is the rule's first date, so DTSTART agrees with the rule.
    expect(meeting!.startsAt.toISOString()).toBe(rows[0]!.startsAt.toISOString());

    const last = await schedule(
      owner,
      group.slug,
      meetingForm({
        date: daysAhead(3),
        repeat: 'custom',
        rrule: 'FREQ=MONTHLY;BYDAY=-1FR;UNTIL=' + daysAhead(100).replaceAll('-', ''),
      }),
    );
    const fridays = await occurrencesOfMeetingAt(last);
    expect(fridays.length).toBeGreaterThanOrEqual(3);
    expect(fridays.length).toBeLessThanOrEqual(4);
    for (const r of fridays) {
      const local = new Date(r.startsAt.toLocaleString('en-US', { timeZone: 'Europe/London' }));
      expect(local.getDay()).toBe(5);
      const nextWeek = new Date(local.getTime() + 7 * 24 * 3600_000);
      expect(nextWeek.getMonth()).not.toBe(local.getMonth());
    }
  });

  it('offers the monthly choice on the same weekday of the month as the first date', async () => {
    const { owner, group } = await groupWithOwner();
    // The 9th to the 15th is always the second week.
    const date = new Date(Date.now() + 40 * 24 * 3600_000);
    date.setUTCDate(10);
    const id = await schedule(
      owner,
      group.slug,
      meetingForm({ date: date.toISOString().slice(0, 10), repeat: 'monthly', timeZone: 'UTC', time: '12:00' }),
    );
    const rows = await occurrencesOfMeetingAt(id);
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, rows[0]!.meetingId));
    const code = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][date.getUTCDay()];
    expect(meeting!.rrule).toBe(`FREQ=MONTHLY;BYDAY=2${code}`);
    // The edit form shows the choice it was made with.
    const edit = await owner.agent.get(`/g/${group.slug}/meetings/${meeting!.id}/edit`);
    expect(edit.body).toMatch(/id="repeat-monthly"[^>]*checked/);
  });

  it('makes rows six months ahead, and the worker tops them up as time passes', async () => {
    const { owner, group } = await groupWithOwner();
    const id = await schedule(owner, group.slug, meetingForm({ date: daysAhead(2), repeat: 'weekly' }));
    const before = await occurrencesOfMeetingAt(id);
    expect(before.length).toBeGreaterThanOrEqual(25);
    expect(before.length).toBeLessThanOrEqual(27);
    const later = new Date(Date.now() + 60 * 24 * 3600_000);
    await world.tick(later);
    const after = await occurrencesOfMeetingAt(id);
    expect(after.length - before.length).toBeGreaterThanOrEqual(8);
    expect(after.length - before.length).toBeLessThanOrEqual(10);
    // Running it again makes nothing twice.
    await world.tick(later);
    expect(await occurrencesOfMeetingAt(id)).toHaveLength(after.length);
  });

  it('shows an in-person meeting’s address to readers, and a phone meeting’s number to members only', async () => {
    const { owner, group } = await groupWithOwner('public');
    const member = await person('Member');
    await join(member, group.slug);
    const stranger = await person('Stranger');
    const visitor = world.agent();
    const room = await schedule(
      owner,
      group.slug,
      meetingForm({
        kind: 'in_person',
        address: '12 Hope Street, Leeds',
        directions: 'Side door.\nSecond floor.',
        accessibilityNotes: 'Step-free; hearing loop.',
        // Left over from another kind: not kept.
        dialIn: '+44 20 7946 0000',
      }),
    );
    const inPerson = textOf((await visitor.get(`/meetings/${room}`)).body);
    expect(inPerson).toContain('12 Hope Street, Leeds');
    expect(inPerson).toContain('Side door. Second floor.');
    expect(inPerson).toContain('Step-free; hearing loop.');
    expect(inPerson).not.toContain('7946');

    const phone = await schedule(
      owner,
      group.slug,
      meetingForm({ kind: 'phone', dialIn: '+44 20 7946 0000', dialInPin: '4321' }),
    );
    for (const reader of [visitor, stranger.agent]) {
      const page = await reader.get(`/meetings/${phone}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('7946');
      expect(page.body).not.toContain('4321');
      expect(textOf(page.body)).toContain('The dial-in number is shown to the group’s members.');
    }
    const forMember = await member.agent.get(`/meetings/${phone}`);
    expect(forMember.body).toContain('href="tel:+442079460000"');
    expect(textOf(forMember.body)).toContain('4321');
    expect((await owner.agent.get(`/meetings/${phone}`)).body).toContain('4321');
  });

  it('re-renders the form with the person’s text and clear messages when something is wrong', async () => {
    const { owner, group } = await groupWithOwner();
    await owner.agent.get(`/g/${group.slug}/meetings/new`);
    const bad = await owner.agent.post(
      `/g/${group.slug}/meetings/new`,
      meetingForm({
        title: 'Wednesday <b>circle</b>',
        kind: 'in_person',
        repeat: 'custom',
        rrule: 'FREQ=WEEKLY;BYDAY=XX',
        capacity: 'lots',
      }),
    );
    expect(bad.statusCode).toBe(400);
    const text = textOf(bad.body);
    expect(text).toContain('Please give the address of an in-person meeting.');
    expect(text).toContain('Places are a whole number from 1 to 1000, or empty for no limit.');
    expect(bad.body).toContain('value="Wednesday &lt;b>circle&lt;/b>"');
    expect(bad.body).toContain('value="lots"');
    expect(bad.body).toMatch(/id="repeat-custom"[^>]*checked/);

    const rule = await owner.agent.post(
      `/g/${group.slug}/meetings/new`,
      meetingForm({ repeat: 'custom', rrule: 'FREQ=WEEKLY;BYDAY=XX' }),
    );
    expect(rule.statusCode).toBe(400);
    expect(textOf(rule.body)).toContain('“XX” is not a day we know.');
    expect(rule.body).toContain('value="FREQ=WEEKLY;BYDAY=XX"');
    for (const [rrule, message] of [
      ['FREQ=YEARLY', 'Start the rule with how often: FREQ=DAILY, FREQ=WEEKLY or FREQ=MONTHLY.'],
      ['FREQ=WEEKLY;BYSETPOS=1', 'Meetings don’t use “BYSETPOS”.'],
      ['FREQ=WEEKLY;BYDAY=2TU', '“2TU” is not a day we know.'],
      ['FREQ=DAILY;COUNT=2;UNTIL=20300101', 'Please use COUNT or UNTIL, not both.'],
      ['', 'Please write the rule, or choose another way of repeating.'],
    ] as const) {
      const res = await owner.agent.post(`/g/${group.slug}/meetings/new`, meetingForm({ repeat: 'custom', rrule }));
      expect(res.statusCode).toBe(400);
      expect(textOf(res.body)).toContain(message);
    }
    const past = await owner.agent.post(`/g/${group.slug}/meetings/new`, meetingForm({ date: daysAhead(-2) }));
    expect(past.statusCode).toBe(400);
    expect(textOf(past.body)).toContain('That time has passed.');
    const zone = await owner.agent.post(`/g/${group.slug}/meetings/new`, meetingForm({ timeZone: 'Mars/Olympus' }));
    expect(zone.statusCode).toBe(400);
    expect(textOf(zone.body)).toContain('Please choose a time zone from the list.');
  });

  it('refuses those who may not schedule, and hides a members-only group’s meetings from outsiders', async () => {
    const { owner, group } = await groupWithOwner('members');
    const member = await person('Member');
    await join(member, group.slug);
    const id = await schedule(owner, group.slug);
    const [row] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, id));

    expect((await member.agent.get(`/g/${group.slug}/meetings/new`)).statusCode).toBe(403);
    expect((await member.agent.post(`/g/${group.slug}/meetings/new`, meetingForm())).statusCode).toBe(403);
    expect((await member.agent.post(`/g/${group.slug}/meetings/${row!.meetingId}/cancel`)).statusCode).toBe(403);
    expect((await member.agent.post(`/meetings/${id}/cancel`, { note: '' })).statusCode).toBe(403);
    expect((await member.agent.get(`/meetings/${id}/move`)).statusCode).toBe(403);
    expect((await member.agent.get(`/meetings/${id}`)).statusCode).toBe(200);

    const outsider = await person('Outsider');
    const hidden = await outsider.agent.get(`/meetings/${id}`);
    const missing = await outsider.agent.get('/meetings/2000000000');
    expect(hidden.statusCode).toBe(404);
    expect(textOf(hidden.body)).toBe(textOf(missing.body));
    expect((await outsider.agent.post(`/meetings/${id}/rsvp`, { status: 'going' })).statusCode).toBe(404);
    expect((await outsider.agent.get(`/g/${group.slug}/meetings`)).statusCode).toBe(403);
    expect((await world.agent().get(`/meetings/${id}`)).statusCode).toBe(404);
    const login = await world.agent().get(`/g/${group.slug}/meetings/new`);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe(`/login?next=${encodeURIComponent(`/g/${group.slug}/meetings/new`)}`);
  });
});
