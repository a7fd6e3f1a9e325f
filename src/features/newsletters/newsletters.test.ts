import { and, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { TestSmtpServer } from '../../../test/helpers/smtp.js';
import { twoFactor, users } from '../accounts/schema.js';
import { joinGroup } from '../groups/index.js';
import { memberships } from '../groups/schema.js';
import { listSettings } from '../mail-lists/schema.js';
import { newsletters } from './schema.js';

/*
 * Newsletters as their writers, readers and subscribers meet them: the pages, and the mail a real
 * SMTP server on loopback receives, parsed.
 */

let world: TestWorld;
let smtp: TestSmtpServer;
const db = () => world.database.db;

interface Person {
  id: number;
  email: string;
  pseudonym: string;
  agent: Agent;
}

let made = 0;
/** Someone with an account, logged in, whose address is confirmed unless said otherwise. */
async function person(name: string, opts: { verified?: boolean; timeZone?: string } = {}): Promise<Person> {
  made += 1;
  const user = await world.createUser(`${name} ${made}`);
  await db()
    .update(users)
    .set({ emailVerifiedAt: opts.verified === false ? null : new Date(), timeZone: opts.timeZone ?? 'UTC' })
    .where(eq(users.id, user.id));
  const agent = world.agent();
  await agent.logIn(user.email, user.password);
  return { ...user, agent };
}

async function join(p: Person, slug: string, role: 'member' | 'moderator' | 'facilitator' = 'member') {
  const access = await joinGroup(db(), { id: p.id, pseudonym: p.pseudonym, isAdmin: false }, slug);
  if (role === 'member') return;
  await db()
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, p.id)));
  // Facilitators lead only with two-step verification on.
  if (role === 'facilitator')
    await db().insert(twoFactor).values({ userId: p.id, secret: generateSecret(), enabledAt: new Date() });
}

/** A group with an owner and a facilitator, both with confirmed addresses. */
async function groupWithLeaders(visibility: 'public' | 'members' = 'public') {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner, { name: `Caregivers Circle ${made}`, visibility });
  const facilitator = await person('Facilitator');
  await join(facilitator, group.slug, 'facilitator');
  return { owner, group, facilitator };
}

/** Writes a draft through the form; returns its id. */
async function writeDraft(
  writer: Person,
  slug: string,
  form: { subject: string; body: string; audience?: string },
): Promise<number> {
  await writer.agent.get(`/g/${slug}/newsletters/new`);
  const res = await writer.agent.post(`/g/${slug}/newsletters/new`, { audience: 'members', ...form });
  expect(res.statusCode).toBe(303);
  const id = /\/newsletters\/(\d+)\?notice=newslettersSaved$/.exec(String(res.headers.location))?.[1];
  expect(id).toBeDefined();
  return Number(id);
}

async function sendNow(writer: Person, slug: string, id: number) {
  await writer.agent.get(`/g/${slug}/newsletters/${id}`);
  const res = await writer.agent.post(`/g/${slug}/newsletters/${id}/send`);
  expect(res.statusCode).toBe(303);
}

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text) ?? '';
const withSubject = (subject: string) => smtp.messages.filter((m) => m.subject === subject);
const recipientsOf = (subject: string) => withSubject(subject).map(to).sort();

/** Everything of a message a person could read: every header line as sent, and both parts. */
function sourceOf(mail: ParsedMail): string {
  return [...mail.headerLines.map((h) => h.line), mail.text ?? '', typeof mail.html === 'string' ? mail.html : ''].join(
    '\n',
  );
}

/** Every address in a message must be its recipient's own or one of the site's (at MAIL_DOMAIN). */
function foreignAddresses(mail: ParsedMail): string[] {
  const own = to(mail).toLowerCase();
  const found = sourceOf(mail).match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? [];
  return found.filter((a) => a.toLowerCase() !== own && !a.toLowerCase().endsWith('@lists.test'));
}

/** A header as it was sent (unfolded), without its name. */
function header(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '';
  return line
    .replace(/\r?\n[ \t]+/g, ' ')
    .slice(name.length + 1)
    .trim();
}

function unsubscribeUrlOf(mail: ParsedMail): string {
  const value = header(mail, 'List-Unsubscribe');
  const url = /<(https?:\/\/[^>]+)>/.exec(value)?.[1];
  expect(url).toBeDefined();
  return new URL(url!).pathname;
}

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  world = await createWorld({ smtpUrl: smtp.url });
});

