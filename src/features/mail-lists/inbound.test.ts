import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { ConfigError } from '../../config.js';
import { joinGroup } from '../groups/index.js';
import { bounceAddress, groupAddress, replyAddress, unsubscribeAddress } from './addresses.js';
import { startInboundServer, type InboundServer } from './inbound-server.js';

/*
 * Mail as members send it: real SMTP into the inbound server on loopback, and the result read as a
 * member reads it, on the thread's page. Refusals are read as the sending server receives them.
 */

type Person = { id: number; pseudonym: string; email: string; password: string };

let world: TestWorld;
let server: InboundServer;
let smtp: Transporter;
let counter = 0;
const actor = (p: Person) => ({ id: p.id, pseudonym: p.pseudonym, isAdmin: false });
const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/mail/${name}`, import.meta.url), 'utf8');

beforeAll(async () => {
  world = await createWorld();
  server = await startInboundServer(world.mail, { port: 0, host: '127.0.0.1', maxBytes: 50_000 });
  smtp = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  smtp.close();
  await server.close();
  await world.close();
});

async function person(name: string, opts: { verified?: boolean } = {}): Promise<Person> {
  counter += 1;
  const user = await world.createUser(`${name} ${counter}`);
  if (opts.verified !== false) {
    await world.database.db.execute(sql`update users set email_verified_at = now() where id = ${user.id}`);
  }
  return user;
}

async function signedIn(p: Person): Promise<Agent> {
  const agent = world.agent();
  await agent.logIn(p.email, p.password);
  return agent;
}

/** A group led by its owner, with these members, and a first discussion by the owner. */
async function circle(...members: Person[]) {
  const owner = await person('Sam');
  const group = await makeGroup(world, owner, { name: `Caregivers Circle ${counter}` });
  for (const m of members) await joinGroup(world.database.db, actor(m), group.slug);
  const thread = await makeThread(world, owner, group.slug, 'A hard week', 'Mum did not know me on Tuesday.');
  return { owner, group, thread, url: `/g/${group.slug}/t/${thread.id}` };
}

/** What the sending server hears: 'accepted', or the SMTP refusal ("550 5.7.1 …"). */
async function send(message: SendMailOptions): Promise<string> {
  try {
    await smtp.sendMail(message);
    return 'accepted';
  } catch (error) {
    const e = error as { response?: string; rejectedErrors?: { response?: string }[] };
    return e.response ?? e.rejectedErrors?.[0]?.response ?? String(error);
  }
}

/** A raw message (headers and body as written), sent as is. */
function sendRaw(from: string, to: string, raw: string): Promise<string> {
  return send({ envelope: { from, to }, raw });
}

async function postsIn(threadId: number): Promise<number> {
  const rows = await world.database.db.execute(sql`select count(*)::int as n from posts where thread_id = ${threadId}`);
  return Number((rows as unknown as { rows: { n: number }[] }).rows[0]!.n);
}

describe('replies by email', () => {
  it('posts a reply into the thread under the member’s pseudonym, once however often it arrives', async () => {
    const alex = await person('Alex');
    const { thread, url } = await circle(alex);
    const to = replyAddress(world.mail, alex.id, thread.id);
    // Gmail's message, as a member's mail client sent it: quoted text and all.
    const raw = fixture('gmail.eml')
      .replace('Alex Rivera <alex@example.org>', `Alex <${alex.email}>`)
      .replace(/reply\+[\w-]+@lists\.test/, to);

    expect(await sendRaw(alex.email, to, raw)).toBe('accepted');
    const page = textOf((await world.agent().get(url)).body);
    expect(page).toContain('What helped was writing down one small thing each evening.');
    expect(page).toContain(alex.pseudonym);
    expect(page).not.toContain('Reply to this email');
    expect(page).not.toContain('wrote:');

    // A server that did not hear our answer delivers again: accepted, and posted once.
    expect(await sendRaw(alex.email, to, raw)).toBe('accepted');
    expect(await postsIn(thread.id)).toBe(2);
  });

  it('refuses forged addresses, another person’s From, and replies with nothing new', async () => {
    const alex = await person('Alex');
    const jo = await person('Jo');
    const { thread } = await circle(alex, jo);
    const to = replyAddress(world.mail, alex.id, thread.id);
    const forged = to.replace(/-([0-9a-f]{24})@/, (_m, mac: string) => `-${mac.slice(1)}0@`);
    const changed = to.replace(`reply+${alex.id}-`, `reply+${jo.id}-`);

    const refusals = [
      await send({ from: alex.email, to: forged, subject: 'Re: A hard week', text: 'Thinking of you.' }),
      await send({ from: jo.email, to: changed, subject: 'Re: A hard week', text: 'Thinking of you.' }),
      await send({ from: 'someone@else.example', to: 'nobody+1-2-3@lists.test', subject: 'Hi', text: 'Hello' }),
      // Alex's message, forwarded to Jo, who replies: Jo must not post as Alex.
      await send({ from: jo.email, to, subject: 'Re: A hard week', text: 'Thinking of you.' }),
      await send({
        from: alex.email,
        to,
        subject: 'Re: A hard week',
        text: 'On Thu, Nov 26, 2026 at 2:50 PM Sam wrote:\n\n> Mum did not know me on Tuesday.\n',
      }),
    ];
    expect(refusals[0]).toMatch(/^550 5\.1\.1 This reply address is not one we gave out/);
    expect(refusals[1]).toMatch(/^550 5\.1\.1 This reply address is not one we gave out/);
    expect(refusals[2]).toMatch(/^550 5\.1\.1 There is no one at this address/);
    expect(refusals[3]).toMatch(/^550 5\.7\.1 Replies are posted only when they come from the email address/);
    expect(refusals[4]).toMatch(/^550 5\.6\.0 We found only quoted text in this message/);
    expect(await postsIn(thread.id)).toBe(1);
  });

  it('refuses a member who left the group, and a message that is too large or unreadable', async () => {
    const alex = await person('Alex');
    const { thread, group } = await circle(alex);
    const to = replyAddress(world.mail, alex.id, thread.id);

    const large = await send({
      from: alex.email,
      to,
      subject: 'Re: A hard week',
      text: 'So much to say. '.repeat(4_000),
    });
    expect(large).toMatch(/^552 /);

    const unreadable = await sendRaw(
      alex.email,
      to,
      `From: ${alex.email}\r\nTo: ${to}\r\nSubject: Re: A hard week\r\nContent-Type: multipart/mixed\r\n\r\nThinking of you.\r\n`,
    );
    expect(unreadable).toMatch(/^550 5\.6\.0 We could not read this message/);

    await world.database.db.execute(sql`delete from memberships where group_id = ${group.id} and user_id = ${alex.id}`);
    const left = await send({ from: alex.email, to, subject: 'Re: A hard week', text: 'Thinking of you.' });
    expect(left).toBe('550 5.7.1 Join this group to take part in it.');
    expect(await postsIn(thread.id)).toBe(1);
  });

  it('keeps an anonymous author anonymous, and posts nothing for an out-of-office reply', async () => {
    const alex = await person('Alex');
    const { thread, group, url } = await circle(alex);
    await world.database.db.execute(sql`update groups set anonymous_posts = true where id = ${group.id}`);
    const web = await signedIn(alex);
    await web.post(`/threads/${thread.id}/replies`, { body: 'I would rather not say who I am.', anonymous: 'on' });
    const to = replyAddress(world.mail, alex.id, thread.id);

    expect(
      await send({
        from: alex.email,
        to,
        subject: 'Automatic reply: A hard week',
        text: 'I am away until Monday.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    ).toBe('accepted');
    expect(await send({ from: alex.email, to, subject: 'Re: A hard week', text: 'Still here, still anonymous.' })).toBe(
      'accepted',
    );
    const page = textOf((await world.agent().get(url)).body);
    expect(page).toContain('Still here, still anonymous.');
    expect(page).not.toContain('I am away until Monday.');
    expect(page).not.toContain(alex.pseudonym);
    expect(page).toContain('Anonymous 1');
  });

  it('raises a crisis alert for the group’s leaders and mails the author help', async () => {
    const alex = await person('Alex');
    const { thread, group, owner } = await circle(alex);
    const to = replyAddress(world.mail, alex.id, thread.id);
    expect(
      await send({ from: alex.email, to, subject: 'Re: A hard week', text: 'I want to kill myself tonight.' }),
    ).toBe('accepted');

    const alerts = textOf((await (await signedIn(owner)).get(`/g/${group.slug}/safety`)).body);
    expect(alerts).toContain('A hard week');
    const help = (await world.outbox()).find((m) => m.to === alex.email);
    expect(help?.subject).toBe('You don’t have to face this alone');
    expect(help?.text).toContain('Your post is up, and the group can read it.');
    expect(help?.text).toContain('please talk to someone now');
    expect(help?.text).toContain(`/g/${group.slug}/t/${thread.id}?support=`);
    // A shared inbox learns nothing: the mail neither quotes the post nor names the group.
    expect(help?.text).not.toContain('kill myself');
    expect(help?.text).not.toContain(group.name);
  });
});

describe('new discussions by email', () => {
  it('starts a discussion from a member’s confirmed address, titled by the subject', async () => {
    const alex = await person('Alex');
    const { group } = await circle(alex);
    expect(
      await send({
        from: `Alex <${alex.email.toUpperCase()}>`,
        to: groupAddress(world.mail, group.slug),
        subject: `Fwd: [${group.name}] Our first meeting`,
        text: 'Shall we meet at the library on Saturday?\n\nSent from my iPhone',
      }),
    ).toBe('accepted');
    const page = textOf((await world.agent().get(`/g/${group.slug}`)).body);
    expect(page).toContain('Our first meeting');
    expect(page).not.toContain('Fwd:');
    const threadUrl = /href="(\/g\/[^"]+\/t\/\d+)"[^>]*>\s*Our first meeting/.exec(
      (await world.agent().get(`/g/${group.slug}`)).body,
    )![1]!;
    const thread = textOf((await world.agent().get(threadUrl)).body);
    expect(thread).toContain('Shall we meet at the library on Saturday?');
    expect(thread).not.toContain('Sent from my iPhone');
    expect(thread).toContain(alex.pseudonym);
  });

  it('refuses people who are not members, unconfirmed addresses and groups that said no', async () => {
    const alex = await person('Alex');
    const unconfirmed = await person('Robin', { verified: false });
    const outsider = await person('Passer');
    const { group } = await circle(alex, unconfirmed);
    const to = groupAddress(world.mail, group.slug);
    const message = { subject: 'Hello all', text: 'Is anyone around tonight?' };

    expect(await send({ from: outsider.email, to, ...message })).toMatch(
      /^550 5\.7\.1 This email address does not belong to a member of the group/,
    );
    expect(await send({ from: unconfirmed.email, to, ...message })).toMatch(/^550 5\.7\.1 This email address/);
    expect(await send({ from: 'stranger@example.net', to, ...message })).toMatch(/^550 5\.7\.1 This email address/);
    expect(await send({ from: alex.email, to: groupAddress(world.mail, 'no-such-group'), ...message })).toMatch(
      /^550 5\.1\.1 There is no one at this address/,
    );
    await world.database.db.execute(
      sql`insert into list_settings (group_id, post_by_email) values (${group.id}, false)`,
    );
    expect(await send({ from: alex.email, to, ...message })).toMatch(
      /^550 5\.7\.1 This group does not take new discussions by email/,
    );
    expect(textOf((await world.agent().get(`/g/${group.slug}`)).body)).not.toContain('Hello all');
  });

  it('tells a member who answers a newsletter or a digest where a reply goes, and posts nothing', async () => {
    const alex = await person('Alex');
    const { group } = await circle(alex);
    const to = groupAddress(world.mail, group.slug);
    for (const answered of ['<newsletter-7@lists.test>', `<digest-${group.id}-${alex.id}-1764000000@lists.test>`]) {
      expect(
        await send({
          from: alex.email,
          to,
          subject: 'Re: Our December gathering',
          text: 'Thank you for this!',
          inReplyTo: answered,
          references: [answered],
        }),
      ).toMatch(/^550 5\.7\.1 Replies to a newsletter or a digest are not posted to the group/);
    }
    expect(textOf((await world.agent().get(`/g/${group.slug}`)).body)).not.toContain('December gathering');
  });
});

describe('unsubscribing and bounces by email', () => {
  it('stops a group’s mail for the member the unsubscribe address names', async () => {
    const alex = await person('Alex');
    const { group } = await circle(alex);
    await world.database.db.execute(
      sql`update list_subscriptions set mode = 'every_post' where group_id = ${group.id} and user_id = ${alex.id}`,
    );
    expect(
      await send({
        from: alex.email,
        to: unsubscribeAddress(world.mail, alex.id, group.id),
        subject: 'unsubscribe',
        text: '',
      }),
    ).toBe('accepted');
    const rows = await world.database.db.execute(
      sql`select mode from list_subscriptions where group_id = ${group.id} and user_id = ${alex.id}`,
    );
    expect((rows as unknown as { rows: { mode: string }[] }).rows[0]?.mode).toBe('none');
  });

  it('pauses list mail after three hard bounces, not after soft ones', async () => {
    const alex = await person('Alex');
    const to = bounceAddress(world.mail, alex.id);
    const dsn = (n: number, status: string, action: string) =>
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
        `To: ${to}`,
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: <dsn-${alex.id}-${n}@mx.example.org>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'This is the mail system at host mx.example.org. Your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.org',
        '',
        `Final-Recipient: rfc822; ${alex.email}`,
        `Action: ${action}`,
        `Status: ${status}`,
        `Diagnostic-Code: smtp; 550 ${status} <${alex.email}>: Recipient address rejected: User unknown`,
        '--B--',
        '',
      ].join('\r\n');
    const paused = async () => {
      const rows = await world.database.db.execute(
        sql`select hard_bounces, paused_at from mail_settings where user_id = ${alex.id}`,
      );
      return (rows as unknown as { rows: { hard_bounces: number; paused_at: Date | null }[] }).rows[0];
    };

    expect(await sendRaw('', to, dsn(1, '4.2.2', 'delayed'))).toBe('accepted');
    expect(await sendRaw('', to, dsn(2, '5.1.1', 'failed'))).toBe('accepted');
    expect(await sendRaw('', to, dsn(3, '5.1.1', 'failed'))).toBe('accepted');
    // The same report delivered twice counts once.
    expect(await sendRaw('', to, dsn(3, '5.1.1', 'failed'))).toBe('accepted');
    expect((await paused())?.paused_at).toBeNull();
    expect(await sendRaw('', to, dsn(4, '5.1.1', 'failed'))).toBe('accepted');
    expect((await paused())?.hard_bounces).toBe(3);
    expect((await paused())?.paused_at).not.toBeNull();

    const kept = await world.database.db.execute(
      sql`select hard, diagnostic from mail_bounces where user_id = ${alex.id} order by id`,
    );
    const bounces = (kept as unknown as { rows: { hard: boolean; diagnostic: string }[] }).rows;
    expect(bounces.map((b) => b.hard)).toEqual([false, true, true, true]);
    expect(bounces[1]!.diagnostic).toContain('5.1.1');
    // The diagnostic names nobody.
    for (const b of bounces) expect(b.diagnostic).not.toContain('@');
  });
});

describe('starting the server', () => {
  it('says which setting to change when its port is taken', async () => {
    const taken = startInboundServer(world.mail, { port: server.port, host: '127.0.0.1', maxBytes: 50_000 });
    await expect(taken).rejects.toBeInstanceOf(ConfigError);
    await expect(taken).rejects.toThrow(/MAIL_INBOUND_PORT=off/);
  });
});
