import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { users } from '../accounts/schema.js';
import { groups, memberships } from '../groups/schema.js';
import { replyAddress } from './addresses.js';
import { listHeaders } from './compose.js';
import { mailSettings } from './schema.js';

/*
 * "Every post" mail as a mail client receives it: Mutual sends to a real SMTP server on loopback,
 * which keeps each message's raw source and envelope; mailparser reads them as a client would.
 */

interface Received {
  raw: string;
  mail: ParsedMail;
  envelopeFrom: string;
  to: string;
}

/** An SMTP relay that keeps what it is given, raw, and can turn a recipient away for a while. */
class RelayWithSource {
  readonly received: Received[] = [];
  /** Addresses refused with a temporary failure (451) until taken out of the set. */
  readonly refusing = new Set<string>();
  private readonly waiting: (() => void)[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (this.refusing.has(address.address)) {
        callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
      } else callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((mail) => {
            const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            for (const rcpt of session.envelope.rcptTo) {
              this.received.push({ raw, mail, envelopeFrom, to: rcpt.address });
            }
            for (const wake of this.waiting.splice(0)) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const postId = (m: Received) => /^<post-(\d+)@lists\.test>$/.exec(m.mail.messageId ?? '')?.[1];
/** A header's value as sent (unfolded), from the lines mailparser kept. */
const header = (m: Received, name: string) => {
  const line = m.mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '';
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
};
/** Every address-like string anywhere in a message's raw source. */
const addressesIn = (raw: string) => new Set(raw.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? []);

describe('every post by email', () => {
  let world: TestWorld;
  let relay: RelayWithSource;
  let slug: string;
  let groupName: string;
  let groupId: number;
  const people: Record<string, { id: number; email: string; pseudonym: string; agent: Agent }> = {};

  async function person(pseudonym: string, opts: { verified?: boolean; alias?: string } = {}) {
    const user = await world.createUser(pseudonym);
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    if (opts.verified !== false) {
      await world.database.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    }
    const joined = await agent.post(`/g/${slug}/join`, opts.alias ? { alias: opts.alias } : {});
    expect(joined.statusCode).toBe(303);
    people[pseudonym] = { ...user, agent };
    return people[pseudonym];
  }

  /** Sets a member's mode through their page for the group, as they would. */
  async function choose(pseudonym: string, mode: string, newsletters = true) {
    const res = await people[pseudonym]!.agent.post(`/g/${slug}/email`, {
      mode,
      ...(newsletters ? { newsletters: 'on' } : {}),
    });
    expect(res.statusCode).toBe(303);
  }

  async function startThread(pseudonym: string, form: Record<string, string>) {
    const res = await people[pseudonym]!.agent.post(`/g/${slug}/threads/new`, form);
    expect(res.statusCode).toBe(303);
    return Number(/\/t\/(\d+)/.exec(res.headers.location as string)![1]);
  }

  async function reply(pseudonym: string, threadId: number, form: Record<string, string>) {
    const res = await people[pseudonym]!.agent.post(`/threads/${threadId}/replies`, form);
    expect(res.statusCode).toBe(303);
  }

  async function newestPostId(): Promise<number> {
    const rows = (await world.database.db.execute(sql`select max(id) as id from posts`)) as unknown as {
      rows: { id: number }[];
    };
    return Number(rows.rows[0]!.id);
  }

  /** List mail of one post, by recipient. */
  const mailOf = (post: number) => relay.received.filter((m) => postId(m) === String(post));
  const recipientsOf = (post: number) => mailOf(post).map((m) => m.to);

  beforeAll(async () => {
    relay = await new RelayWithSource().start();
    world = await createWorld({ smtpUrl: relay.url });
    await world.createUser('Admin');
    const owner = await world.createUser('Rowan');
    const group = await makeGroup(world, owner, { name: 'Caregivers Circle' });
    slug = group.slug;
    groupName = group.name;
    groupId = group.id;
    const ownerAgent = world.agent();
    await ownerAgent.logIn(owner.email, owner.password);
    people.Rowan = { ...owner, agent: ownerAgent };
    await world.database.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, owner.id));
    // Saoirse writes as "Marigold" in this group: mail must name Marigold, never Saoirse.
    await person('Saoirse', { alias: 'Marigold' });
    await person('Hazel');
    await person('Ivy');
    await person('Jun');
    await person('Kit', { verified: false });
    await person('Lee');
    await person('Mo');
    await person('Noor');
    for (const p of ['Hazel', 'Kit', 'Lee', 'Mo', 'Noor', 'Rowan']) await choose(p, 'every_post');
    await choose('Ivy', 'daily');
    await choose('Jun', 'none');
    await world.database.db
      .insert(mailSettings)
      .values({ userId: people.Mo!.id, pausedAt: new Date(), hardBounces: 3 });
  });
  afterAll(async () => {
    await world.close();
    await relay.close();
  });

  it('mails a new thread and a reply to every-post members, threaded as on the web', async () => {
    const threadId = await startThread('Saoirse', {
      title: 'Night shifts with Dad',
      body: 'Some **tips** that helped me this week.',
    });
    const opening = await newestPostId();
    await world.mailTick();
    await reply('Rowan', threadId, { body: 'Thank you for sharing, Marigold.' });
    const answer = await newestPostId();
    await world.mailTick();

    const [first] = mailOf(opening).filter((m) => m.to === people.Hazel!.email);
    expect(first).toBeDefined();
    const m = first!;
    expect(m.mail.subject).toBe(`[${groupName}] Night shifts with Dad`);
    expect(m.mail.from?.value).toEqual([{ name: `Marigold via ${groupName}`, address: `${slug}@lists.test` }]);
    expect(m.mail.to).toMatchObject({ value: [{ address: people.Hazel!.email }] });
    expect(m.mail.replyTo?.value).toEqual([
      { name: '', address: replyAddress(world.mail, people.Hazel!.id, threadId) },
    ]);
    expect(m.mail.messageId).toBe(`<post-${opening}@lists.test>`);
    expect(m.mail.inReplyTo).toBeUndefined();
    // Bounces come back to an address that names the recipient (VERP), not to anyone's own.
    expect(m.envelopeFrom).toMatch(new RegExp(`^bounce\\+${people.Hazel!.id}-[0-9a-f]+@lists\\.test$`));
    // The list headers, as mail clients read them.
    expect(header(m, 'List-Id')).toContain(`<${slug}.lists.test>`);
    expect(header(m, 'List-Post')).toContain(`<mailto:${slug}@lists.test>`);
    expect(header(m, 'List-Archive')).toContain(`<http://localhost:3000/g/${slug}>`);
    const unsubscribe = header(m, 'List-Unsubscribe');
    expect(unsubscribe).toMatch(/<http:\/\/localhost:3000\/mail\/unsubscribe\/[\w-]+>/);
    expect(unsubscribe).toMatch(/<mailto:unsubscribe\+[\w-]+@lists\.test>/);
    expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // A plain-text part and an HTML part, each with the post, a link to it and the footer.
    const link = `http://localhost:3000/g/${slug}/t/${threadId}#post-${opening}`;
    expect(m.mail.text).toContain('Some **tips** that helped me this week.');
    expect(m.mail.text).toContain(link);
    expect(m.mail.text).toContain(`You get every post from ${groupName}.`);
    expect(m.mail.text).toContain(`http://localhost:3000/g/${slug}/email`);
    expect(m.mail.html).toContain('<strong>tips</strong>');
    expect(m.mail.html).toContain(`href="${link}"`);
    expect(textOf(m.mail.html as string)).toContain(`You get every post from ${groupName}.`);

    // The reply answers the opening post, so clients put it under it.
    const [second] = mailOf(answer).filter((r) => r.to === people.Hazel!.email);
    expect(second!.mail.subject).toBe(`Re: [${groupName}] Night shifts with Dad`);
    expect(second!.mail.from?.value).toEqual([{ name: `Rowan via ${groupName}`, address: `${slug}@lists.test` }]);
    expect(second!.mail.inReplyTo).toBe(`<post-${opening}@lists.test>`);
    expect(second!.mail.references).toBe(`<post-${opening}@lists.test>`);
    expect(second!.mail.text).toContain('Thank you for sharing, Marigold.');
    // The author is not sent their own post.
    expect(recipientsOf(opening)).not.toContain(people.Saoirse!.email);
    expect(recipientsOf(answer)).toContain(people.Hazel!.email);
    expect(recipientsOf(answer)).not.toContain(people.Rowan!.email);
  });

  it('sends only to every-post members with a confirmed, unpaused address', async () => {
    await startThread('Saoirse', { title: 'Who gets this one', body: 'Just checking in with everyone.' });
    const post = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(post).sort()).toEqual(
      [people.Hazel!.email, people.Lee!.email, people.Noor!.email, people.Rowan!.email].sort(),
    );
  });

  it('shows no address in any message but the recipient’s own', async () => {
    const everyone = Object.values(people).map((p) => p.email);
    expect(relay.received.length).toBeGreaterThan(3);
    for (const m of relay.received) {
      for (const address of addressesIn(m.raw)) {
        expect(address === m.to || address.endsWith('@lists.test'), `${address} in mail to ${m.to}`).toBe(true);
      }
      for (const email of everyone) if (email !== m.to) expect(m.raw).not.toContain(email);
      // Nor the author's pseudonym behind their alias, in any part.
      expect(`${m.raw}${m.mail.text}${m.mail.html}`).not.toMatch(/saoirse/i);
    }
  });

  it('keeps anonymous posts anonymous', async () => {
    await world.database.db.update(groups).set({ anonymousPosts: true }).where(eq(groups.id, groupId));
    const threadId = await startThread('Rowan', { title: 'Hard to say out loud', body: 'Say it here if you like.' });
    await reply('Saoirse', threadId, { body: 'I have not told anyone this.', anonymous: 'on' });
    const post = await newestPostId();
    await world.mailTick();
    const [m] = mailOf(post).filter((r) => r.to === people.Hazel!.email);
    expect(m!.mail.from?.value).toEqual([
      { name: `Anonymous member 1 via ${groupName}`, address: `${slug}@lists.test` },
    ]);
    expect(m!.mail.text).toContain('Anonymous member 1 replied');
    for (const r of mailOf(post)) {
      const everything = `${r.raw}${r.mail.text}${r.mail.html}`;
      expect(everything).not.toMatch(/marigold|saoirse/i);
      expect(everything).not.toContain(people.Saoirse!.email);
    }
  });

  it('shows a content warning and a link instead of the words of a warned post', async () => {
    await startThread('Saoirse', {
      title: 'A bad night',
      body: 'The words behind the warning.',
      warning: 'suicide',
    });
    const post = await newestPostId();
    await world.mailTick();
    const [m] = mailOf(post).filter((r) => r.to === people.Hazel!.email);
    expect(m!.mail.text).toContain('This post has a content warning: suicide');
    expect(m!.mail.text).toContain(`/t/`);
    expect(`${m!.mail.text}${m!.mail.html}`).not.toContain('The words behind the warning.');
  });

  it('does not send a blocked author’s posts to the member who blocked them', async () => {
    const threadId = await startThread('Saoirse', { title: 'Before the block', body: 'A first message.' });
    const before = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(before)).toContain(people.Noor!.email);
    expect((await people.Noor!.agent.post(`/posts/${before}/block`)).statusCode).toBe(303);
    await reply('Saoirse', threadId, { body: 'A second message.' });
    const after = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(after)).toContain(people.Hazel!.email);
    expect(recipientsOf(after)).not.toContain(people.Noor!.email);
  });

