import { sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { answer, cancelOccurrenceRow, makeMeeting } from '../../../test/helpers/meetings.js';
import { joinGroup } from '../groups/index.js';

/*
 * Calendar feeds as calendar apps read them: fetched over HTTP and parsed with ical.js, an
 * iCalendar parser written by others, so that "valid" means what it says.
 */

type Person = { id: number; pseudonym: string; email: string; password: string };
const actor = (p: Person) => ({ id: p.id, pseudonym: p.pseudonym, isAdmin: false });
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let world: TestWorld;
let counter = 0;

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

async function person(name: string): Promise<Person> {
  counter += 1;
  return world.createUser(`${name}${counter}`);
}
async function agentOf(p: Person): Promise<Agent> {
  const agent = world.agent();
  await agent.logIn(p.email, p.password);
  return agent;
}

interface FeedEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location: string | null;
  description: string;
  status: string;
  sequence: number;
  url: string;
}

/** Parses a feed as a calendar app would, and checks what RFC 5545 requires of it. */
function parseFeed(text: string): { name: string; events: FeedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
  // Every time in UTC ("…Z"), no zone definitions needed.
  expect(text).not.toContain('TZID');
  for (const line of text.split('\r\n').filter((l) => /^(DTSTART|DTEND|DTSTAMP)/.test(l))) {
    expect(line).toMatch(/^(DTSTART|DTEND|DTSTAMP):\d{8}T\d{6}Z$/);
  }
  const events = calendar.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v);
    expect(v.getFirstPropertyValue('dtstamp')).toBeTruthy();
    return {
      uid: event.uid,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      summary: event.summary,
      location: event.location || null,
      description: event.description,
      status: String(v.getFirstPropertyValue('status')),
      sequence: event.sequence,
      url: String(v.getFirstPropertyValue('url')),
    };
  });
  return {
    name: String(calendar.getFirstPropertyValue('name') ?? calendar.getFirstPropertyValue('x-wr-calname')),
    events,
  };
}

const uid = (id: number) => `occurrence-${id}@localhost`;
const soon = (days: number, hour = 18) =>
  new Date(
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) + days * DAY + hour * HOUR,
  );

async function publicSchedule() {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner, { name: 'Open Hearts', visibility: 'public' });
  const inPerson = await makeMeeting(world, group, {
    starts: [soon(-40), soon(-10), soon(3), soon(10), soon(200)],
    title: 'Tuesday circle',
    description: 'We share how the week went.\n\nTea from 6:45.',
    address: '12 Hope Street, Leeds',
    directions: 'The blue door.',
    accessibilityNotes: 'Step-free.',
  });
  const phone = await makeMeeting(world, group, {
    starts: [soon(4)],
    kind: 'phone',
    title: 'Phone circle',
    dialIn: '0800 123 4567',
    dialInPin: '9876',
  });
  const online = await makeMeeting(world, group, { starts: [soon(5, 19)], kind: 'online', title: 'Online circle' });
  return { owner, group, inPerson, phone, online };
}

