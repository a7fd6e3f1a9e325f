import { eq, sql, type SQL } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import type { Db } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound, RateLimited } from '../../platform/errors.js';
import { supportedLocales, translator, type MessageKey, type Vars } from '../../platform/views/i18n.js';
import { accessThread, createThread, replyToThread, threadUrl } from '../forum/index.js';
import type { Actor } from '../groups/index.js';
import { accessGroup } from '../groups/index.js';
import { turnOffNotificationEmail } from '../notifications/index.js';
import { helpCountry, resourcesFor } from '../safety/index.js';
import type { InboundAddress } from './addresses.js';
import { readBounce, recordBounce } from './bounces.js';
import type { MailContext } from './context.js';
import { keepWhatTheyWrote } from './quotes.js';
import { inboundMessages, listSettings } from './schema.js';
import { unsubscribeFromList } from './unsubscribe.js';

/**
 * Mail the inbound server cannot take, with the reason in words: the SMTP answer carries it, and
 * the sending server mails it back to the sender as a bounce. Never a crash, never a silent loss.
 */
export class MailRefused extends Error {
  constructor(
    /** 550 (permanent), 552 (too large), 452/451 (try again later). */
    readonly responseCode: number,
    /** The enhanced status code (RFC 3463), e.g. 5.7.1. */
    readonly status: string,
    readonly key: MessageKey,
    readonly vars: Vars = {},
    /** The sender's language when known. */
    readonly locale = 'en',
  ) {
    super(key);
  }

  /** The answer's words: one line of plain ASCII, as an SMTP reply must be. */
  text(): string {
    const words = translator(supportedLocales.includes(this.locale) ? this.locale : 'en')(this.key, this.vars);
    const ascii = words
      .replace(/[‘’]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(/[–—]/g, '-')
      .replace(/[^\x20-\x7e]/g, '');
    return `${this.status} ${ascii}`;
  }
}

export function refused(code: number, status: string, key: MessageKey, vars?: Vars, locale?: string): MailRefused {
  return new MailRefused(code, status, key, vars, locale);
}

/** What the server hands over: the recipients it accepted, the envelope sender, the parsed message. */
export interface ReceivedMail {
  recipients: InboundAddress[];
  /** MAIL FROM; null for the empty sender of bounces ("<>"). */
  envelopeFrom: string | null;
  mail: ParsedMail;
}

/** A member as mail knows them: who they are, where they read mail, in which language. */
interface Sender {
  id: number;
  pseudonym: string;
  email: string;
  verified: boolean;
  locale: string;
  timeZone: string;
}

/*
 * The accounts feature exports no lookup by address (no page needs one), so the sender is read
 * here, in one statement, and never leaves this module.
 */
async function findSender(db: Db, which: SQL): Promise<Sender | null> {
  const result = (await db.execute(sql`
    select u.id, u.pseudonym, u.email, u.email_verified_at is not null as verified, u.locale, u.time_zone as "timeZone"
    from users u where ${which} limit 1`)) as unknown as { rows: Sender[] };
  const row = result.rows[0];
  return row ? { ...row, id: Number(row.id) } : null;
}

/**
 * The member as the forum sees them. Mail proves less than a signed-in session with a second step,
 * so a message acts with a member's ordinary powers only: never a site admin's or a facilitator's.
 */
function actorOf(sender: Sender): NonNullable<Actor> {
  return {
    id: sender.id,
    pseudonym: sender.pseudonym,
    isAdmin: false,
    secondFactor: false,
    locale: sender.locale,
    timeZone: sender.timeZone,
  };
}

/** The one From address of a message, lower-cased; null when there is none or more than one. */
function fromAddress(mail: ParsedMail): string | null {
  const from = mail.from?.value ?? [];
  if (from.length !== 1) return null;
  return from[0]!.address?.trim().toLowerCase() || null;
}

/**
 * Mail written by a machine (holiday replies, "out of office"): never posted, and never answered
 * with a refusal either, as two machines answering each other would loop.
 */
function isAutomatic(mail: ParsedMail): boolean {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string' ? value.toLowerCase() : '';
  };
  const auto = header('auto-submitted');
  if (auto !== '' && auto !== 'no') return true;
  if (/^(bulk|junk|auto_reply)$/.test(header('precedence').trim())) return true;
  return mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond');
}

/**
 * The Message-ID, claimed before posting: a server that delivers the same message again (it did
 * not hear our answer) gets "accepted" and nothing is posted twice. A claim whose post fails is
 * given back, so that the sender can send it again.
 */
async function claim(db: Db, messageId: string | null): Promise<boolean> {
  if (!messageId) return true;
  const rows = await db
    .insert(inboundMessages)
    .values({ messageId })
    .onConflictDoNothing({ target: inboundMessages.messageId })
    .returning({ messageId: inboundMessages.messageId });
  return rows.length > 0;
}

async function release(db: Db, messageId: string | null): Promise<void> {
  if (messageId) await db.delete(inboundMessages).where(eq(inboundMessages.messageId, messageId));
}

