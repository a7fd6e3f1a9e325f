import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { wallClockToUtc } from '../../platform/text/zoned-time.js';
import { gatherMemberData } from '../privacy/index.js';
import { createNotifications } from './pipeline.js';
import { channelEnabledSql, inQuietHoursSql } from './preferences.js';

/*
 * /account/notifications: each kind on each channel (on the site, by email, push), quiet hours on
 * the person's own clock, how often notification emails may come, and lock-screen privacy.
 */
describe('notification preferences', () => {
  let world: TestWorld;
  let groupId: number;
  let counter = 0;
  const db = () => world.database.db;

  async function person(timeZone = 'UTC') {
    counter += 1;
    const user = await world.createUser(`Chooser ${counter}`);
    await db().execute(sql`update users set email_verified_at = now(), time_zone = ${timeZone} where id = ${user.id}`);
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    return { ...user, agent };
  }
  /** The form as the page has it, with these changes: every box ticked that is ticked now. */
  async function formOf(agent: Awaited<ReturnType<typeof person>>['agent']): Promise<Record<string, string>> {
    const html = (await agent.get('/account/notifications')).body;
    const form: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="checkbox" id="[^"]+" name="([^"]+)"( checked)?/g)) {
      if (m[2]) form[m[1]!] = 'on';
    }
    for (const m of html.matchAll(/<input type="time" id="[^"]+" name="(\w+)" value="([^"]*)"/g)) form[m[1]!] = m[2]!;
    form.emailEvery = /<option value="(\d+)" selected/.exec(html)?.[1] ?? '60';
    return form;
  }
  const enabled = async (userId: number, kind: string, channel: 'inApp' | 'email' | 'push') => {
    const r = (await db().execute(
      sql`select ${channelEnabledSql(sql`${userId}::int`, sql`${kind}::notification_kind`, channel)} as on`,
    )) as unknown as { rows: { on: boolean }[] };
    return r.rows[0]!.on;
  };

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Owner Ines');
    groupId = (await makeGroup(world, owner)).id;
  });
  afterAll(() => world.close());

  it('shows every kind on every channel, grouped as people think of them, with the defaults', async () => {
    const p = await person();
    const res = await p.agent.get('/account/notifications');
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    for (const heading of ['Replies and mentions', 'Private messages', 'Meetings', 'From your groups’ leaders']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Someone replies to your discussion or your post');
    // Defaults: a reply everywhere; support reactions only on the site; a crisis alert always there.
    expect(res.body).toMatch(/name="reply\.email" checked/);
    expect(res.body).toMatch(/name="reply\.push" checked/);
    expect(res.body).not.toMatch(/name="reactions\.email" checked/);
    expect(res.body).not.toContain('name="crisis_alert.inApp"');
    expect(res.body).not.toContain('name="application_decision.email"');
    // Lock-screen details are off until chosen.
    expect(res.body).not.toMatch(/name="emailDetails" checked/);
    expect(res.body).not.toMatch(/name="pushDetails" checked/);
    expect(res.body).toContain('<option value="60" selected>Once an hour</option>');
    expect((await world.agent().get('/account/notifications')).headers.location).toBe(
      '/login?next=%2Faccount%2Fnotifications',
    );
  });

  it('saves each channel of each kind, and what is waiting follows the choice', async () => {
    const p = await person();
    await db().transaction((tx) => createNotifications(tx, [{ userId: p.id, kind: 'reply', groupId }]));
    const form = await formOf(p.agent);
    delete form['reply.email'];
    delete form['mention.push'];
    form['reactions.email'] = 'on';
    form['watched_post.inApp'] = 'on';
    delete form['watched_post.inApp'];
    // A box for what always shows cannot turn it off, even when sent by hand.
    form.emailDetails = 'on';
    form.emailEvery = '240';
    const saved = await p.agent.post('/account/notifications', form);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account/notifications?notice=notificationsSaved');
    expect(await enabled(p.id, 'reply', 'email')).toBe(false);
    expect(await enabled(p.id, 'reply', 'inApp')).toBe(true);
    expect(await enabled(p.id, 'mention', 'push')).toBe(false);
    expect(await enabled(p.id, 'reactions', 'email')).toBe(true);
    expect(await enabled(p.id, 'watched_post', 'inApp')).toBe(false);
    expect(await enabled(p.id, 'crisis_alert', 'inApp')).toBe(true);
    expect(await enabled(p.id, 'application_decision', 'email')).toBe(false);
    // Only what differs from the defaults is kept.
    const kept = (await db().execute(
      sql`select kind from notification_preferences where user_id = ${p.id} order by kind`,
    )) as unknown as { rows: { kind: string }[] };
    expect(kept.rows.map((r) => r.kind).sort()).toEqual(['mention', 'reactions', 'reply', 'watched_post']);
    // The reply waiting for its email is not sent now.
    const waiting = (await db().execute(
      sql`select email_due_at from notifications where user_id = ${p.id}`,
    )) as unknown as { rows: { email_due_at: unknown }[] };
    expect(waiting.rows[0]!.email_due_at).toBeNull();
    const page = await p.agent.get('/account/notifications?notice=notificationsSaved');
    expect(textOf(page.body)).toContain('Your notification choices are saved.');
    expect(page.body).toMatch(/name="emailDetails" checked/);
    expect(page.body).toContain('<option value="240" selected>Every 4 hours</option>');
  });

  it('keeps what was written, with a clear message, when quiet hours are not right', async () => {
    const p = await person();
    const form = await formOf(p.agent);
    delete form['reply.push'];
    const half = await p.agent.post('/account/notifications', { ...form, quietFrom: '22:00', quietUntil: '' });
    expect(half.statusCode).toBe(400);
    expect(textOf(half.body)).toContain('Please give both times, or leave both empty.');
    expect(half.body).toContain('value="22:00"');
    expect(half.body).not.toMatch(/name="reply\.push" checked/);
    const bad = await p.agent.post('/account/notifications', { ...form, quietFrom: '25:00', quietUntil: '07:00' });
    expect(textOf(bad.body)).toContain('Please write a time such as 22:00.');
    const same = await p.agent.post('/account/notifications', { ...form, quietFrom: '07:00', quietUntil: '07:00' });
    expect(textOf(same.body)).toContain('Please choose two different times.');
    const every = await p.agent.post('/account/notifications', { ...form, emailEvery: '7' });
    expect(textOf(every.body)).toContain('Please choose how often we may email you.');
    expect((await p.agent.post('/account/notifications', form, { csrf: 'forged' })).statusCode).toBe(403);
  });

  it('reads quiet hours on the person’s own clock, across midnight, in their time zone', async () => {
    const p = await person('Australia/Sydney');
    const form = await formOf(p.agent);
    expect(
      (await p.agent.post('/account/notifications', { ...form, quietFrom: '21:30', quietUntil: '06:15' })).statusCode,
    ).toBe(303);
    const quiet = async (time: string) => {
      const at = wallClockToUtc('2031-07-01', time, 'Australia/Sydney')!;
      const r = (await db().execute(
        sql`select ${inQuietHoursSql(sql`${p.id}::int`, sql`${at.toISOString()}::timestamptz`)} as q`,
      )) as unknown as { rows: { q: boolean }[] };
      return r.rows[0]!.q;
    };
    expect(await quiet('21:29')).toBe(false);
    expect(await quiet('21:30')).toBe(true);
    expect(await quiet('23:59')).toBe(true);
    expect(await quiet('00:00')).toBe(true);
    expect(await quiet('06:14')).toBe(true);
    expect(await quiet('06:15')).toBe(false);
    expect(await quiet('12:00')).toBe(false);
    const page = await p.agent.get('/account/notifications');
    expect(page.body).toContain('value="21:30"');
    expect(textOf(page.body)).toContain('on your own clock (Australia/Sydney)');
  });

  it('puts the choices in the person’s data archive', async () => {
    const p = await person();
    const form = await formOf(p.agent);
    delete form['mention.email'];
    await p.agent.post('/account/notifications', { ...form, quietFrom: '23:00', quietUntil: '06:00' });
    await db().transaction((tx) => createNotifications(tx, [{ userId: p.id, kind: 'reply', groupId }]));
    const data = await gatherMemberData(db(), p.id);
    expect(data!.notifications.preferences).toEqual([{ kind: 'mention', inApp: true, email: false, push: true }]);
    expect(data!.notifications.settings).toMatchObject({ quietFrom: 23 * 60, quietUntil: 6 * 60, emailDetails: false });
    expect(data!.notifications.notifications).toMatchObject([{ kind: 'reply', readAt: null }]);
  });
});