  it('sends nothing twice: a second scan, a post queued again, a job retried after a crash', async () => {
    await startThread('Saoirse', { title: 'Only once', body: 'One copy each, please.' });
    const post = await newestPostId();
    // Hazel's mail server is busy: the job sends the others, then fails.
    relay.refusing.add(people.Hazel!.email);
    await expect(world.mailTick()).rejects.toThrow(/could not be handed to the mail server/);
    expect(recipientsOf(post).sort()).toEqual([people.Lee!.email, people.Rowan!.email].sort());
    // The worker died there: pg-boss gives the job to another worker, which sends only what is missing.
    relay.refusing.clear();
    await world.database.db.execute(
      sql`update pgboss.job set state = 'retry', start_after = now() where name = 'mail-lists.every-post' and state = 'active'`,
    );
    await world.mailTick();
    await world.mailTick();
    // Queued again from scratch (a claim lost with its process): the ledger still holds.
    await world.database.db.execute(sql`delete from list_mailings where post_id = ${post}`);
    await world.mailTick();
    expect(recipientsOf(post).sort()).toEqual([people.Hazel!.email, people.Lee!.email, people.Rowan!.email].sort());
  });

  it('mails a pre-moderated post only once a leader approves it', async () => {
    await world.database.db.update(groups).set({ preModeration: true }).where(eq(groups.id, groupId));
    await startThread('Saoirse', { title: 'Waiting for approval', body: 'Held until a leader looks.' });
    const post = await newestPostId();
    await world.mailTick();
    expect(mailOf(post)).toEqual([]);
    const approved = await people.Rowan!.agent.post(`/posts/${post}/review`, { decision: 'approve' });
    expect(approved.statusCode).toBe(303);
    await world.mailTick();
    expect(recipientsOf(post)).toContain(people.Hazel!.email);
    await world.database.db.update(groups).set({ preModeration: false }).where(eq(groups.id, groupId));
  });