async function settle(db: Db, messageId: string | null, groupId: number, postId: number | null): Promise<void> {
  if (messageId) {
    await db.update(inboundMessages).set({ groupId, postId }).where(eq(inboundMessages.messageId, messageId));
  }
}

/** A service's refusal, in words the sender's mail server sends back to them. */
function asRefusal(error: unknown, locale: string): unknown {
  if (error instanceof Invalid) {
    const key = Object.values(error.fieldErrors)[0] as MessageKey | undefined;
    return refused(550, '5.6.0', key ?? 'inboundMail.refused.malformed', {}, locale);
  }
  if (error instanceof Forbidden) return refused(550, '5.7.1', error.reason as MessageKey, {}, locale);
  if (error instanceof NotFound) return refused(550, '5.1.1', 'inboundMail.refused.notFound', {}, locale);
  if (error instanceof RateLimited) return refused(550, '5.7.1', 'inboundMail.refused.rateLimited', {}, locale);
  return error;
}

/** "Re: [Caregivers] Fwd: A hard week" → "A hard week". */
export function titleFromSubject(subject: string): string {
  const title = subject
    .replace(/\s+/g, ' ')
    .replace(/^\s*((re|fwd?|aw|wg|sv|vs|tr|rv|enc|antw|res)\s*(\[\d+\])?\s*:\s*|\[[^\]]{1,100}\]\s*)+/i, '')
    .trim();
  return title.length > 200 ? `${title.slice(0, 199).replace(/\s+\S*$/, '')}…` : title;
}

/** What the member wrote: the text part, or the HTML part as text; quotes and signature gone. */
function writtenText(mail: ParsedMail, locale: string): string {
  const body = keepWhatTheyWrote(mail.text ?? '');
  if (body.trim() === '') throw refused(550, '5.6.0', 'inboundMail.refused.empty', {}, locale);
  return body;
}

/** A reply to reply+<token>: posted into the thread as the member the token names. */
async function postReply(ctx: MailContext, mail: ParsedMail, userId: number, threadId: number): Promise<void> {
  const sender = await findSender(ctx.db, sql`u.id = ${userId}`);
  const locale = sender?.locale ?? 'en';
  // Someone who was forwarded the member's copy has the token too: only the member's own address posts.
  if (!sender || !sender.verified || fromAddress(mail) !== sender.email.toLowerCase()) {
    throw refused(550, '5.7.1', 'inboundMail.refused.wrongSender', {}, locale);
  }
  if (isAutomatic(mail)) return;
  const body = writtenText(mail, locale);
  // A member who wrote anonymously in this thread cannot tick the box from a mail client: stay anonymous.
  const anonymous = await wroteAnonymously(ctx.db, sender.id, threadId);
  const messageId = mail.messageId ?? null;
  if (!(await claim(ctx.db, messageId))) return;
  const post = await replyToThread(ctx.db, actorOf(sender), threadId, { body, anonymous }, effectsOf(ctx)).catch(
    async (error: unknown) => {
      await release(ctx.db, messageId);
      throw asRefusal(error, locale);
    },
  );
  // Posted: from here on a retry of this message is answered "accepted" and posts nothing.
  await settle(ctx.db, messageId, post.groupId, post.id);
  if (post.crisisAlertId !== null) await sendHelp(ctx, sender, threadId, post.crisisAlertId, post.status);
}

async function wroteAnonymously(db: Db, userId: number, threadId: number): Promise<boolean> {
  const result = (await db.execute(sql`select p.anonymous from posts p
    where p.thread_id = ${threadId} and p.author_id = ${userId} and p.deleted_at is null
    order by p.id desc limit 1`)) as unknown as { rows: { anonymous: boolean }[] };
  return result.rows[0]?.anonymous === true;
}

/** A new discussion sent to <slug>@domain by a member whose confirmed address sent it. */
async function postThread(ctx: MailContext, mail: ParsedMail, slug: string): Promise<void> {
  const from = fromAddress(mail);
  const sender = from ? await findSender(ctx.db, sql`lower(u.email) = ${from}`) : null;
  const locale = sender?.locale ?? 'en';
  if (!sender || !sender.verified) throw refused(550, '5.7.1', 'inboundMail.refused.unknownSender', {}, locale);
  if (isAutomatic(mail)) return;
  const actor = actorOf(sender);
  const access = await accessGroup(ctx.db, actor, slug).catch((error: unknown) => {
    if (error instanceof NotFound) throw refused(550, '5.1.1', 'inboundMail.refused.unknownAddress', {}, locale);
    throw error;
  });
  // Banned, lapsed or closed: the forum's own refusal below says which.
  if (!access.membership) throw refused(550, '5.7.1', 'inboundMail.refused.unknownSender', {}, locale);
  const [settings] = await ctx.db
    .select({ postByEmail: listSettings.postByEmail })
    .from(listSettings)
    .where(eq(listSettings.groupId, access.group.id));
  if (settings && !settings.postByEmail) throw refused(550, '5.7.1', 'inboundMail.refused.postByEmailOff', {}, locale);
  // A newsletter or a digest comes from the group's address, so "reply" would start a discussion
  // quoting it: say where a reply goes instead.
  if (answersNewsletterOrDigest(mail, ctx.domain))
    throw refused(550, '5.7.1', 'inboundMail.refused.replyToNewsletter', {}, locale);
  const body = writtenText(mail, locale);
  const messageId = mail.messageId ?? null;
  if (!(await claim(ctx.db, messageId))) return;
  const thread = await createThread(
    ctx.db,
    actor,
    slug,
    { title: titleFromSubject(mail.subject ?? ''), body },
    effectsOf(ctx),
  ).catch(async (error: unknown) => {
    await release(ctx.db, messageId);
    throw asRefusal(error, locale);
  });
  const [opening] = (
    (await ctx.db.execute(
      sql`select p.id, p.status from posts p where p.thread_id = ${thread.id} and p.is_opening`,
    )) as unknown as { rows: { id: number; status: string }[] }
  ).rows;
  await settle(ctx.db, messageId, thread.groupId, opening ? Number(opening.id) : null);
  if (thread.crisisAlertId !== null) {
    await sendHelp(ctx, sender, thread.id, thread.crisisAlertId, opening?.status ?? 'published');
  }
}