describe('a group’s calendar feed', () => {
  it('lists a public group’s meetings for anyone, one valid event per occurrence, without dial-in details', async () => {
    const { group, inPerson, phone, online } = await publicSchedule();
    const [, recent, next, later] = inPerson.occurrenceIds as [number, number, number, number, number];
    await cancelOccurrenceRow(world, later, 'The hall is closed for repairs.');
    const res = await world.agent().get(`/g/${group.slug}/meetings.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const feed = parseFeed(res.body);
    expect(feed.name).toBe('Meetings of Open Hearts');
    // 30 days back to six months ahead: not 40 days ago, not 200 days ahead.
    expect(feed.events.map((e) => e.uid)).toEqual(
      [recent, next, phone.occurrenceIds[0]!, online.occurrenceIds[0]!, later].map(uid),
    );
    const byUid = new Map(feed.events.map((e) => [e.uid, e]));
    const tuesday = byUid.get(uid(next))!;
    expect(tuesday.start).toEqual(soon(3));
    expect(tuesday.end).toEqual(new Date(soon(3).getTime() + HOUR));
    expect(tuesday.summary).toBe('Tuesday circle');
    expect(tuesday.location).toBe('12 Hope Street, Leeds');
    expect(tuesday.status).toBe('CONFIRMED');
    expect(tuesday.url).toBe(`http://localhost:3000/meetings/${next}`);
    expect(tuesday.description).toContain('Group: Open Hearts');
    expect(tuesday.description).toContain('We share how the week went.\n\nTea from 6:45.');
    expect(tuesday.description).toContain('How to get there: The blue door.');
    expect(tuesday.description).toContain('Access: Step-free.');
    const cancelled = byUid.get(uid(later))!;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.description).toContain('This meeting is cancelled: The hall is closed for repairs.');
    const room = byUid.get(uid(online.occurrenceIds[0]!))!;
    expect(room.location).toBe(`http://localhost:3000/meetings/${online.occurrenceIds[0]}/room`);
    const byPhone = byUid.get(uid(phone.occurrenceIds[0]!))!;
    expect(byPhone.location).toBeNull();
    expect(byPhone.description).toContain('By phone: members find the number on the meeting’s page.');
    // Nowhere in the file, however folded.
    const unfolded = res.body.replace(/\r\n[ \t]/g, '');
    expect(unfolded).not.toContain('0800 123 4567');
    expect(unfolded).not.toContain('9876');

    // A calendar app that has it already is told so.
    const again = await world.agent().get(`/g/${group.slug}/meetings.ics`, {
      'if-none-match': String(res.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('grows an event’s SEQUENCE as its meeting changes or it is cancelled, keeping its UID', async () => {
    const { group, inPerson } = await publicSchedule();
    const occ = inPerson.occurrenceIds[2]!;
    const read = async () =>
      parseFeed((await world.agent().get(`/g/${group.slug}/meetings.ics`)).body).events.find(
        (e) => e.uid === uid(occ),
      )!;
    const first = await read();
    await world.database.db.execute(sql`update meetings set title = 'Tuesday evening circle',
      updated_at = created_at + interval '10 minutes' where id = ${inPerson.meetingId}`);
    const edited = await read();
    expect(edited.summary).toBe('Tuesday evening circle');
    expect(edited.sequence).toBeGreaterThan(first.sequence);
    await world.database.db.execute(sql`update meeting_occurrences set cancelled_at = (select created_at from meetings
      where id = ${inPerson.meetingId}) + interval '20 minutes' where id = ${occ}`);
    const cancelled = await read();
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.sequence).toBeGreaterThan(edited.sequence);
  });

  it('keeps a members-only group’s feed for those who may read the group', async () => {
    const owner = await person('Owner');
    const member = await person('Member');
    const stranger = await person('Stranger');
    const group = await makeGroup(world, owner, { name: 'Quiet Room', visibility: 'members' });
    await joinGroup(world.database.db, actor(member), group.slug);
    const { occurrenceIds } = await makeMeeting(world, group, {
      starts: [soon(6)],
      kind: 'phone',
      title: 'Closed circle',
      dialIn: '0800 765 4321',
      dialInPin: '1111',
    });
    const url = `/g/${group.slug}/meetings.ics`;
    const visitor = await world.agent().get(url);
    expect(visitor.statusCode).toBe(403);
    expect(visitor.body).not.toContain('Closed circle');
    const outsider = await (await agentOf(stranger)).get(url);
    expect(outsider.statusCode).toBe(403);
    expect(outsider.body).not.toContain('Closed circle');
    const res = await (await agentOf(member)).get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers.etag).toBeUndefined();
    expect(parseFeed(res.body).events.map((e) => e.uid)).toEqual([uid(occurrenceIds[0]!)]);
    // A group's feed is a file that can be passed on: dial-in details stay on the meeting's page.
    expect(res.body).not.toContain('0800 765 4321');
    expect((await world.agent().get('/g/no-such-group/meetings.ics')).statusCode).toBe(404);
  });
});

describe('a member’s private calendar', () => {
  /** Makes (or makes anew) the person's address through the page, and returns its token. */
  async function makeAddress(agent: Agent): Promise<string> {
    await agent.get('/account/meetings');
    const res = await agent.post('/account/meetings/calendar/reset');
    expect(res.statusCode).toBe(200);
    const token = /http:\/\/localhost:3000\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(res.body)?.[1];
    expect(token).toBeTruthy();
    expect(res.body).toContain(`href="webcal://localhost:3000/calendar/${token}.ics"`);
    return token!;
  }

  it('shows the meetings they answered, with dial-in details, at an address only they have', async () => {
    const { owner, group, inPerson, phone, online } = await publicSchedule();
    const member = await person('Member');
    await joinGroup(world.database.db, actor(member), group.slug);
    const closed = await makeGroup(world, owner, { name: 'Quiet Room', visibility: 'members' });
    await joinGroup(world.database.db, actor(member), closed.slug);
    const closedPhone = await makeMeeting(world, closed, {
      starts: [soon(8)],
      kind: 'phone',
      title: 'Closed phone circle',
      dialIn: '0800 222 3333',
      dialInPin: '2468',
    });
    const [old, recent, next, later] = inPerson.occurrenceIds as [number, number, number, number, number];
    await answer(world, old, member.id, 'going');
    await answer(world, recent, member.id, 'going');
    await answer(world, next, member.id, 'maybe');
    await answer(world, later, member.id, 'not_going');
    await answer(world, phone.occurrenceIds[0]!, member.id, 'waitlisted');
    await answer(world, closedPhone.occurrenceIds[0]!, member.id, 'going');
    await answer(world, online.occurrenceIds[0]!, owner.id, 'going');

    const agent = await agentOf(member);
    const token = await makeAddress(agent);
    const res = await world.agent().get(`/calendar/${token}.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex');
    const feed = parseFeed(res.body);
    expect(feed.name).toBe('My meetings on Mutual');
    expect(feed.events.map((e) => [e.uid, e.status])).toEqual([
      [uid(recent), 'CONFIRMED'],
      [uid(next), 'TENTATIVE'],
      [uid(phone.occurrenceIds[0]!), 'TENTATIVE'],
      [uid(closedPhone.occurrenceIds[0]!), 'CONFIRMED'],
    ]);
    const closedEvent = feed.events.at(-1)!;
    expect(closedEvent.location).toBe('0800 222 3333');
    expect(closedEvent.description).toContain('Dial in: 0800 222 3333');
    expect(closedEvent.description).toContain('PIN: 2468');
    expect(feed.events[2]!.description).toContain('You are on the waitlist for a place.');
    expect(feed.events[1]!.description).toContain('You said you might go.');
    // Nothing of who they are.
    expect(res.body).not.toContain(member.pseudonym);
    expect(res.body).not.toContain(member.email);

    // The page does not show the address again, and the database keeps only its hash.
    const page = await agent.get('/account/meetings');
    expect(page.body).not.toContain(token);
    expect(textOf(page.body)).toContain('You have a calendar address.');
    const stored = await world.database.db.execute(sql`select * from calendar_feeds where user_id = ${member.id}`);
    expect(JSON.stringify((stored as unknown as { rows: unknown[] }).rows)).not.toContain(token);

    // Leaving a group takes its meetings out.
    await world.database.db.execute(
      sql`delete from memberships where group_id = ${closed.id} and user_id = ${member.id}`,
    );
    const after = parseFeed((await world.agent().get(`/calendar/${token}.ics`)).body);
    expect(after.events.map((e) => e.uid)).not.toContain(uid(closedPhone.occurrenceIds[0]!));
    expect(after.events).toHaveLength(3);
  });

  it('stops the old address at once when a new one is made', async () => {
    const member = await person('Resetter');
    const agent = await agentOf(member);
    const page = await agent.get('/account/meetings');
    expect(textOf(page.body)).toContain('You have no calendar address yet.');
    const first = await makeAddress(agent);
    expect((await world.agent().get(`/calendar/${first}.ics`)).statusCode).toBe(200);
    const second = await makeAddress(agent);
    expect(second).not.toBe(first);
    expect((await world.agent().get(`/calendar/${first}.ics`)).statusCode).toBe(404);
    const res = await world.agent().get(`/calendar/${second}.ics`);
    expect(res.statusCode).toBe(200);
    expect(parseFeed(res.body).events).toEqual([]);
    for (const wrong of ['nothing', `${second.slice(0, -1)}A`, `${'A'.repeat(43)}`]) {
      expect((await world.agent().get(`/calendar/${wrong}.ics`)).statusCode).toBe(404);
    }
    // Making an address is a state change: it needs the page's token, and a signed-in person.
    expect((await agent.post('/account/meetings/calendar/reset', {}, { csrf: null })).statusCode).toBe(403);
    const visitor = await world.agent().post('/account/meetings/calendar/reset');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Faccount%2Fmeetings%2Fcalendar%2Freset');
  });

  it('slows down anyone guessing addresses', async () => {
    const limited = await createWorld({ limits: { post: { max: 3, timeWindow: 60_000 } } });
    try {
      // The site is set up (its first account made), or every address leads to the set-up page.
      await limited.createUser('First');
      const agent = limited.agent();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await agent.get(`/calendar/${'B'.repeat(42)}${i}.ics`)).statusCode);
      expect(statuses).toEqual([404, 404, 404, 429]);
    } finally {
      await limited.close();
    }
  });
});