  it('stops with one click from the mail, without cookies, and the member then gets nothing', async () => {
    const [m] = relay.received.filter((r) => r.to === people.Hazel!.email);
    const url = /<(http:\/\/localhost:3000\/mail\/unsubscribe\/[\w-]+)>/.exec(header(m!, 'List-Unsubscribe'))![1]!;
    const path = url.replace('http://localhost:3000', '');
    const stranger = world.agent();
    const page = await stranger.get(path);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain(`Stop the emails about discussions in ${groupName}`);
    // As a mail client does it (RFC 8058): a bare POST, no cookies, no CSRF token.
    const done = await world.app.inject({
      method: 'POST',
      url: path,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.statusCode).toBe(200);
    expect(textOf(done.body)).toContain(`You will no longer get email from ${groupName}.`);
    expect(done.body).toContain(`href="/g/${slug}/email"`);
    await startThread('Saoirse', { title: 'After the unsubscribe', body: 'Hazel should not get this.' });
    const post = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(post)).not.toContain(people.Hazel!.email);
    expect(recipientsOf(post)).toContain(people.Lee!.email);
    const mine = await people.Hazel!.agent.get(`/g/${slug}/email`);
    expect(mine.body).toMatch(/value="none"[^>]*checked/);
  });

  it('answers a changed or made-up unsubscribe link with a page saying it is not there', async () => {
    const [m] = relay.received.filter((r) => r.to === people.Lee!.email);
    const token = /\/mail\/unsubscribe\/([\w-]+)>/.exec(header(m!, 'List-Unsubscribe'))![1]!;
    const forged = token.replace(/^\d+/, String(people.Rowan!.id));
    for (const bad of [forged, 'nonsense', `${token}0`, '99999999999999999999-1-abc']) {
      expect((await world.agent().get(`/mail/unsubscribe/${bad}`)).statusCode).toBe(404);
      const res = await world.app.inject({ method: 'POST', url: `/mail/unsubscribe/${bad}` });
      expect(res.statusCode).toBe(404);
    }
    // Nobody was unsubscribed by any of them.
    await startThread('Saoirse', { title: 'Still here', body: 'Lee and Rowan still get this.' });
    const post = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(post)).toEqual(expect.arrayContaining([people.Lee!.email, people.Rowan!.email]));
  });

  it('shows paused mail on every page, and resumes it', async () => {
    const mo = people.Mo!.agent;
    const banner = 'We could not deliver email to your address, so we have paused it.';
    expect(textOf((await mo.get('/groups')).body)).toContain(banner);
    expect(textOf((await people.Hazel!.agent.get('/groups')).body)).not.toContain(banner);
    const page = await mo.get('/account/email');
    expect(textOf(page.body)).toContain('Email is paused');
    const resumed = await mo.post('/account/email/resume');
    expect(resumed.statusCode).toBe(303);
    expect(textOf((await mo.get('/groups')).body)).not.toContain(banner);
    const [row] = await world.database.db.select().from(mailSettings).where(eq(mailSettings.userId, people.Mo!.id));
    expect(row).toMatchObject({ pausedAt: null, hardBounces: 0 });
    await startThread('Saoirse', { title: 'Mo is back', body: 'Welcome back, Mo.' });
    const post = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(post)).toContain(people.Mo!.email);
    // Kit's address is still not confirmed: nothing, whatever the choice.
    expect(recipientsOf(post)).not.toContain(people.Kit!.email);
  });

  it('leaves out a member who left, or muted the thread', async () => {
    const threadId = await startThread('Saoirse', { title: 'Muting works', body: 'The first post.' });
    await world.mailTick();
    expect((await people.Lee!.agent.post(`/threads/${threadId}/mute`)).statusCode).toBe(303);
    expect((await people.Mo!.agent.post(`/g/${slug}/leave`)).statusCode).toBe(303);
    await reply('Saoirse', threadId, { body: 'The second post.' });
    const post = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(post)).toContain(people.Rowan!.email);
    expect(recipientsOf(post)).not.toContain(people.Lee!.email);
    expect(recipientsOf(post)).not.toContain(people.Mo!.email);
  });

  it('leaves out a paid group’s member whose payment ran out, after the grace period', async () => {
    await world.database.db.update(groups).set({ joinPolicy: 'paid' }).where(eq(groups.id, groupId));
    const lapsed = new Date(Date.now() - 30 * 24 * 3600_000);
    await world.database.db
      .update(memberships)
      .set({ paidUntil: lapsed })
      .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, people.Lee!.id)));
    // Paid up to yesterday: still within the grace period, as card retries take a few days.
    await world.database.db
      .update(memberships)
      .set({ paidUntil: new Date(Date.now() - 24 * 3600_000) })
      .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, people.Kit!.id)));
    await world.database.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, people.Kit!.id));
    await startThread('Rowan', { title: 'For members in good standing', body: 'Thank you for your support.' });
    const post = await newestPostId();
    await world.mailTick();
    expect(recipientsOf(post)).toContain(people.Kit!.email);
    expect(recipientsOf(post)).not.toContain(people.Lee!.email);
    await world.database.db.update(groups).set({ joinPolicy: 'open' }).where(eq(groups.id, groupId));
  });
});

