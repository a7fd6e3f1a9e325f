import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { wallClockToUtc } from '../../platform/text/zoned-time.js';
import type { Viewer } from '../../platform/http/page.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { verifiedEmailOf } from '../accounts/index.js';
import { accessGroup, accessGroupById, isLeader, recordAudit, type Actor, type GroupAccess } from '../groups/index.js';
import { groups } from '../groups/schema.js';
import type { MailContext } from '../mail-lists/index.js';
import { listSettings, listSubscriptions } from '../mail-lists/schema.js';
import { composeConfirmation, composeNewsletter, readConfirmToken, readUnsubscribeToken } from './mail.js';
import {
  assertCanOpenNewslettersPage,
  assertCanReadArchive,
  assertCanSubscribePublicly,
  assertCanWriteNewsletters,
  canReadArchive,
} from './policy.js';
import {
  newsletterAudienceEnum,
  newsletters,
  newsletterSubscribers,
  type Newsletter,
  type NewsletterSubscriber,
} from './schema.js';

type MailLinks = Pick<MailContext, 'domain' | 'secret' | 'baseUrl'>;

export const newsletterInput = z.object({
  subject: z
    .string()
    .trim()
    .min(1, 'newsletters.errors.subject')
    .max(200, 'newsletters.errors.subject')
    .refine((s) => !/[\r\n]/.test(s), 'newsletters.errors.subject'),
  body: z.string().trim().min(1, 'newsletters.errors.body').max(50_000, 'newsletters.errors.body'),
  audience: z.enum(newsletterAudienceEnum.enumValues, 'newsletters.errors.audience').default('members'),
});

const scheduleInput = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'newsletters.errors.date'),
  time: z.string().regex(/^\d{2}:\d{2}$/, 'newsletters.errors.time'),
});

const subscribeInput = z.object({
  email: z.string().trim().toLowerCase().max(320, 'newsletters.errors.email').pipe(z.email('newsletters.errors.email')),
});

// Writing ---------------------------------------------------------------------------------------

/** The group, with the check that this person may write its newsletters. */
export async function accessForWriting(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  assertCanWriteNewsletters(access);
  return access;
}

/** A newsletter of the group, as its writers see it (drafts too). */
async function ownNewsletter(db: DbOrTx, access: GroupAccess, id: number): Promise<Newsletter> {
  const [row] = await db
    .select()
    .from(newsletters)
    .where(and(eq(newsletters.id, id), eq(newsletters.groupId, access.group.id)));
  if (!row) throw new NotFound();
  return row;
}

export async function newsletterForWriting(
  db: DbOrTx,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ access: GroupAccess; newsletter: Newsletter }> {
  const access = await accessForWriting(db, actor, slug);
  return { access, newsletter: await ownNewsletter(db, access, id) };
}

/** Saves a new draft; returns its id. */
export async function createNewsletter(db: Db, actor: Viewer, slug: string, input: unknown): Promise<number> {
  const access = await accessForWriting(db, actor, slug);
  const data = parseInput(newsletterInput, input);
  const [row] = await db
    .insert(newsletters)
    .values({ ...data, bodyHtml: renderMarkdown(data.body), groupId: access.group.id, authorId: actor.id })
    .returning({ id: newsletters.id });
  return row!.id;
}

/** Changes a draft. A scheduled newsletter goes back to draft first, so nobody edits one mid-send. */
export async function updateNewsletter(db: Db, actor: Viewer, slug: string, id: number, input: unknown): Promise<void> {
  const access = await accessForWriting(db, actor, slug);
  const data = parseInput(newsletterInput, input);
  const rows = await db
    .update(newsletters)
    .set({ ...data, bodyHtml: renderMarkdown(data.body), updatedAt: sql`now()` })
    .where(and(eq(newsletters.id, id), eq(newsletters.groupId, access.group.id), eq(newsletters.status, 'draft')))
    .returning({ id: newsletters.id });
  if (rows.length === 0) notADraft(await ownNewsletter(db, access, id));
}

function notADraft(n: Newsletter): never {
  throw new Invalid({ '': n.status === 'scheduled' ? 'newsletters.errors.scheduled' : 'newsletters.errors.notDraft' });
}

/** Schedules a draft for a time the writer gave on their own clock; it must be in the future. */
export async function scheduleNewsletter(
  db: Db,
  actor: Viewer,
  slug: string,
  id: number,
  input: unknown,
  now = new Date(),
): Promise<Date> {
  const access = await accessForWriting(db, actor, slug);
  const data = parseInput(scheduleInput, input);
  const at = wallClockToUtc(data.date, data.time, actor.timeZone ?? 'UTC');
  if (!at) throw new Invalid({ date: 'newsletters.errors.date' });
  if (at.getTime() <= now.getTime()) throw new Invalid({ date: 'newsletters.errors.past' });
  await setSending(db, access, actor, id, at, 'schedule_newsletter');
  return at;
}

/** Sends a draft now: it is scheduled for this moment, and the next round of the worker sends it. */
export async function sendNewsletterNow(db: Db, actor: Viewer, slug: string, id: number): Promise<void> {
  const access = await accessForWriting(db, actor, slug);
  await setSending(db, access, actor, id, new Date(), 'send_newsletter');
}

