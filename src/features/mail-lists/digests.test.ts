import { sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { TestSmtpServer } from '../../../test/helpers/smtp.js';
import { createJobQueue } from '../../platform/jobs/queue.js';
import type { MailTransport } from '../../platform/mail/mailer.js';
import { formatDateTime } from '../../platform/views/time.js';
import { blockMemberByName } from '../blocking/index.js';
import { replyToThread, toggleReaction } from '../forum/index.js';
import { joinGroup } from '../groups/index.js';
import { defineDigests, digestJobs, dueDigests, sendDigests } from './digests.js';

/*
 * Digests as members receive them: a real SMTP server on loopback takes what Mutual sends, and
 * mailparser reads it. The worker's ticks are run at chosen moments, in the members' time zones.
 */

type Person = { id: number; pseudonym: string; email: string };
const actor = (p: Person) => ({ id: p.id, pseudonym: p.pseudonym, isAdmin: false });

let world: TestWorld;
let smtp: TestSmtpServer;
let counter = 0;

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  world = await createWorld({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await world.close();
  await smtp.close();
});

/** A person with a confirmed address, in a time zone, with a digest hour and weekday. */
async function person(
  name: string,
  opts: { timeZone?: string; hour?: number; weekday?: number; verified?: boolean } = {},
): Promise<Person> {
  counter += 1;
  const user = await world.createUser(`${name}${counter}`);
  await world.database.db.execute(sql`update users set time_zone = ${opts.timeZone ?? 'Europe/Paris'},
    email_verified_at = ${opts.verified === false ? null : new Date().toISOString()}::timestamptz where id = ${user.id}`);
  if (opts.hour !== undefined || opts.weekday !== undefined) {
    await world.database.db.execute(sql`insert into mail_settings (user_id, digest_hour, digest_weekday)
      values (${user.id}, ${opts.hour ?? 8}, ${opts.weekday ?? 1})`);
  }
  return user;
}

async function groupWith(owner: Person, members: Person[], settings: { anonymousPosts?: boolean } = {}) {
  const group = await makeGroup(world, owner, { name: `Caregivers Circle ${counter}` });
  if (settings.anonymousPosts) {
    await world.database.db.execute(sql`update groups set anonymous_posts = true where id = ${group.id}`);
  }
  for (const m of members) await joinGroup(world.database.db, actor(m), group.slug);
  return group;
}

async function setMode(groupId: number, user: Person, mode: 'every_post' | 'daily' | 'weekly' | 'none') {
  await world.database.db.execute(
    sql`update list_subscriptions set mode = ${mode} where group_id = ${groupId} and user_id = ${user.id}`,
  );
}

const hourFormat = new Map<string, Intl.DateTimeFormat>();
/** The local hour, minute and weekday (0 Sunday) of an instant in a time zone. */
function localTime(timeZone: string, at: Date) {
  let format = hourFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    hourFormat.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return { hour: Number(parts.hour), minute: Number(parts.minute), weekday: weekdays.indexOf(parts.weekday!) };
}

/** The first moment after now at which it is `hour`:00 in the time zone (on `weekday`, when given). */
function nextLocal(timeZone: string, hour: number, weekday?: number): Date {
  const start = Math.ceil((Date.now() + 1000) / 60_000) * 60_000;
  for (let t = start; t < start + 9 * 24 * 3600_000; t += 60_000) {
    const local = localTime(timeZone, new Date(t));
    if (local.hour === hour && local.minute === 0 && (weekday === undefined || local.weekday === weekday)) {
      return new Date(t);
    }
  }
  throw new Error('no such time');
}

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);
/** The digests a person received (every-post mail goes to some of the same people). */
const mailTo = (user: Person) =>
  smtp.messages.filter((m) => addressesOf(m.to).includes(user.email) && m.messageId?.startsWith('<digest-'));
function addressesOf(field: ParsedMail['to']): string[] {
  if (!field) return [];
  return [field].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
}
/** A header as sent, with any MIME encoded words decoded. */
function headerOf(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '';
  return line.replace(/\r?\n[ \t]+/g, ' ').replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_, q: string) =>
    Buffer.from(
      q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8'),
  );
}
/** Every address at example.org (where the test accounts live) in a message: headers, text and HTML. */
function addressesIn(mail: ParsedMail): Set<string> {
  const whole = [...mail.headerLines.map((h) => h.line), mail.text ?? '', String(mail.html || '')].join('\n');
  return new Set(whole.match(/[\w.+-]+@example\.org/gi)?.map((a) => a.toLowerCase()) ?? []);
}