describe('list headers', () => {
  it('keep a List-Id readable whatever the group is called', async () => {
    const ctx = { domain: 'lists.test', secret: Buffer.from('secret'), baseUrl: 'https://example.org' };
    const plain = listHeaders(ctx, { id: 1, slug: 'carers', name: 'Carers "Circle"' }, 7, { postByEmail: false });
    expect(plain['List-Id']).toBe('"Carers  Circle " <carers.lists.test>');
    expect(plain['List-Post']).toBe('NO');
    const name = 'Café des aidants — Île-de-France, pour celles et ceux qui accompagnent un proche';
    const accented = listHeaders(ctx, { id: 2, slug: 'aidants', name }, 7, { postByEmail: true })['List-Id']!;
    // ASCII only, in encoded words of at most 75 characters, with the identifier left as it is.
    expect(accented).toMatch(/^[\x20-\x7e]+$/);
    expect(accented.endsWith(' <aidants.lists.test>')).toBe(true);
    for (const word of accented.split(' ').slice(0, -1)) expect(word.length).toBeLessThanOrEqual(75);
    // Adjacent encoded words join up (RFC 2047), back into the group's name.
    const decoded = [...accented.matchAll(/=\?UTF-8\?B\?([^?]+)\?=/g)]
      .map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe(name);
    const parsed = await simpleParser(`List-Id: ${accented}\r\nSubject: x\r\n\r\nHello`);
    expect(parsed.headers.get('list')).toMatchObject({ id: { id: 'aidants.lists.test' } });
  });
});