afterAll(async () => {
  await world?.close();
  await smtp?.close();
});

describe('writing and sending a newsletter', () => {
  it('a facilitator writes, previews, tests it on themself, and sends it to the members who want it, privately', async () => {
    const { owner, group, facilitator } = await groupWithLeaders();
    const alice = await person('Alice');
    const quiet = await person('Quiet');
    const unconfirmed = await person('Unconfirmed', { verified: false });
    for (const p of [alice, quiet, unconfirmed]) await join(p, group.slug);
    // A member who turned the group's newsletters off with the link in an earlier one.
    await db().update(users).set({ emailNewsletters: false }).where(eq(users.id, quiet.id));

    const subject = `Spring news ${made}`;
    const id = await writeDraft(facilitator, group.slug, {
      subject,
      body: '**Welcome** to spring.\n\nWe meet on Tuesday at the library.',
    });

    const preview = await facilitator.agent.get(`/g/${group.slug}/newsletters/${id}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<strong>Welcome</strong> to spring.');
    expect(textOf(preview.body)).toContain('This is a preview');

    await facilitator.agent.post(`/g/${group.slug}/newsletters/${id}/test`);
    await world.jobs.drain();
    const test = await smtp.receivedWhere((m) => m.subject === `[Test] ${subject}`);
    expect(to(test)).toBe(facilitator.email);
    expect(withSubject(`[Test] ${subject}`)).toHaveLength(1);
    // A test reaches nobody else, and sending has not begun.
    expect(withSubject(subject)).toEqual([]);

    await sendNow(facilitator, group.slug, id);
    const waiting = await facilitator.agent.get(`/g/${group.slug}/newsletters/${id}?notice=newslettersSending`);
    expect(textOf(waiting.body)).toContain('The newsletter is on its way.');
    await world.mailTick();

    expect(recipientsOf(subject)).toEqual([owner.email, facilitator.email, alice.email].sort());
    const mail = withSubject(subject).find((m) => to(m) === alice.email)!;
    expect(mail.from?.text).toBe(`"${group.name}" <${group.slug}@lists.test>`);
    expect(mail.messageId).toBe(`<newsletter-${id}@lists.test>`);
    expect(header(mail, 'List-Id')).toBe(`${group.name} <${group.slug}.lists.test>`);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(unsubscribeUrlOf(mail)).toMatch(/^\/newsletters\/unsubscribe\/[0-9a-f-]+$/);
    expect(mail.text).toContain('**Welcome** to spring.');
    expect(mail.text).toContain(`You get this because you are a member of ${group.name}.`);
    expect(mail.html).toContain('<strong>Welcome</strong> to spring.');
    expect(mail.html).toContain('Stop these newsletters');
    for (const m of withSubject(subject)) expect(foreignAddresses(m)).toEqual([]);

    const sent = await facilitator.agent.get(`/g/${group.slug}/newsletters`);
    expect(textOf(sent.body)).toContain('sent to 3 people');
    const audit = await facilitator.agent.get(`/g/${group.slug}/audit`);
    expect(textOf(audit.body)).toContain('Sent a newsletter');

    // The worker coming round again sends nothing twice.
    await world.mailTick();
    expect(withSubject(subject)).toHaveLength(3);
  });

  it('stops a member’s newsletters with one click from the mail, without cookies', async () => {
    const { owner, group, facilitator } = await groupWithLeaders();
    const alice = await person('Alice');
    await join(alice, group.slug);
    const first = `First letter ${made}`;
    await sendNow(
      facilitator,
      group.slug,
      await writeDraft(facilitator, group.slug, { subject: first, body: 'Hello.' }),
    );
    await world.mailTick();
    const mail = withSubject(first).find((m) => to(m) === alice.email)!;
    const url = unsubscribeUrlOf(mail);

    // A link scanner fetching the page changes nothing; the mail client's one-click POST does.
    expect((await world.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    const res = await world.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain(`no more newsletters of ${group.name} will come to you`);

    const second = `Second letter ${made}`;
    await sendNow(facilitator, group.slug, await writeDraft(facilitator, group.slug, { subject: second, body: 'Hi.' }));
    await world.mailTick();
    expect(recipientsOf(second)).toEqual([owner.email, facilitator.email].sort());
  });

  it('keeps what was typed when the form is wrong, with a message', async () => {
    const { group, facilitator } = await groupWithLeaders();
    await facilitator.agent.get(`/g/${group.slug}/newsletters/new`);
    const res = await facilitator.agent.post(`/g/${group.slug}/newsletters/new`, {
      subject: '',
      body: 'Our <b>garden</b> day is on Saturday.',
      audience: 'members',
    });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Please write a subject of up to 200 characters');
    expect(textOf(res.body)).toContain('Our <b>garden</b> day is on Saturday.');
    expect(res.body).not.toContain('<b>garden</b>');
    const id = await writeDraft(facilitator, group.slug, { subject: 'Garden day', body: 'Saturday.' });
    const late = await facilitator.agent.post(`/g/${group.slug}/newsletters/${id}/schedule`, {
      date: '2020-01-01',
      time: '09:00',
    });
    expect(late.statusCode).toBe(400);
    expect(textOf(late.body)).toContain('That time has passed.');
    expect(late.body).toContain('value="2020-01-01"');
  });

  it('sends a scheduled newsletter at the time the writer gave on their own clock, not before', async () => {
    const { group, facilitator } = await groupWithLeaders();
    await db().update(users).set({ timeZone: 'America/New_York' }).where(eq(users.id, facilitator.id));
    const subject = `Winter gathering ${made}`;
    const id = await writeDraft(facilitator, group.slug, { subject, body: 'See you there.' });
    await facilitator.agent.get(`/g/${group.slug}/newsletters/${id}`);
    const res = await facilitator.agent.post(`/g/${group.slug}/newsletters/${id}/schedule`, {
      date: '2031-01-15',
      time: '09:30',
    });
    expect(res.statusCode).toBe(303);
    const [row] = await db().select().from(newsletters).where(eq(newsletters.id, id));
    // 09:30 in New York in January is 14:30 UTC.
    expect(row!.scheduledFor?.toISOString()).toBe('2031-01-15T14:30:00.000Z');

    await world.mailTick(new Date('2031-01-15T14:29:00Z'));
    expect(withSubject(subject)).toEqual([]);
    await world.mailTick(new Date('2031-01-15T14:30:00Z'));
    expect(recipientsOf(subject)).toContain(facilitator.email);

    // A scheduled one taken back to draft never goes.
    const kept = `Not yet ${made}`;
    const other = await writeDraft(facilitator, group.slug, { subject: kept, body: 'Later.' });
    await facilitator.agent.post(`/g/${group.slug}/newsletters/${other}/schedule`, {
      date: '2032-02-01',
      time: '10:00',
    });
    expect((await facilitator.agent.post(`/g/${group.slug}/newsletters/${other}/cancel`)).statusCode).toBe(303);
    await world.mailTick(new Date('2032-03-01T00:00:00Z'));
    expect(withSubject(kept)).toEqual([]);
    const page = await facilitator.agent.get(`/g/${group.slug}/newsletters/${other}`);
    expect(textOf(page.body)).toContain('Draft');
  });
});

describe('public subscribers', () => {
  it('signs a visitor up with double opt-in, sends only once confirmed, and unsubscribes with one click', async () => {
    const { group, facilitator } = await groupWithLeaders();
    const visitor = world.agent();
    const page = await visitor.get(`/g/${group.slug}/newsletters`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Get the newsletter by email');

    const address = `reader${made}@example.net`;
    const res = await visitor.post(`/g/${group.slug}/newsletters/subscribe`, { email: address.toUpperCase() });
    expect(res.statusCode).toBe(303);
    const after = await visitor.get(String(res.headers.location));
    expect(textOf(after.body)).toContain('Please check your inbox');
    await world.jobs.drain();
    const confirmation = await smtp.receivedWhere((m) => to(m) === address);
    expect(confirmation.subject).toBe(`Please confirm: the newsletter of ${group.name}`);
    const link = /https?:\/\/[^\s]+\/newsletters\/confirm\/[0-9a-f-]+/.exec(confirmation.text ?? '')?.[0];
    expect(link).toBeDefined();

    // Not confirmed yet: a newsletter to members and subscribers passes them by.
    const early = `Before confirming ${made}`;
    const audience = 'members_and_subscribers';
    await sendNow(
      facilitator,
      group.slug,
      await writeDraft(facilitator, group.slug, { subject: early, body: 'Hi.', audience }),
    );
    await world.mailTick();
    expect(recipientsOf(early)).not.toContain(address);
    expect(recipientsOf(early)).toContain(facilitator.email);

    // Opening the link (as a mail scanner would) confirms nothing; the button does.
    const path = new URL(link!).pathname;
    const open = await visitor.get(path);
    expect(textOf(open.body)).toContain(`Would you like the newsletter of ${group.name} by email?`);
    const confirmed = await visitor.post(path);
    expect(confirmed.statusCode).toBe(200);
    expect(textOf(confirmed.body)).toContain('You are signed up');

    // Asking again says the same, and sends nothing: the form tells nobody who is subscribed.
    const again = await world.agent().post(`/g/${group.slug}/newsletters/subscribe`, { email: address });
    expect(again.headers.location).toBe(res.headers.location);

    const next = `After confirming ${made}`;
    await sendNow(
      facilitator,
      group.slug,
      await writeDraft(facilitator, group.slug, { subject: next, body: 'Hello.', audience }),
    );
    await world.mailTick();
    const mail = withSubject(next).find((m) => to(m) === address)!;
    expect(mail.text).toContain(`You get this because you signed up for the newsletter of ${group.name}.`);
    expect(foreignAddresses(mail)).toEqual([]);
    expect(smtp.messages.filter((m) => to(m) === address)).toHaveLength(2);

    const unsubscribe = await world.app.inject({
      method: 'POST',
      url: unsubscribeUrlOf(mail),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribe.statusCode).toBe(200);
    const last = `After leaving ${made}`;
    await sendNow(
      facilitator,
      group.slug,
      await writeDraft(facilitator, group.slug, { subject: last, body: 'Bye.', audience }),
    );
    await world.mailTick();
    expect(recipientsOf(last)).not.toContain(address);
    expect(recipientsOf(last)).toContain(facilitator.email);
  });

  it('refuses an address that is not one, keeping what was typed', async () => {
    const { group } = await groupWithLeaders();
    const visitor = world.agent();
    await visitor.get(`/g/${group.slug}/newsletters`);
    const res = await visitor.post(`/g/${group.slug}/newsletters/subscribe`, { email: 'not an address' });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Please give an email address');
    expect(res.body).toContain('value="not an address"');
  });
});

describe('who may write and read', () => {
  it('lets no member or moderator write a newsletter', async () => {
    const { group } = await groupWithLeaders();
    for (const role of ['member', 'moderator'] as const) {
      const p = await person(role);
      await join(p, group.slug, role);
      expect((await p.agent.get(`/g/${group.slug}/newsletters/new`)).statusCode).toBe(403);
      const res = await p.agent.post(`/g/${group.slug}/newsletters/new`, {
        subject: 'Mine',
        body: 'Hello.',
        audience: 'members',
      });
      expect(res.statusCode).toBe(403);
    }
    expect(await db().select().from(newsletters).where(eq(newsletters.groupId, group.id))).toEqual([]);
  });

  it('shows the archive to members only unless the owner opens it; drafts only to leaders', async () => {
    const { group, facilitator } = await groupWithLeaders();
    const member = await person('Member');
    await join(member, group.slug);
    const subject = `Archived ${made}`;
    const id = await writeDraft(facilitator, group.slug, { subject, body: 'For the record.' });
    // A draft is the leaders' own.
    expect((await member.agent.get(`/g/${group.slug}/newsletters/${id}`)).statusCode).toBe(404);
    await sendNow(facilitator, group.slug, id);
    await world.mailTick();

    const visitor = world.agent();
    const list = await visitor.get(`/g/${group.slug}/newsletters`);
    expect(list.statusCode).toBe(200);
    expect(textOf(list.body)).not.toContain(subject);
    expect((await visitor.get(`/g/${group.slug}/newsletters/${id}`)).statusCode).toBe(403);
    expect(textOf((await member.agent.get(`/g/${group.slug}/newsletters/${id}`)).body)).toContain('For the record.');

    await db().insert(listSettings).values({ groupId: group.id, newsletterArchivePublic: true });
    expect(textOf((await visitor.get(`/g/${group.slug}/newsletters`)).body)).toContain(subject);
    expect(textOf((await visitor.get(`/g/${group.slug}/newsletters/${id}`)).body)).toContain('For the record.');

    const closed = await groupWithLeaders('members');
    expect((await visitor.get(`/g/${closed.group.slug}/newsletters`)).statusCode).toBe(403);
  });
});