describe('daily and weekly digests', () => {
  it('reach a daily member once, at their hour in their time zone, with list headers and no one else’s address', async () => {
    const owner = await person('Owner');
    const reader = await person('Reader', { timeZone: 'Europe/Paris' });
    const writer = await person('Writer');
    const group = await groupWith(owner, [reader, writer]);
    const thread = await makeThread(
      world,
      writer,
      group.slug,
      'Sleepless nights',
      'Does anyone else lie awake at 3am?',
    );
    const eight = nextLocal('Europe/Paris', 8);

    await world.mailTick(minutes(eight, -1));
    expect(mailTo(reader)).toHaveLength(0);

    await world.mailTick(eight);
    await world.mailTick(eight);
    await world.mailTick(minutes(eight, 5));
    const received = mailTo(reader);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.subject).toBe(`${group.name}: 1 new discussion (daily digest)`);
    expect(mail.from?.value).toEqual([{ name: group.name, address: `${group.slug}@lists.test` }]);
    expect(mail.messageId).toMatch(new RegExp(`^<digest-${group.id}-${reader.id}-\\d+@lists\\.test>$`));
    expect(headerOf(mail, 'list-id')).toContain(`<${group.slug}.lists.test>`);
    expect(headerOf(mail, 'list-unsubscribe')).toMatch(
      /<https?:\/\/[^>]+\/mail\/unsubscribe\/[^>]+>, <mailto:unsubscribe\+/,
    );
    expect(headerOf(mail, 'list-unsubscribe-post')).toContain('List-Unsubscribe=One-Click');
    expect(headerOf(mail, 'list-post')).toContain(`<mailto:${group.slug}@lists.test>`);
    // The thread, who started it (as the group sees them) and when, in Paris time; a link to it.
    const when = formatDateTime({ locale: 'en', timeZone: 'Europe/Paris' }, thread.createdAt);
    for (const part of [mail.text!, String(mail.html)]) {
      expect(part).toContain('Sleepless nights');
      expect(part).toContain('Does anyone else lie awake at 3am?');
      expect(part).toContain(writer.pseudonym);
      expect(part).toContain(when);
      expect(part).toContain(`/g/${group.slug}/t/${thread.id}`);
      expect(part).toContain(`You get a daily digest of ${group.name}.`);
    }
    expect([...addressesIn(mail)]).toEqual([reader.email]);
    // The writer had nothing new but their own thread: no mail for them.
    expect(mailTo(writer)).toHaveLength(0);

    // The next day brings only what is new since.
    // Written during the day after the first digest (this test's clock runs ahead of the database's).
    const later = await makeThread(world, writer, group.slug, 'A better day', 'Slept six hours.');
    const written = minutes(eight, 60).toISOString();
    await world.database.db.execute(
      sql`update posts set created_at = ${written}::timestamptz where thread_id = ${later.id}`,
    );
    await world.database.db.execute(
      sql`update threads set created_at = ${written}::timestamptz, last_post_at = ${written}::timestamptz
        where id = ${later.id}`,
    );
    const tomorrow = minutes(eight, 24 * 60);
    await world.mailTick(minutes(tomorrow, -1));
    expect(mailTo(reader)).toHaveLength(1);
    await world.mailTick(tomorrow);
    const second = mailTo(reader)[1]!;
    expect(second.text).toContain('A better day');
    expect(second.text).not.toContain('Sleepless nights');
    expect(second.messageId).not.toBe(mail.messageId);
  });

  it('reach a weekly member only on their weekday, covering the week', async () => {
    const owner = await person('Owner');
    const reader = await person('Weekly', { timeZone: 'America/New_York', hour: 18, weekday: 3 });
    const writer = await person('Writer');
    const group = await groupWith(owner, [reader, writer]);
    await setMode(group.id, reader, 'weekly');
    await makeThread(world, writer, group.slug, 'Caring from far away');
    const wednesday = nextLocal('America/New_York', 18, 3);

    for (const day of [6, 5, 1]) await world.mailTick(minutes(wednesday, -day * 24 * 60));
    expect(mailTo(reader)).toHaveLength(0);
    await world.mailTick(wednesday);
    await world.mailTick(wednesday);
    const received = mailTo(reader);
    expect(received).toHaveLength(1);
    expect(received[0]!.subject).toBe(`${group.name}: 1 new discussion (weekly digest)`);
    expect(received[0]!.text).toContain('You get a weekly digest');
  });

  it('send nothing when nothing is new, and the next digest starts from then', async () => {
    const owner = await person('Owner');
    const reader = await person('Quiet');
    const group = await groupWith(owner, [reader]);
    const eight = nextLocal('Europe/Paris', 8);
    await world.mailTick(eight);
    expect(mailTo(reader)).toHaveLength(0);
    const rows = await world.database.db.execute(
      sql`select last_digest_at from list_subscriptions where group_id = ${group.id} and user_id = ${reader.id}`,
    );
    const last = (rows as unknown as { rows: { last_digest_at: string | Date }[] }).rows[0]!.last_digest_at;
    expect(new Date(last).getTime()).toBe(eight.getTime());
  });

  it('leave out members on every post, no email, with an unconfirmed address or paused mail', async () => {
    const owner = await person('Owner');
    const daily = await person('Daily');
    const everyPost = await person('EveryPost');
    const noEmail = await person('NoEmail');
    const unconfirmed = await person('Unconfirmed', { verified: false });
    const paused = await person('Paused');
    const writer = await person('Writer');
    const group = await groupWith(owner, [daily, everyPost, noEmail, unconfirmed, paused, writer]);
    await setMode(group.id, everyPost, 'every_post');
    await setMode(group.id, noEmail, 'none');
    await world.database.db.execute(
      sql`insert into mail_settings (user_id, hard_bounces, paused_at) values (${paused.id}, 3, now())`,
    );
    await makeThread(world, writer, group.slug, 'News from the clinic');
    const eight = nextLocal('Europe/Paris', 8);
    await world.mailTick(eight);
    expect(mailTo(daily)).toHaveLength(1);
    for (const p of [everyPost, noEmail, unconfirmed, paused]) expect(mailTo(p)).toEqual([]);
  });

  it('leave out discussions of members blocked either way; anonymous posts stay anonymous; warnings replace the text', async () => {
    const owner = await person('Owner');
    const reader = await person('Reader');
    const blocked = await person('Blocked');
    const blocker = await person('Blocker');
    const hidden = await person('Hidden');
    const friend = await person('Friend');
    const group = await groupWith(owner, [reader, blocked, blocker, hidden, friend], { anonymousPosts: true });
    await blockMemberByName(world.database.db, actor(reader), group.slug, blocked.pseudonym);
    await blockMemberByName(world.database.db, actor(blocker), group.slug, reader.pseudonym);
    await makeThread(world, blocked, group.slug, 'Thread by the blocked member');
    await makeThread(world, blocker, group.slug, 'Thread by the member who blocked');
    await makeThread(world, friend, group.slug, 'Thread by a friend');
    await makeThread(world, reader, group.slug, 'Thread by the reader');
    const { createThread } = await import('../forum/index.js');
    await createThread(world.database.db, actor(hidden), group.slug, {
      title: 'Something I cannot say with my name',
      body: 'I am scared about the results.',
      anonymous: 'on',
    });
    await createThread(world.database.db, actor(friend), group.slug, {
      title: 'After the funeral',
      body: 'The details of that night still hurt.',
      warning: 'death',
    });
    const eight = nextLocal('Europe/Paris', 8);
    await world.mailTick(eight);
    const [mail] = mailTo(reader);
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe(`${group.name}: 3 new discussions (daily digest)`);
    for (const part of [mail!.text!, String(mail!.html)]) {
      expect(part).toContain('Thread by a friend');
      expect(part).not.toContain('Thread by the blocked member');
      expect(part).not.toContain('Thread by the member who blocked');
      expect(part).toContain('Something I cannot say with my name');
      expect(part).toContain('Anonymous member 1');
      expect(part).not.toContain(hidden.pseudonym);
      expect(part).toContain('After the funeral');
      expect(part).toContain('Content warning: death');
      expect(part).not.toContain('The details of that night');
    }
    expect(mail!.headerLines.map((h) => h.line).join('\n')).not.toContain(hidden.pseudonym);
    expect([...addressesIn(mail!)]).toEqual([reader.email]);
    // Neither the member the reader blocked nor the one who blocked the reader hears of the reader's thread.
    for (const other of [blocked, blocker]) {
      const [theirs] = mailTo(other);
      expect(theirs?.text).toContain('Thread by a friend');
      expect(theirs?.text).not.toContain('Thread by the reader');
    }
    expect(mailTo(friend)[0]?.text).toContain('Thread by the reader');
  });

  it('list the most reacted replies of the day, most first', async () => {
    const owner = await person('Owner');
    const reader = await person('Reader');
    const writer = await person('Writer');
    const fans = [await person('Fan'), await person('Fan'), await person('Fan')];
    const group = await groupWith(owner, [reader, writer, ...fans]);
    const thread = await makeThread(world, writer, group.slug, 'What helps on bad days');
    const db = world.database.db;
    const quiet = await replyToThread(db, actor(fans[0]!), thread.id, { body: 'A walk, sometimes.' });
    const loved = await replyToThread(db, actor(fans[1]!), thread.id, { body: 'Writing it down helps me most.' });
    const liked = await replyToThread(db, actor(fans[2]!), thread.id, { body: 'Calling my sister.' });
    for (const f of [writer, fans[0]!, fans[2]!]) await toggleReaction(db, actor(f), loved.id, 'helpful');
    await toggleReaction(db, actor(fans[1]!), loved.id, 'support');
    await toggleReaction(db, actor(writer), liked.id, 'me_too');
    const eight = nextLocal('Europe/Paris', 8);
    await world.mailTick(eight);
    const [mail] = mailTo(reader);
    const text = mail!.text!;
    expect(text).toContain('Replies members responded to most');
    expect(text).toContain('Writing it down helps me most.');
    expect(text).toContain('4 reactions');
    expect(text).toContain(`${fans[1]!.pseudonym} replied`);
    expect(text).toContain(`/t/${thread.id}#post-${loved.id}`);
    expect(text.indexOf('Writing it down')).toBeLessThan(text.indexOf('Calling my sister.'));
    expect(text).toContain('1 reaction');
    expect(text).not.toContain('A walk, sometimes.');
    expect(String(mail!.html)).toContain('Writing it down helps me most.');
    expect(quiet.id).toBeGreaterThan(0);
  });

  it('queue each chunk once however often the work runs, and a retry after a failure sends only the rest', async () => {
    const owner = await person('Owner', { verified: false });
    const readers = [await person('First'), await person('Second'), await person('Third')];
    const writer = await person('Writer', { verified: false });
    const group = await groupWith(owner, [...readers, writer]);
    await makeThread(world, writer, group.slug, 'Checking in');
    const eight = nextLocal('Europe/Paris', 8);

    // A second worker process's view of the same queue: its digest work runs twice before any job does.
    const other = createJobQueue(world.database, {
      worker: false,
      report: (error) => {
        throw error;
      },
    });
    const [work] = defineDigests(other, world.mail);
    await other.start();
    await work!.run(eight);
    await work!.run(eight);
    await other.stop();
    const queued = await world.database.db.execute(
      sql`select count(*)::int as n from pgboss.job where name = 'mail.digest' and state = 'created'
        and (data->>'groupId')::int = ${group.id}`,
    );
    expect((queued as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    // Drop it: this test runs the job by hand, with a mail server that fails once.
    await world.database.db.execute(
      sql`delete from pgboss.job where name = 'mail.digest' and (data->>'groupId')::int = ${group.id}`,
    );
    const [job] = digestJobs((await dueDigests(world.database.db, eight)).filter((d) => d.groupId === group.id));
    expect(job!.userIds).toEqual(readers.map((r) => r.id));
    const sentTo: string[] = [];
    let failed = false;
    const failing: MailTransport = {
      deliver: async (message, messageId) => {
        if (message.to === readers[1]!.email && !failed) {
          failed = true;
          throw new Error('connection reset');
        }
        sentTo.push(message.to);
        await world.mail.transport.deliver(message, messageId);
      },
      close: () => undefined,
    };
    await expect(sendDigests({ ...world.mail, transport: failing }, job!)).rejects.toThrow(/connection reset/);
    expect(new Set(sentTo)).toEqual(new Set([readers[0]!.email, readers[2]!.email]));
    // The members done are done: the retry sends only to the one whose message failed.
    sentTo.length = 0;
    await sendDigests({ ...world.mail, transport: failing }, job!);
    expect(sentTo).toEqual([readers[1]!.email]);
    for (const r of readers) expect(mailTo(r)).toHaveLength(1);
    // The work finds nothing more to do for the group.
    expect((await dueDigests(world.database.db, eight)).filter((d) => d.groupId === group.id)).toEqual([]);
  });
});
