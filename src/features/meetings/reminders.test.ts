import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { answer, cancelOccurrenceRow, makeMeeting } from '../../../test/helpers/meetings.js';
import { formatDateTime } from '../../platform/views/time.js';
import { joinGroup } from '../groups/index.js';
import { dueReminders, reminderJobId, sendReminders } from './reminders.js';

/*
 * Meeting reminders as members get them: the worker's ticks run at chosen instants, mail is read
 * from the outbox, notifications from the notifications page. Meetings are a few days ahead of
 * the real clock (each test its own days), as the ticks run all of the worker's work, whose
 * housekeeping forgets the mail ledger's keys 30 days before the tick's "now".
 */

type Person = { id: number; pseudonym: string; email: string; password: string };
const actor = (p: Person) => ({ id: p.id, pseudonym: p.pseudonym, isAdmin: false });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let world: TestWorld;
let counter = 0;

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

/** A person with a confirmed address (unless asked otherwise), in a time zone. */
async function person(name: string, opts: { timeZone?: string; verified?: boolean } = {}): Promise<Person> {
  counter += 1;
  const user = await world.createUser(`${name}${counter}`);
  await world.database.db.execute(sql`update users set time_zone = ${opts.timeZone ?? 'Europe/London'},
    email_verified_at = ${opts.verified === false ? null : new Date().toISOString()}::timestamptz
    where id = ${user.id}`);
  return user;
}

async function agentOf(p: Person): Promise<Agent> {
  const agent = world.agent();
  await agent.logIn(p.email, p.password);
  return agent;
}

async function groupWith(owner: Person, members: Person[], name = `Carers Together ${counter}`) {
  const group = await makeGroup(world, owner, { name });
  for (const m of members) await joinGroup(world.database.db, actor(m), group.slug);
  return group;
}

/** The reminder emails in the outbox, oldest first. */
async function reminderMail() {
  const mail = await world.outbox();
  return mail.filter((m) => m.subject.startsWith('A reminder from Mutual')).reverse();
}
const mailTo = async (p: Person) => (await reminderMail()).filter((m) => m.to === p.email);

async function remindersOf(p: Person): Promise<{ occurrence_id: number; reason: string }[]> {
  const result = await world.database.db.execute(sql`select occurrence_id, reason from notifications
    where user_id = ${p.id} and kind = 'meeting_reminder' order by id`);
  return (result as unknown as { rows: { occurrence_id: number; reason: string }[] }).rows;
}

