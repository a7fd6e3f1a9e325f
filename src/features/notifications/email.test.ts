import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { wallClockToUtc } from '../../platform/text/zoned-time.js';
import { startInboundServer } from '../mail-lists/index.js';
import { sendNotificationEmail } from './email.js';
import { createNotifications } from './pipeline.js';
import type { NewNotification } from './service.js';

const MINUTE = 60_000;
const later = (minutes: number) => new Date(Date.now() + minutes * MINUTE);

/*
 * Notification emails: batched (one email for what came together, the next only after the
 * person's interval), discreet unless they ask for details, held in quiet hours on their own
 * clock, never twice, and stopped in one click.
 */
describe('notification emails', () => {
  let world: TestWorld;
  let group: { id: number; slug: string; name: string };
  let threadId: number;
  let replyId: number;
  let counter = 0;

  const db = () => world.database.db;
  const tell = (rows: NewNotification[]) => db().transaction((tx) => createNotifications(tx, rows));
  /** A person with a confirmed address, signed in. */
  async function person(name: string, timeZone = 'UTC') {
    counter += 1;
    const user = await world.createUser(`${name} ${counter}`);
    await db().execute(sql`update users set email_verified_at = now(), time_zone = ${timeZone} where id = ${user.id}`);
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    return { ...user, agent };
  }
  const replyTo = (userId: number): NewNotification => ({
    userId,
    kind: 'reply',
    groupId: group.id,
    threadId,
    postId: replyId,
  });
  const mailTo = async (email: string) => (await world.outbox()).filter((m) => m.to === email);

  beforeAll(async () => {
    world = await createWorld();
    const o = await world.createUser('Owner Otto');
    const owner = world.agent();
    await owner.logIn(o.email, o.password);
    const made = await makeGroup(world, o, { name: 'Sunrise circle' });
    group = { id: made.id, slug: made.slug, name: 'Sunrise circle' };
    const writer: Agent = await world.member('Writer Private Name');
    await writer.post(`/g/${group.slug}/join`, { alias: 'Juniper' });
    const started = await owner.post(`/g/${group.slug}/threads/new`, { title: 'Mornings', body: 'How are mornings?' });
    threadId = Number((started.headers.location as string).split('?')[0]!.split('/').pop());
    const replied = await writer.post(`/threads/${threadId}/replies`, { body: 'Slow, but better.' });
    replyId = Number(/#post-(\d+)/.exec(replied.headers.location as string)![1]);
  });
  afterAll(() => world.close());

  it('sends one discreet email for three notifications, and the next only after the interval', async () => {
    const pat = await person('Pat');
    await tell([replyTo(pat.id), replyTo(pat.id), { ...replyTo(pat.id), kind: 'mention' }]);
    // They wait a few minutes first, so that what comes together goes together.
    await world.tick();
    expect(await mailTo(pat.email)).toHaveLength(0);
    await world.tick(later(6));
    const [mail, ...more] = await mailTo(pat.email);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('You have new notifications on Mutual');
    expect(mail!.text).toContain('You have 2 new replies and 1 new mention on Mutual.');
    expect(mail!.text).toContain('http://localhost:3000/notifications');
    // Nothing a lock screen or a shared inbox should show: no group, no name, no words.
    for (const secret of ['Sunrise', 'Juniper', 'Writer Private Name', 'Mornings', 'Slow, but better']) {
      expect(`${mail!.subject}\n${mail!.text}\n${mail!.html}`).not.toContain(secret);
    }
    expect(mail!.headers?.['List-Unsubscribe']).toMatch(
      /^<http:\/\/localhost:3000\/notifications\/unsubscribe\/[\w-]+>, <mailto:notifications\+[\w-]+@lists\.test>$/,
    );
    expect(mail!.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    // Another one soon after: it waits for the hour since the last email.
    await tell([replyTo(pat.id)]);
    await world.tick(later(20));
    expect(await mailTo(pat.email)).toHaveLength(1);
    await world.tick(later(67));
    const mails = await mailTo(pat.email);
    expect(mails).toHaveLength(2);
    expect(mails[0]!.text).toContain('You have 1 new reply on Mutual.');
  });

  it('lists each notification with its group when the person asks for details', async () => {
    const kim = await person('Kim');
    await db().execute(sql`insert into notification_settings (user_id, email_details) values (${kim.id}, true)`);
    await tell([replyTo(kim.id)]);
    await world.tick(later(6));
    const [mail] = await mailTo(kim.email);
    expect(mail!.text).toContain('You have 1 new reply on Mutual.');
    expect(mail!.text).toContain('- Juniper replied to you in “Mornings”. (Sunrise circle)');
    expect(mail!.text).toMatch(/ {2}http:\/\/localhost:3000\/notifications\/\d+/);
    expect(mail!.html).toContain('Juniper replied to you in “Mornings”.');
    expect(mail!.text).not.toContain('Writer Private Name');
  });

  it('leaves out what was read on the site, and sends nothing twice after a restart', async () => {
    const lou = await person('Lou');
    await tell([replyTo(lou.id), { ...replyTo(lou.id), kind: 'mention' }]);
    const ids = (
      (await db().execute(
        sql`select id, kind from notifications where user_id = ${lou.id} order by id`,
      )) as unknown as {
        rows: { id: number; kind: string }[];
      }
    ).rows;
    // Read on the site: no longer to be emailed.
    await lou.agent.get(`/notifications/${ids[0]!.id}`);
    await world.tick(later(6));
    const [mail] = await mailTo(lou.email);
    expect(mail!.text).toContain('You have 1 new mention on Mutual.');
    // The same job again (a worker that died after sending, before recording it): no second email.
    const job = { userId: lou.id, ids: [Number(ids[1]!.id)] };
    await db().execute(sql`update notifications set emailed_at = null where user_id = ${lou.id}`);
    await db().execute(
      sql`update notifications set email_due_at = now() where user_id = ${lou.id} and kind = 'mention'`,
    );
    expect((await sendNotificationEmail(world.mail, job)).sent).toBe(0);
    expect(await mailTo(lou.email)).toHaveLength(1);
  });

  it('holds email in quiet hours that run past midnight on the person’s own clock', async () => {
    const zone = 'America/New_York';
    const max = await person('Max', zone);
    await db().execute(sql`
      insert into notification_settings (user_id, quiet_from, quiet_until) values (${max.id}, ${22 * 60}, ${7 * 60})`);
    await tell([replyTo(max.id)]);
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(later(24 * 60));
    const night = wallClockToUtc(tomorrow, '03:00', zone)!;
    const morning = wallClockToUtc(tomorrow, '07:30', zone)!;
    await world.tick(night);
    expect(await mailTo(max.email)).toHaveLength(0);
    await world.tick(morning);
    expect(await mailTo(max.email)).toHaveLength(1);
  });

  it('sends nothing to an address whose mail is paused after bounces', async () => {
    const nia = await person('Nia');
    await tell([replyTo(nia.id)]);
    await db().execute(sql`insert into mail_settings (user_id, paused_at) values (${nia.id}, now())`);
    await world.tick(later(6));
    expect(await mailTo(nia.email)).toHaveLength(0);
    const due = (await db().execute(
      sql`select email_due_at from notifications where user_id = ${nia.id}`,
    )) as unknown as { rows: { email_due_at: unknown }[] };
    expect(due.rows[0]!.email_due_at).toBeNull();
  });

  it('stops notification emails in one click, without signing in, and says so', async () => {
    const ola = await person('Ola');
    await tell([replyTo(ola.id)]);
    await world.tick(later(6));
    const [mail] = await mailTo(ola.email);
    const url = /<http:\/\/localhost:3000(\/notifications\/unsubscribe\/[\w-]+)>/.exec(
      mail!.headers!['List-Unsubscribe']!,
    )![1]!;
    await tell([replyTo(ola.id)]);

    const visitor = world.agent();
    const page = await visitor.get(url);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('We will stop emailing you about notifications.');
    // RFC 8058: the mail client posts with no cookies and no CSRF token.
    const done = await world.app.inject({
      method: 'POST',
      url,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.statusCode).toBe(200);
    expect(textOf(done.body)).toContain('We will not email you about notifications any more.');
    const prefs = await ola.agent.get('/account/notifications');
    expect(prefs.body).not.toMatch(/name="reply\.email" checked/);
    expect(prefs.body).toMatch(/name="reply\.inApp" checked/);
    // What was waiting is not sent either.
    await world.tick(later(200));
    expect(await mailTo(ola.email)).toHaveLength(1);
    expect((await visitor.get(url.replace(/-[0-9a-f]+$/, '-0000'))).statusCode).toBe(404);
  });

  it('stops them by mail too, at the address in List-Unsubscribe', async () => {
    const ray = await person('Ray');
    await tell([replyTo(ray.id)]);
    await world.tick(later(6));
    const [mail] = await mailTo(ray.email);
    const address = /<mailto:([^>]+)>/.exec(mail!.headers!['List-Unsubscribe']!)![1]!;
    const server = await startInboundServer(world.mail, { port: 0, host: '127.0.0.1', maxBytes: 50_000 });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });
    try {
      await smtp.sendMail({ from: ray.email, to: address, subject: 'unsubscribe', text: '' });
    } finally {
      smtp.close();
      await server.close();
    }
    const rows = (await db().execute(
      sql`select count(*)::int as n from notification_preferences where user_id = ${ray.id} and not email`,
    )) as unknown as { rows: { n: number }[] };
    expect(Number(rows.rows[0]!.n)).toBeGreaterThan(20);
  });
});