async function setSending(
  db: Db,
  access: GroupAccess,
  actor: Viewer,
  id: number,
  at: Date,
  action: 'schedule_newsletter' | 'send_newsletter',
): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(newsletters)
      .set({ status: 'scheduled', scheduledFor: at, updatedAt: sql`now()` })
      .where(and(eq(newsletters.id, id), eq(newsletters.groupId, access.group.id), eq(newsletters.status, 'draft')))
      .returning({ subject: newsletters.subject });
    if (rows.length === 0) notADraft(await ownNewsletter(tx, access, id));
    await recordAudit(tx, { groupId: access.group.id, actorId: actor.id, action, reason: rows[0]!.subject });
  });
}

/** A scheduled newsletter goes back to being a draft, until the worker has started sending it. */
export async function cancelNewsletter(db: Db, actor: Viewer, slug: string, id: number): Promise<void> {
  const access = await accessForWriting(db, actor, slug);
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(newsletters)
      .set({ status: 'draft', scheduledFor: null, updatedAt: sql`now()` })
      .where(and(eq(newsletters.id, id), eq(newsletters.groupId, access.group.id), eq(newsletters.status, 'scheduled')))
      .returning({ subject: newsletters.subject });
    if (rows.length === 0) {
      await ownNewsletter(tx, access, id);
      throw new Invalid({ '': 'newsletters.errors.notScheduled' });
    }
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor.id,
      action: 'cancel_newsletter',
      reason: rows[0]!.subject,
    });
  });
}

/** "Send me a test": the newsletter as members will get it, to the writer's own confirmed address only. */
export async function sendTestNewsletter(
  db: Db,
  mailer: Mailer,
  links: MailLinks,
  actor: Viewer,
  slug: string,
  id: number,
): Promise<void> {
  const { access, newsletter } = await newsletterForWriting(db, actor, slug, id);
  const email = await verifiedEmailOf(db, actor.id);
  if (!email) throw new Invalid({ '': 'newsletters.errors.verifyFirst' });
  const message = composeNewsletter(links, newsletter, access.group, {
    kind: 'member',
    userId: actor.id,
    email,
    locale: actor.locale ?? 'auto',
  });
  // Its own Message-ID (the job's), so that a mail client does not take the real one for a copy of the test.
  await mailer.send({ ...message, messageId: undefined, subject: `[Test] ${newsletter.subject}` });
}

// Reading ---------------------------------------------------------------------------------------

export interface NewsletterListItem {
  id: number;
  subject: string;
  status: Newsletter['status'];
  audience: Newsletter['audience'];
  scheduledFor: Date | null;
  sentAt: Date | null;
  recipientCount: number | null;
  updatedAt: Date;
}

export interface NewslettersPage {
  access: GroupAccess;
  /** Sent newsletters; for leaders, drafts and scheduled ones too. Empty when the archive is closed to this person. */
  items: NewsletterListItem[];
  canRead: boolean;
  /** Confirmed public subscribers, counted for leaders (null for others); never their addresses. */
  subscribers: number | null;
}

/**
 * The newsletters page of a group: its archive, and for leaders their drafts and the number of
 * subscribers, in one query after the group's.
 */
export async function newslettersPage(db: Db, actor: Actor, slug: string): Promise<NewslettersPage> {
  const access = await accessGroup(db, actor, slug);
  const leader = isLeader(access);
  const g = access.group.id;
  const rows = await db
    .select({
      archivePublic: sql<boolean>`coalesce(${listSettings.newsletterArchivePublic}, false)`,
      subscribers: sql<number>`(select count(*)::int from newsletter_subscribers s
        where s.group_id = ${g} and s.confirmed_at is not null)`,
      item: {
        id: newsletters.id,
        subject: newsletters.subject,
        status: newsletters.status,
        audience: newsletters.audience,
        scheduledFor: newsletters.scheduledFor,
        sentAt: newsletters.sentAt,
        recipientCount: newsletters.recipientCount,
        updatedAt: newsletters.updatedAt,
      },
    })
    .from(groups)
    .leftJoin(listSettings, eq(listSettings.groupId, groups.id))
    .leftJoin(newsletters, and(eq(newsletters.groupId, groups.id), leader ? undefined : eq(newsletters.status, 'sent')))
    .where(eq(groups.id, g))
    .orderBy(desc(sql`coalesce(${newsletters.sentAt}, ${newsletters.scheduledFor}, ${newsletters.updatedAt})`))
    .limit(200);
  const archivePublic = rows[0]?.archivePublic ?? false;
  assertCanOpenNewslettersPage(access, archivePublic);
  const canRead = canReadArchive(access, archivePublic);
  const items = canRead ? rows.flatMap((r) => (r.item ? [r.item] : [])) : [];
  return { access, items, canRead, subscribers: leader ? (rows[0]?.subscribers ?? 0) : null };
}

/**
 * One newsletter: a sent one for whoever may read the archive; a draft or scheduled one for the
 * group's leaders only (to anyone else it does not exist).
 */