const flat = (s: string) => s.replace(/\s+/g, ' ');
const DAY = 24 * HOUR;
const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
/** `days` days from today at `hour`:`minute` UTC. */
const ahead = (days: number, hour: number, minute = 0) => new Date(today + days * DAY + hour * HOUR + minute * MINUTE);
/** How the reminder writes a meeting's time on a member's clock. */
const range = (timeZone: string, start: Date, end: Date) =>
  flat(new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short', timeZone }).formatRange(start, end));

/** The next Sunday the UK's clocks change (the last Sunday of March or October), at least a week ahead. */
function nextClockChange(): { date: Date; month: 'march' | 'october' } {
  for (let d = today + 7 * DAY; ; d += DAY) {
    const day = new Date(d);
    const lastSunday = day.getUTCDay() === 0 && new Date(d + 7 * DAY).getUTCMonth() !== day.getUTCMonth();
    if (lastSunday && day.getUTCMonth() === 2) return { date: day, month: 'march' };
    if (lastSunday && day.getUTCMonth() === 9) return { date: day, month: 'october' };
  }
}

describe('meeting reminders', () => {
  it('reminds those going or maybe, 24 hours and 1 hour before, never early and only once', async () => {
    const owner = await person('Owner');
    const going = await person('Going', { timeZone: 'America/New_York' });
    const maybe = await person('Maybe');
    const notGoing = await person('NotGoing');
    const waitlisted = await person('Waiting');
    const group = await groupWith(owner, [going, maybe, notGoing, waitlisted], 'Carers Together');
    const start = ahead(3, 19);
    const { occurrenceIds } = await makeMeeting(world, group, {
      starts: [start],
      title: 'Tuesday circle',
      address: '12 Hope Street, Leeds',
      directions: 'Second floor, the blue door.',
      accessibilityNotes: 'Step-free, with a lift.',
    });
    const [occ] = occurrenceIds as [number];
    await answer(world, occ, going.id, 'going');
    await answer(world, occ, maybe.id, 'maybe');
    await answer(world, occ, notGoing.id, 'not_going');
    await answer(world, occ, waitlisted.id, 'waitlisted');

    // A minute early: nothing.
    await world.tick(new Date(start.getTime() - 24 * HOUR - MINUTE));
    expect(await reminderMail()).toHaveLength(0);
    expect(await remindersOf(going)).toHaveLength(0);

    // 24 hours before: the two who said going or maybe, by email and in the app.
    await world.tick(new Date(start.getTime() - 24 * HOUR));
    let mail = await reminderMail();
    expect(mail.map((m) => m.to).sort()).toEqual([going.email, maybe.email].sort());
    expect(mail.every((m) => m.subject === 'A reminder from Mutual: a meeting in 24 hours')).toBe(true);
    expect(await remindersOf(going)).toEqual([{ occurrence_id: occ, reason: `day:${start.getTime() / 1000}` }]);
    expect(await remindersOf(maybe)).toHaveLength(1);
    expect(await remindersOf(notGoing)).toHaveLength(0);
    expect(await remindersOf(waitlisted)).toHaveLength(0);

    // Ticking again, a minute later, finds nothing more to do.
    await world.tick(new Date(start.getTime() - 24 * HOUR));
    await world.tick(new Date(start.getTime() - 24 * HOUR + MINUTE));
    expect(await reminderMail()).toHaveLength(2);
    expect(await remindersOf(going)).toHaveLength(1);

    // The job again (a retry, a restarted worker, the queue's memory of it gone): nothing twice.
    const data = {
      occurrenceId: occ,
      kind: 'day' as const,
      startsAt: start.toISOString(),
      dueAt: new Date(start.getTime() - 24 * HOUR).toISOString(),
    };
    expect(await sendReminders(world.mail, data)).toEqual({ notified: 0, sent: 0 });
    await world.database.db.execute(sql`delete from pgboss.job where name = 'meetings.reminder'`);
    await world.tick(new Date(start.getTime() - 23 * HOUR));
    const queued = await world.database.db.execute(
      sql`select count(*)::int as n from pgboss.job where name = 'meetings.reminder'`,
    );
    expect((queued as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
    expect(await reminderMail()).toHaveLength(2);
    expect(await remindersOf(maybe)).toHaveLength(1);

    // One hour before.
    await world.tick(new Date(start.getTime() - HOUR - MINUTE));
    expect(await reminderMail()).toHaveLength(2);
    await world.tick(new Date(start.getTime() - HOUR));
    mail = await mailTo(going);
    expect(mail.map((m) => m.subject)).toEqual([
      'A reminder from Mutual: a meeting in 24 hours',
      'A reminder from Mutual: a meeting in 1 hour',
    ]);
    expect((await remindersOf(going)).map((r) => r.reason)).toEqual([
      `day:${start.getTime() / 1000}`,
      `hour:${start.getTime() / 1000}`,
    ]);
    await world.tick(new Date(start.getTime() - HOUR + MINUTE));
    await world.tick(new Date(start.getTime() + MINUTE));
    expect(await reminderMail()).toHaveLength(4);
  });

  it('writes a discreet subject, and a body with the meeting in the member’s own time zone', async () => {
    const owner = await person('Owner');
    const far = await person('Far', { timeZone: 'America/New_York' });
    const group = await groupWith(owner, [far], 'Widowed Parents Circle');
    const start = ahead(5, 18);
    const { occurrenceIds } = await makeMeeting(world, group, {
      starts: [start],
      title: 'Evening share',
      address: '3 Quiet Lane, York',
      directions: 'Ring the bell.',
      accessibilityNotes: 'One step at the door.',
    });
    await answer(world, occurrenceIds[0]!, far.id, 'going');
    await world.tick(new Date(start.getTime() - HOUR));
    const [mail] = await mailTo(far);
    expect(mail!.subject).toBe('A reminder from Mutual: a meeting in 1 hour');
    expect(mail!.subject).not.toMatch(/Widowed|Evening share/);
    expect(mail!.from).toBeNull();
    expect(mail!.headers).toMatchObject({ 'Auto-Submitted': 'auto-generated' });
    const text = flat(mail!.text);
    // The first line names nothing either: mail apps show it beside the subject.
    expect(mail!.text.split('\n')[0]).toBe('Here is the reminder you asked for.');
    expect(text).toContain('Evening share, with Widowed Parents Circle');
    // On the member's clock, not London's nor UTC's.
    expect(text).toContain(
      `${range('America/New_York', start, new Date(start.getTime() + HOUR))} (America/New York time)`,
    );
    expect(range('America/New_York', start, start)).not.toBe(range('UTC', start, start));
    expect(text).toContain('Where: 3 Quiet Lane, York');
    expect(text).toContain('How to get there: Ring the bell.');
    expect(text).toContain('Access: One step at the door.');
    expect(text).toContain(`http://localhost:3000/meetings/${occurrenceIds[0]}`);
    expect(text).toContain('http://localhost:3000/account/meetings');
    expect(mail!.html).toContain('Evening share, with Widowed Parents Circle');
    expect(mail!.html).toContain('href="http://localhost:3000/account/meetings"');
  });

  it('gives members the dial-in number and PIN, and the live room’s link for online meetings', async () => {
    const owner = await person('Owner');
    const member = await person('Member');
    const group = await groupWith(owner, [member]);
    const start = ahead(7, 18);
    const phone = await makeMeeting(world, group, {
      starts: [start],
      kind: 'phone',
      title: 'Phone circle',
      dialIn: '0800 123 4567',
      dialInPin: '4321',
    });
    const online = await makeMeeting(world, group, {
      starts: [new Date(start.getTime() + 2 * HOUR)],
      kind: 'online',
      title: 'Online circle',
    });
    await answer(world, phone.occurrenceIds[0]!, member.id, 'going');
    await answer(world, online.occurrenceIds[0]!, member.id, 'maybe');
    await world.tick(new Date(start.getTime() - HOUR));
    await world.tick(new Date(start.getTime() + HOUR));
    const mail = await mailTo(member);
    const byPhone = mail.find((m) => m.text.includes('Phone circle'))!;
    expect(flat(byPhone.text)).toContain('Dial in: 0800 123 4567 PIN: 4321');
    const inRoom = mail.find((m) => m.text.includes('Online circle'))!;
    expect(inRoom.text).toContain(
      `The live room (it opens 15 minutes before): http://localhost:3000/meetings/${online.occurrenceIds[0]}/room`,
    );
    expect(inRoom.text).not.toContain('0800 123 4567');
  });

  it('shows the reminder on the notifications page, linking to the meeting', async () => {
    const owner = await person('Owner');
    const member = await person('Reader', { timeZone: 'Europe/Paris' });
    const group = await groupWith(owner, [member], 'Grief Support Leeds');
    const start = ahead(9, 17, 30);
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [start], title: 'June circle' });
    await answer(world, occurrenceIds[0]!, member.id, 'going');
    await world.tick(new Date(start.getTime() - 24 * HOUR));
    await world.tick(new Date(start.getTime() - HOUR));
    const agent = await agentOf(member);
    const page = await agent.get('/notifications');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    // On the reader's clock (Paris).
    const date = formatDateTime({ locale: 'en', timeZone: 'Europe/Paris' }, start);
    expect(date).not.toBe(formatDateTime({ locale: 'en', timeZone: 'UTC' }, start));
    expect(text).toContain(`Starting soon: June circle, with Grief Support Leeds, at ${date}.`);
    expect(text).toContain(`A reminder: June circle, with Grief Support Leeds, is on ${date}.`);
    expect(page.body).toContain(`href="/meetings/${occurrenceIds[0]}"`);
  });

  it('follows each member’s settings, saved on /account/meetings', async () => {
    const owner = await person('Owner');
    const noEmail = await person('NoEmail');
    const noApp = await person('NoApp');
    const hourOnly = await person('HourOnly');
    const none = await person('None');
    const group = await groupWith(owner, [noEmail, noApp, hourOnly, none]);
    const settings: [Person, Record<string, string>][] = [
      [noEmail, { inApp: 'on', dayBefore: 'on', hourBefore: 'on' }],
      [noApp, { byEmail: 'on', dayBefore: 'on', hourBefore: 'on' }],
      [hourOnly, { byEmail: 'on', inApp: 'on', hourBefore: 'on' }],
      [none, {}],
    ];
    for (const [p, form] of settings) {
      const agent = await agentOf(p);
      await agent.get('/account/meetings');
      const res = await agent.post('/account/meetings', form);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/account/meetings?notice=meetingRemindersSaved');
    }
    const start = ahead(11, 18);
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [start] });
    for (const p of [noEmail, noApp, hourOnly, none]) await answer(world, occurrenceIds[0]!, p.id, 'going');
    await world.tick(new Date(start.getTime() - 24 * HOUR));
    await world.tick(new Date(start.getTime() - HOUR));
    expect(await mailTo(noEmail)).toHaveLength(0);
    expect(await remindersOf(noEmail)).toHaveLength(2);
    expect(await mailTo(noApp)).toHaveLength(2);
    expect(await remindersOf(noApp)).toHaveLength(0);
    expect((await mailTo(hourOnly)).map((m) => m.subject)).toEqual(['A reminder from Mutual: a meeting in 1 hour']);
    expect((await remindersOf(hourOnly)).map((r) => r.reason)).toEqual([`hour:${start.getTime() / 1000}`]);
    expect(await mailTo(none)).toHaveLength(0);
    expect(await remindersOf(none)).toHaveLength(0);
  });

  it('re-renders the settings form on input no form sends, and refuses a post without its token', async () => {
    const member = await person('Settings');
    const agent = await agentOf(member);
    const page = await agent.get('/account/meetings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="byEmail" checked');
    const bad = await agent.post('/account/meetings', { byEmail: 'yes', hourBefore: 'on' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Please tick the box or leave it empty.');
    // What they sent comes back: the hour's box still ticked, the day's not.
    expect(bad.body).toContain('name="hourBefore" checked');
    expect(bad.body).not.toContain('name="dayBefore" checked');
    const forged = await agent.post('/account/meetings', {}, { csrf: null });
    expect(forged.statusCode).toBe(403);
    expect((await agent.get('/account/meetings')).body).toContain('name="dayBefore" checked');
  });

  it('reminds nobody of a cancelled occurrence, nor members lapsed, removed or banned, and mails no unconfirmed or paused address', async () => {
    const owner = await person('Owner');
    const kept = await person('Kept');
    const removed = await person('Removed');
    const banned = await person('Banned');
    const unconfirmed = await person('Unconfirmed', { verified: false });
    const paused = await person('Paused');
    const group = await groupWith(owner, [kept, removed, banned, unconfirmed, paused]);
    const start = ahead(13, 18);
    const { occurrenceIds } = await makeMeeting(world, group, {
      starts: [start, new Date(start.getTime() + 3 * HOUR)],
    });
    const [first, cancelled] = occurrenceIds as [number, number];
    for (const p of [kept, removed, banned, unconfirmed, paused]) {
      await answer(world, first, p.id, 'going');
      await answer(world, cancelled, p.id, 'going');
    }
    await cancelOccurrenceRow(world, cancelled, 'The room is closed.');
    const db = world.database.db;
    await db.execute(sql`delete from memberships where group_id = ${group.id} and user_id = ${removed.id}`);
    await db.execute(sql`insert into bans (group_id, user_id, reason) values (${group.id}, ${banned.id}, 'Testing')`);
    await db.execute(sql`insert into mail_settings (user_id, paused_at) values (${paused.id}, now())
      on conflict (user_id) do update set paused_at = now()`);
    await world.tick(new Date(start.getTime() - HOUR));
    await world.tick(new Date(start.getTime() + 2 * HOUR));
    expect((await remindersOf(kept)).map((r) => r.occurrence_id)).toEqual([first]);
    expect(await mailTo(kept)).toHaveLength(1);
    for (const p of [removed, banned]) {
      expect(await remindersOf(p)).toHaveLength(0);
      expect(await mailTo(p)).toHaveLength(0);
    }
    for (const p of [unconfirmed, paused]) {
      expect((await remindersOf(p)).map((r) => r.occurrence_id)).toEqual([first]);
      expect(await mailTo(p)).toHaveLength(0);
    }
  });

  it('leaves out a lapsed member of a paid group', async () => {
    const owner = await person('Owner');
    const lapsed = await person('Lapsed');
    const group = await groupWith(owner, [lapsed]);
    await world.database.db.execute(sql`update groups set join_policy = 'paid' where id = ${group.id}`);
    await world.database.db.execute(sql`update memberships set paid_until = now() - interval '30 days'
      where group_id = ${group.id} and user_id = ${lapsed.id}`);
    const start = ahead(15, 18);
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [start] });
    await answer(world, occurrenceIds[0]!, lapsed.id, 'going');
    await world.tick(new Date(start.getTime() - HOUR));
    expect(await remindersOf(lapsed)).toHaveLength(0);
  });

  it('after a worker was down, sends the reminder that still helps, and none once the meeting started', async () => {
    const owner = await person('Owner');
    const both = await person('Both');
    const dayOnly = await person('DayOnly');
    const late = await person('Late');
    const group = await groupWith(owner, [both, dayOnly, late]);
    await (await agentOf(dayOnly)).post('/account/meetings', { byEmail: 'on', inApp: 'on', dayBefore: 'on' });
    const start = ahead(17, 18);
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [start] });
    const occ = occurrenceIds[0]!;
    await answer(world, occ, both.id, 'going');
    await answer(world, occ, dayOnly.id, 'going');
    // Someone who answers 20 minutes before knows already: no reminder for them.
    await answer(world, occ, late.id, 'going', new Date(start.getTime() - 20 * MINUTE));
    // The worker comes back 30 minutes before the start.
    await world.tick(new Date(start.getTime() - 30 * MINUTE));
    expect((await mailTo(both)).map((m) => m.subject)).toEqual(['A reminder from Mutual: a meeting in 30 minutes']);
    expect((await remindersOf(both)).map((r) => r.reason)).toEqual([`hour:${start.getTime() / 1000}`]);
    // Who turned off the hour's reminder gets the day's, late but honest about the time left.
    expect((await mailTo(dayOnly)).map((m) => m.subject)).toEqual(['A reminder from Mutual: a meeting in 30 minutes']);
    expect((await remindersOf(dayOnly)).map((r) => r.reason)).toEqual([`day:${start.getTime() / 1000}`]);
    expect(await remindersOf(late)).toHaveLength(0);

    // A job that runs only after the start reminds of nothing, and after it no work is found.
    const other = await makeMeeting(world, group, { starts: [new Date(start.getTime() + 24 * HOUR)] });
    await answer(world, other.occurrenceIds[0]!, both.id, 'going');
    const job = {
      occurrenceId: other.occurrenceIds[0]!,
      kind: 'hour' as const,
      startsAt: new Date(start.getTime() + 24 * HOUR).toISOString(),
      dueAt: new Date(start.getTime() + 23 * HOUR).toISOString(),
    };
    expect(await sendReminders(world.mail, job, new Date(start.getTime() + 24 * HOUR + MINUTE))).toEqual({
      notified: 0,
      sent: 0,
    });
    expect(await dueReminders(world.database.db, new Date(start.getTime() + 24 * HOUR + MINUTE))).toEqual([]);
    expect(await remindersOf(both)).toHaveLength(1);
  });

  it('reminds of a moved occurrence at its new time, under a new job', async () => {
    const owner = await person('Owner');
    const member = await person('Mover');
    const group = await groupWith(owner, [member]);
    const start = ahead(21, 18);
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [start] });
    const occ = occurrenceIds[0]!;
    await answer(world, occ, member.id, 'going');
    await world.tick(new Date(start.getTime() - HOUR));
    const moved = new Date(start.getTime() + 2 * HOUR);
    await world.database.db.execute(sql`update meeting_occurrences set starts_at = ${moved.toISOString()}::timestamptz,
      ends_at = ${new Date(moved.getTime() + HOUR).toISOString()}::timestamptz where id = ${occ}`);
    const due = await dueReminders(world.database.db, new Date(moved.getTime() - HOUR));
    expect(due.map((d) => [d.occurrenceId, d.kind])).toEqual([[occ, 'hour']]);
    expect(reminderJobId(due[0]!)).not.toBe(
      reminderJobId({ occurrenceId: occ, kind: 'hour', startsAt: start.toISOString() }),
    );
    await world.tick(new Date(moved.getTime() - HOUR));
    expect(await mailTo(member)).toHaveLength(2);
  });

  it('reminds members who answered on the meeting’s page, of a weekly meeting scheduled on its form', async () => {
    const owner = await person('Scheduler');
    const ana = await person('Ana');
    const ben = await person('Ben');
    const cai = await person('Cai');
    const group = await groupWith(owner, [ana, ben, cai], 'Long Covid Circle');
    const day = ahead(23, 12).toISOString().slice(0, 10);
    const scheduler = await agentOf(owner);
    await scheduler.get(`/g/${group.slug}/meetings/new`);
    const scheduled = await scheduler.post(`/g/${group.slug}/meetings/new`, {
      title: 'Weekly check-in',
      description: '',
      kind: 'online',
      date: day,
      time: '19:00',
      timeZone: 'Europe/London',
      duration: '60',
      repeat: 'weekly',
      capacity: '12',
      waitlist: 'on',
    });
    expect(scheduled.statusCode).toBe(303);
    const occ = Number(/^\/meetings\/(\d+)/.exec(String(scheduled.headers.location))?.[1]);
    expect(occ).toBeGreaterThan(0);
    for (const [p, status] of [
      [ana, 'going'],
      [ben, 'maybe'],
      [cai, 'not_going'],
    ] as const) {
      const agent = await agentOf(p);
      await agent.get(`/meetings/${occ}`);
      expect((await agent.post(`/meetings/${occ}/rsvp`, { status })).statusCode).toBe(303);
    }
    const result = await world.database.db.execute(sql`select starts_at from meeting_occurrences where id = ${occ}`);
    const start = new Date((result as unknown as { rows: { starts_at: string | Date }[] }).rows[0]!.starts_at);
    await world.tick(new Date(start.getTime() - 24 * HOUR));
    expect((await mailTo(ana)).map((m) => m.subject)).toEqual(['A reminder from Mutual: a meeting in 24 hours']);
    expect(await mailTo(ben)).toHaveLength(1);
    expect(await mailTo(cai)).toHaveLength(0);
    expect(await mailTo(owner)).toHaveLength(0);
    expect((await mailTo(ana))[0]!.text).toContain(`http://localhost:3000/meetings/${occ}/room`);
    await world.tick(new Date(start.getTime() - HOUR));
    // Next week's date was not answered: no reminder for it.
    await world.tick(new Date(start.getTime() + 7 * DAY - 24 * HOUR));
    await world.tick(new Date(start.getTime() + 7 * DAY - HOUR));
    expect(await mailTo(ana)).toHaveLength(2);
    expect((await remindersOf(ana)).map((r) => r.occurrence_id)).toEqual([occ, occ]);
  });

  it('counts 24 hours as 24 hours across a change of the clocks, whatever the database session’s time zone', async () => {
    const owner = await person('Owner');
    const member = await person('Clocks');
    const group = await groupWith(owner, [member]);
    // 19:00 in London on the Sunday the clocks change: 19:00 UTC in October (back to GMT at 02:00),
    // 18:00 UTC in March (forward to summer time at 01:00). 24 hours before is not 19:00 on the
    // Saturday's clock: 20:00 in October, 18:00 in March.
    const change = nextClockChange();
    const start = new Date(change.date.getTime() + (change.month === 'october' ? 19 : 18) * HOUR);
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [start], timeZone: 'Europe/London' });
    await answer(world, occurrenceIds[0]!, member.id, 'going');
    const db = world.database.db;
    // A session on London time, where "1 day" before would be 23 or 25 hours.
    await db.execute(sql`set timezone = 'Europe/London'`);
    try {
      await world.tick(new Date(start.getTime() - 25 * HOUR));
      await world.tick(new Date(start.getTime() - 24 * HOUR - MINUTE));
      expect(await mailTo(member)).toHaveLength(0);
      await world.tick(new Date(start.getTime() - 24 * HOUR));
      const mail = await mailTo(member);
      expect(mail.map((m) => m.subject)).toEqual(['A reminder from Mutual: a meeting in 24 hours']);
      // The body reads on the member's clock: 7 pm, after the change.
      const time = range('Europe/London', start, new Date(start.getTime() + HOUR));
      expect(time).toContain('7:00 – 8:00 PM');
      expect(flat(mail[0]!.text)).toContain(`${time} (Europe/London time)`);
    } finally {
      await db.execute(sql`reset timezone`);
    }
  });
});