/** The mail answers one of our newsletters or digests (its In-Reply-To or References name one). */
function answersNewsletterOrDigest(mail: ParsedMail, domain: string): boolean {
  const ids = [mail.inReplyTo ?? '', ...[mail.references ?? []].flat()];
  const ours = new RegExp(`^<?(newsletter|digest)-[^@]*@${domain.replace(/[.]/g, '\\.')}>?$`, 'i');
  return ids.some((id) => ours.test(id.trim()));
}

function effectsOf(ctx: MailContext) {
  return {
    bus: ctx.bus,
    postingLimits: ctx.postingLimits,
    mailer: ctx.mailer,
    baseUrl: ctx.baseUrl,
    events: ctx.events,
  };
}

/**
 * What the web shows an author whose post reads as a crisis, by mail: help lines for their country
 * and a link to ask the group's leaders to check in. It names no group and quotes nothing, as a
 * shared inbox may be read by someone else.
 */
async function sendHelp(
  ctx: MailContext,
  sender: Sender,
  threadId: number,
  alertId: number,
  status: string,
): Promise<void> {
  const actor = actorOf(sender);
  const t = translator(supportedLocales.includes(sender.locale) ? sender.locale : 'en');
  const [{ access }, country] = await Promise.all([
    accessThread(ctx.db, actor, threadId),
    helpCountry(ctx.db, actor, undefined),
  ]);
  const resources = await resourcesFor(ctx.db, country);
  const lines = resources.map((r) => {
    const ways = [
      r.phone ? t('inboundMail.help.call', { phone: r.phone }) : null,
      r.sms ? t('inboundMail.help.text', { sms: r.sms }) : null,
      r.chatUrl ?? r.websiteUrl,
    ].filter((w): w is string => Boolean(w));
    return `- ${r.name}${r.description ? ` (${r.description})` : ''}: ${ways.join(', ')}`;
  });
  const link = `${ctx.baseUrl}${threadUrl(access.group.slug, { id: threadId })}?support=${alertId}#crisis-panel`;
  await ctx.mailer.send({
    to: sender.email,
    subject: t('inboundMail.help.subject'),
    text: t('inboundMail.help.body', {
      name: sender.pseudonym,
      posted: t(status === 'published' ? 'inboundMail.help.posted' : 'inboundMail.help.pending'),
      resources: lines.join('\n'),
      link,
      helpLink: `${ctx.baseUrl}/help`,
    }),
  });
}

/**
 * Handles one message for the addresses it was sent to. Throws MailRefused for mail that must go
 * back to its sender; anything else thrown is a fault of ours (the server answers "try later").
 */
export async function receiveMail(ctx: MailContext, received: ReceivedMail): Promise<void> {
  const { mail } = received;
  let firstRefusal: unknown = null;
  for (const to of received.recipients) {
    try {
      switch (to.kind) {
        case 'reply':
          await postReply(ctx, mail, to.userId, to.threadId);
          break;
        case 'group':
          await postThread(ctx, mail, to.slug);
          break;
        case 'unsubscribe':
          // RFC 8058: the token alone unsubscribes, whoever sends it; it names one member and one group.
          await unsubscribeFromList(ctx.db, to.userId, to.groupId);
          break;
        case 'notificationsOff':
          // RFC 8058 as above: the token names one person, whose notification emails stop.
          await turnOffNotificationEmail(ctx.db, to.userId);
          break;
        case 'bounce': {
          const bounce = readBounce(mail, received.envelopeFrom);
          if (bounce && (await claim(ctx.db, mail.messageId ?? null))) await recordBounce(ctx.db, to.userId, bounce);
          break;
        }
        default:
          throw refused(550, '5.1.1', 'inboundMail.refused.unknownAddress');
      }
    } catch (error) {
      // The other addresses still get the message; the first problem is the answer.
      firstRefusal ??= error;
    }
  }
  if (firstRefusal !== null) throw firstRefusal;
}