export async function readNewsletter(
  db: Db,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ access: GroupAccess; newsletter: Newsletter }> {
  const access = await accessGroup(db, actor, slug);
  const [row] = await db
    .select({
      archivePublic: sql<boolean>`coalesce(${listSettings.newsletterArchivePublic}, false)`,
      newsletter: newsletters,
    })
    .from(groups)
    .leftJoin(listSettings, eq(listSettings.groupId, groups.id))
    .leftJoin(newsletters, and(eq(newsletters.groupId, groups.id), eq(newsletters.id, id)))
    .where(eq(groups.id, access.group.id));
  // Whether the archive is open is asked first, so a closed one says nothing of what it holds.
  assertCanReadArchive(access, row?.archivePublic ?? false);
  const newsletter = row?.newsletter;
  if (!newsletter || (newsletter.status !== 'sent' && !isLeader(access))) throw new NotFound();
  return { access, newsletter };
}

// Public subscribers ----------------------------------------------------------------------------

/**
 * Someone outside the group asks for its newsletter: a row waiting for confirmation, and a link
 * to confirm by mail (double opt-in). The caller always says "check your inbox", whether the
 * address was new, waiting or already confirmed, so the form tells nobody who subscribes.
 */
export async function subscribe(
  db: Db,
  mailer: Mailer,
  links: MailLinks,
  actor: Actor,
  slug: string,
  input: unknown,
): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  assertCanSubscribePublicly(access);
  const { email } = parseInput(subscribeInput, input);
  const [created] = await db
    .insert(newsletterSubscribers)
    .values({ groupId: access.group.id, email })
    .onConflictDoNothing()
    .returning();
  const subscriber: NewsletterSubscriber | undefined =
    created ??
    (
      await db
        .select()
        .from(newsletterSubscribers)
        .where(and(eq(newsletterSubscribers.groupId, access.group.id), eq(newsletterSubscribers.email, email)))
    )[0];
  // Already confirmed: nothing to send (a second confirmation would only puzzle them).
  if (subscriber && subscriber.confirmedAt === null) {
    await mailer.send(composeConfirmation(links, access.group, subscriber));
  }
  return access;
}

/** The group a confirmation link is for, while its subscriber is still there; else not found. */
export async function subscriberOfToken(db: Db, secret: Buffer, token: string): Promise<GroupAccess> {
  const id = readConfirmToken(secret, token);
  if (id === null) throw new NotFound();
  const [row] = await db
    .select({ groupId: newsletterSubscribers.groupId })
    .from(newsletterSubscribers)
    .where(eq(newsletterSubscribers.id, id));
  if (!row) throw new NotFound();
  return accessGroupById(db, null, row.groupId);
}

/** Confirms a subscription (POST only: a link scanner fetching the page confirms nothing). */
export async function confirmSubscription(db: Db, secret: Buffer, token: string): Promise<GroupAccess> {
  const access = await subscriberOfToken(db, secret, token);
  const id = readConfirmToken(secret, token)!;
  await db
    .update(newsletterSubscribers)
    .set({ confirmedAt: sql`now()` })
    .where(and(eq(newsletterSubscribers.id, id), isNull(newsletterSubscribers.confirmedAt)));
  return access;
}

/** The group an unsubscribe link names, or null when its subscriber has already gone. */
export async function unsubscribeTarget(db: Db, secret: Buffer, token: string): Promise<GroupAccess | null> {
  const target = readUnsubscribeToken(secret, token);
  if (!target) throw new NotFound();
  if (target.kind === 'member') {
    try {
      return await accessGroupById(db, null, target.groupId);
    } catch (error) {
      if (error instanceof NotFound) return null;
      throw error;
    }
  }
  const [row] = await db
    .select({ groupId: newsletterSubscribers.groupId })
    .from(newsletterSubscribers)
    .where(eq(newsletterSubscribers.id, target.id));
  return row ? accessGroupById(db, null, row.groupId) : null;
}

/**
 * One click, no login: a member's copy stops this group's newsletters for them; a subscriber's
 * row is deleted, address and all. Doing it twice does no harm.
 */
export async function unsubscribeByToken(db: Db, secret: Buffer, token: string): Promise<void> {
  const target = readUnsubscribeToken(secret, token);
  if (!target) throw new NotFound();
  if (target.kind === 'member') {
    await db
      .update(listSubscriptions)
      .set({ newsletters: false, updatedAt: sql`now()` })
      .where(and(eq(listSubscriptions.userId, target.userId), eq(listSubscriptions.groupId, target.groupId)));
  } else {
    await db.delete(newsletterSubscribers).where(eq(newsletterSubscribers.id, target.id));
  }
}

/** Addresses never confirmed are forgotten after a week: we keep no address nobody asked us to. */
export async function forgetUnconfirmed(db: Db, now: Date): Promise<void> {
  await db
    .delete(newsletterSubscribers)
    .where(
      and(
        isNull(newsletterSubscribers.confirmedAt),
        lt(newsletterSubscribers.createdAt, new Date(now.getTime() - 7 * 24 * 3600_000)),
      ),
    );
}
