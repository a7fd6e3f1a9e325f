import { and, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { deliverOnce, type KeyedMail } from '../../platform/mail/ledger.js';
import { mailSent } from '../../platform/mail/schema.js';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import type { MailContext, MailWork } from '../mail-lists/index.js';
import { listSubscriptions, mailSettings } from '../mail-lists/schema.js';
import { composeNewsletter, newsletterMessageId, type NewsletterRecipient } from './mail.js';
import { newsletters, newsletterSubscribers, type Newsletter } from './schema.js';
import { forgetUnconfirmed } from './service.js';

/** Recipients per job: a job that fails is retried whole, and deliverOnce skips those already sent. */
export const CHUNK = 500;

/** A newsletter still "sending" this long after its last claim lost its jobs (a crash): it is claimed again. */
const RECLAIM_AFTER_MS = 60 * 60 * 1000;

const chunkData = z.object({
  newsletterId: z.number().int().positive(),
  /** The claim this chunk belongs to (its time in ms): a later claim counts its own chunks. */
  round: z.number().int(),
  chunk: z.number().int().min(0),
  chunks: z.number().int().positive(),
  /** Everyone the claim found, across its chunks: the newsletter's recipient count once sent. */
  total: z.number().int().min(0),
  userIds: z.array(z.number().int().positive()).max(CHUNK),
  subscriberIds: z.array(z.number().int().positive()).max(CHUNK),
});
type ChunkData = z.infer<typeof chunkData>;

/**
 * The members a newsletter reaches: a confirmed address, newsletters on for their account and for
 * this group, mail not paused after bounces, not banned. `only` narrows to some of them (a chunk,
 * asked again at send time so that someone who unsubscribed meanwhile is not sent it).
 */
async function memberRecipients(db: Db, groupId: number, only?: number[]) {
  return db
    .select({ userId: users.id, email: users.email, locale: users.locale })
    .from(listSubscriptions)
    .innerJoin(users, eq(users.id, listSubscriptions.userId))
    .leftJoin(mailSettings, eq(mailSettings.userId, users.id))
    .where(
      and(
        eq(listSubscriptions.groupId, groupId),
        eq(listSubscriptions.newsletters, true),
        isNotNull(users.emailVerifiedAt),
        eq(users.emailNewsletters, true),
        isNull(mailSettings.pausedAt),
        sql`not exists (select 1 from bans b where b.group_id = ${groupId} and b.user_id = ${users.id})`,
        only ? inArray(users.id, only) : undefined,
      ),
    )
    .orderBy(users.id);
}

async function subscriberRecipients(db: Db, groupId: number, only?: number[]) {
  return db
    .select({ subscriberId: newsletterSubscribers.id, email: newsletterSubscribers.email })
    .from(newsletterSubscribers)
    .where(
      and(
        eq(newsletterSubscribers.groupId, groupId),
        isNotNull(newsletterSubscribers.confirmedAt),
        only ? inArray(newsletterSubscribers.id, only) : undefined,
      ),
    )
    .orderBy(newsletterSubscribers.id);
}

/** Everyone a newsletter goes to, by id: members, then subscribers whose address no member copy reaches. */
async function recipientIds(db: Db, n: Newsletter): Promise<{ userIds: number[]; subscriberIds: number[] }> {
  const members = await memberRecipients(db, n.groupId);
  if (n.audience === 'members') return { userIds: members.map((m) => m.userId), subscriberIds: [] };
  const reached = new Set(members.map((m) => m.email.toLowerCase()));
  const subscribers = await subscriberRecipients(db, n.groupId);
  return {
    userIds: members.map((m) => m.userId),
    subscriberIds: subscribers.filter((s) => !reached.has(s.email.toLowerCase())).map((s) => s.subscriberId),
  };
}

const chunkKey = (d: Pick<ChunkData, 'newsletterId' | 'round'>, chunk: number) =>
  `newsletter:${d.newsletterId}:round:${d.round}:chunk:${chunk}`;

async function markSent(db: Db, id: number, total: number, now: Date): Promise<void> {
  await db
    .update(newsletters)
    .set({ status: 'sent', sentAt: now, recipientCount: total, updatedAt: now })
    .where(and(eq(newsletters.id, id), eq(newsletters.status, 'sending')));
}

/**
 * Sending newsletters when their time comes ("send now" is a time too: the moment it was asked).
 * Every 30 seconds, due newsletters are claimed (marked "sending" in one update, so two workers
 * never both take one) and their recipients are queued in jobs of at most 500. Each job sends
 * through the idempotency ledger, then records its chunk as done; the job that finds every chunk
 * done marks the newsletter sent.
 */
export function defineNewsletters(jobs: JobQueue, ctx: MailContext): MailWork[] {
  const send = jobs.define({
    name: 'newsletter.send',
    data: chunkData,
    retryLimit: 10,
    retryDelay: 60,
    expireInSeconds: 15 * 60,
    run: async (data) => {
      const [row] = await ctx.db
        .select({ newsletter: newsletters, group: groups })
        .from(newsletters)
        .innerJoin(groups, eq(groups.id, newsletters.groupId))
        .where(eq(newsletters.id, data.newsletterId));
      // Deleted with its group, or already finished by an earlier claim: nothing left to do.
      if (!row || row.newsletter.status !== 'sending') return;
      const { newsletter, group } = row;
      const members = data.userIds.length > 0 ? await memberRecipients(ctx.db, group.id, data.userIds) : [];
      const subscribers =
        data.subscriberIds.length > 0 ? await subscriberRecipients(ctx.db, group.id, data.subscriberIds) : [];
      const recipients: NewsletterRecipient[] = [
        ...members.map((m) => ({ kind: 'member' as const, ...m })),
        ...subscribers.map((s) => ({ kind: 'subscriber' as const, ...s })),
      ];
      const mail: KeyedMail[] = recipients.map((r) => ({
        key:
          r.kind === 'member'
            ? `newsletter:${newsletter.id}:u:${r.userId}`
            : `newsletter:${newsletter.id}:s:${r.subscriberId}`,
        message: composeNewsletter(ctx, newsletter, group, r),
        messageId: newsletterMessageId(ctx, newsletter.id),
      }));
      await deliverOnce(ctx.db, ctx.transport, mail);
      await ctx.db
        .insert(mailSent)
        .values({ key: chunkKey(data, data.chunk) })
        .onConflictDoNothing();
      const keys = Array.from({ length: data.chunks }, (_, i) => chunkKey(data, i));
      const done = await ctx.db.select({ key: mailSent.key }).from(mailSent).where(inArray(mailSent.key, keys));
      // Each chunk records itself before it counts, so the last one to count sees them all.
      if (done.length === data.chunks) await markSent(ctx.db, newsletter.id, data.total, new Date());
    },
  });

  async function claimDue(now: Date): Promise<Newsletter[]> {
    return ctx.db
      .update(newsletters)
      .set({ status: 'sending', updatedAt: now })
      .where(
        or(
          and(eq(newsletters.status, 'scheduled'), lte(newsletters.scheduledFor, now)),
          and(eq(newsletters.status, 'sending'), lt(newsletters.updatedAt, new Date(now.getTime() - RECLAIM_AFTER_MS))),
        ),
      )
      .returning();
  }

  async function queue(n: Newsletter, round: number, now: Date): Promise<void> {
    const { userIds, subscriberIds } = await recipientIds(ctx.db, n);
    const all = [...userIds.map((id) => ({ u: id })), ...subscriberIds.map((id) => ({ s: id }))];
    if (all.length === 0) return markSent(ctx.db, n.id, 0, now);
    const chunks = Math.ceil(all.length / CHUNK);
    for (let i = 0; i < chunks; i += 1) {
      const part = all.slice(i * CHUNK, (i + 1) * CHUNK);
      await send.send({
        newsletterId: n.id,
        round,
        chunk: i,
        chunks,
        total: all.length,
        userIds: part.flatMap((p) => ('u' in p ? [p.u] : [])),
        subscriberIds: part.flatMap((p) => ('s' in p ? [p.s] : [])),
      });
    }
  }

  return [
    {
      name: 'newsletters',
      everySeconds: 30,
      run: async (now) => {
        for (const n of await claimDue(now)) await queue(n, now.getTime(), now);
      },
    },
    {
      name: 'newsletter subscribers housekeeping',
      everySeconds: 3600,
      run: (now) => forgetUnconfirmed(ctx.db, now),
    },
  ];
}
