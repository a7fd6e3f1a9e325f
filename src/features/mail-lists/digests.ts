import { createHash } from 'node:crypto';
import { inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { deliverOnce, type KeyedMail } from '../../platform/mail/ledger.js';
import { mailSent } from '../../platform/mail/schema.js';
import { defaultLocale, translator } from '../../platform/views/i18n.js';
import { firstDigestOfMonth, remindsMonthly } from '../agreements/index.js';
import { GRACE_DAYS } from '../groups/index.js';
import { bounceAddress, groupAddress, unsubscribeUrl } from './addresses.js';
import { listHeaders, type ListGroup } from './compose.js';
import type { MailContext, MailWork } from './context.js';
import { digestFor, isEmpty, loadGroupContent, loadMemberFilters } from './digest-content.js';
import { digestWriter, type DigestReader } from './digest-views.js';

/*
 * Daily and weekly digests. Every few minutes the worker asks the database which members' digest
 * hour has come in their own time zone (one query, whatever the number of members), and queues a
 * job per group and chunk of members. Each job loads the group's news once, writes each member's
 * digest, sends them through the idempotency ledger, and then moves the members' lastDigestAt on.
 */

/** Members per job: one job's mail is sent in a few seconds, and a retry repeats little. */
export const DIGEST_CHUNK = 500;
/** Messages handed to the mail server at once by one job (the transport pools its connections). */
const SEND_CONCURRENCY = 16;
const DAY_MS = 24 * 3600_000;

export const digestJob = z.object({
  groupId: z.number().int().positive(),
  /** The slot the digest is for: the window's end, the same for every member of the job. */
  windowEnd: z.string().datetime(),
  userIds: z.array(z.number().int().positive()).min(1).max(DIGEST_CHUNK),
});
export type DigestJob = z.infer<typeof digestJob>;

/** The days a digest covers at most: a member back after a pause gets news, not the group's history. */
const spanDays = (mode: 'daily' | 'weekly') => (mode === 'daily' ? 1 : 7);

/**
 * Whether the subscription `s` (with its member `u`, membership `m`, group `g` and mail settings
 * `ms`) should get list mail at `now`: a verified address, mail not paused after bounces, not
 * banned, and a member in good standing (a paid membership not lapsed past its grace days).
 */
function mayGetListMailSql(now: Date): SQL {
  return sql`u.email_verified_at is not null and ms.paused_at is null
    and not exists (select 1 from bans b where b.group_id = s.group_id and b.user_id = s.user_id)
    and not (g.join_policy = 'paid' and m.role = 'member' and not m.fee_waived
      and (m.paid_until is null or m.paid_until + ${GRACE_DAYS} * interval '1 day' < ${now.toISOString()}::timestamptz))`;
}

const subscribersFrom = sql`list_subscriptions s
  join users u on u.id = s.user_id
  join memberships m on m.group_id = s.group_id and m.user_id = s.user_id
  join groups g on g.id = s.group_id
  left join mail_settings ms on ms.user_id = s.user_id`;

/** A group's members whose digest is due at the same moment: one slot, in user id order. */
export interface DueDigests {
  groupId: number;
  windowEnd: Date;
  userIds: number[];
}

/**
 * The digests due at `now`, grouped by group and slot. A member's slot is the latest moment, not
 * after `now`, at which their digest hour struck in their time zone (for weekly digests, on their
 * weekday); it is due when the last digest (or, for a member who has had none, the moment they
 * joined or chose digests) was before it. PostgreSQL does the time-zone arithmetic (DST included).
 */
export async function dueDigests(db: DbOrTx, now: Date): Promise<DueDigests[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with member as (
      select s.group_id, s.user_id, s.mode, u.time_zone as tz,
        coalesce(ms.digest_hour, 8) as hour, coalesce(ms.digest_weekday, 1) as weekday,
        coalesce(s.last_digest_at, s.updated_at) as since,
        (${at} at time zone u.time_zone) - coalesce(ms.digest_hour, 8) * interval '1 hour' as shifted
      from ${subscribersFrom}
      where s.mode in ('daily', 'weekly') and ${mayGetListMailSql(now)}
    ), slotted as (
      select group_id, user_id, since,
        (date_trunc('day', shifted)
          - case when mode = 'weekly' then ((extract(dow from shifted)::int - weekday + 7) % 7) * interval '1 day'
              else interval '0 days' end
          + hour * interval '1 hour') at time zone tz as slot
      from member
    )
    select group_id, slot, array_agg(user_id order by user_id) as user_ids
    from slotted where since < slot
    group by group_id, slot
    order by group_id, slot`);
  return (result as unknown as { rows: { group_id: number; slot: string | Date; user_ids: unknown }[] }).rows.map(
    (r) => ({
      groupId: Number(r.group_id),
      windowEnd: new Date(r.slot),
      userIds: parseIntArray(r.user_ids),
    }),
  );
}

/** node-postgres hands int[] over as an array; PGlite too, but be lenient about '{1,2}'. */
function parseIntArray(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return String(value).replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
}

/**
 * The job's own id, made from what it is for: running the work twice, or in two processes at
 * once, finds the same members and queues the same id, which pg-boss keeps once.
 */
export function digestJobId(job: DigestJob): string {
  const hash = createHash('sha256')
    .update(`digest:${job.groupId}:${job.windowEnd}:${job.userIds.join(',')}`)
    .digest('hex');
  // Shaped as a UUID (version 8: "custom"), which pg-boss's id column requires.
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-8${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/** Splits each group's due members into jobs of at most DIGEST_CHUNK, in user id order. */
export function digestJobs(due: readonly DueDigests[]): DigestJob[] {
  const jobs: DigestJob[] = [];
  for (const d of due) {
    for (let i = 0; i < d.userIds.length; i += DIGEST_CHUNK) {
      jobs.push({
        groupId: d.groupId,
        windowEnd: d.windowEnd.toISOString(),
        userIds: d.userIds.slice(i, i + DIGEST_CHUNK),
      });
    }
  }
  return jobs;
}

/** The Message-ID of one member's digest of one group for one slot: stable across retries. */
export function digestMessageId(
  ctx: Pick<MailContext, 'domain'>,
  groupId: number,
  userId: number,
  windowEnd: Date,
): string {
  return `<digest-${groupId}-${userId}-${Math.floor(windowEnd.getTime() / 1000)}@${ctx.domain}>`;
}

const digestKey = (groupId: number, userId: number, windowEnd: string) => `digest:${groupId}:u:${userId}:${windowEnd}`;

interface Recipient {
  userId: number;
  email: string;
  locale: string;
  timeZone: string;
  mode: 'daily' | 'weekly';
  lastDigestAt: Date | null;
}

/** The job's members who still get this digest now (they may have changed their mind since it was queued). */
async function recipients(db: DbOrTx, job: DigestJob, now: Date): Promise<Recipient[]> {
  const ids = `{${job.userIds.join(',')}}`;
  const result = await db.execute(sql`
    select s.user_id, u.email, u.locale, u.time_zone, s.mode, s.last_digest_at
    from ${subscribersFrom}
    where s.group_id = ${job.groupId} and s.user_id = any(${ids}::int[]) and s.mode in ('daily', 'weekly')
      and (s.last_digest_at is null or s.last_digest_at < ${job.windowEnd}::timestamptz)
      and ${mayGetListMailSql(now)}
    order by s.user_id`);
  return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({
    userId: Number(r.user_id),
    email: String(r.email),
    locale: String(r.locale),
    timeZone: String(r.time_zone),
    mode: r.mode === 'weekly' ? 'weekly' : 'daily',
    lastDigestAt: r.last_digest_at === null ? null : new Date(r.last_digest_at as string | Date),
  }));
}

async function listGroup(db: DbOrTx, groupId: number): Promise<(ListGroup & { postByEmail: boolean }) | null> {
  const result = await db.execute(sql`
    select g.id, g.slug, g.name, coalesce(ls.post_by_email, true) as post_by_email
    from groups g left join list_settings ls on ls.group_id = g.id
    where g.id = ${groupId}`);
  const row = (result as unknown as { rows: Record<string, unknown>[] }).rows[0];
  if (!row) return null;
  return {
    id: Number(row.id),
    slug: String(row.slug),
    name: String(row.name),
    postByEmail: Boolean(row.post_by_email),
  };
}

/**
 * Sends one job's digests. The group's news is loaded once, for the longest window any of its
 * members needs; members with nothing new get no mail but their window still moves on. Members
 * whose digest was sent (or had none to send) get lastDigestAt = the window's end in one
 * statement, even when some failed, so that the retry sends only the rest.
 */
export async function sendDigests(ctx: MailContext, job: DigestJob, now = new Date()): Promise<{ sent: number }> {
  const windowEnd = new Date(job.windowEnd);
  const group = await listGroup(ctx.db, job.groupId);
  if (!group) return { sent: 0 };
  const members = await recipients(ctx.db, job, now);
  if (members.length === 0) return { sent: 0 };
  const sinceOf = (m: Recipient) =>
    new Date(Math.max(m.lastDigestAt?.getTime() ?? 0, windowEnd.getTime() - spanDays(m.mode) * DAY_MS));
  const earliest = new Date(Math.min(...members.map((m) => sinceOf(m).getTime())));
  const [content, filters, reminds] = await Promise.all([
    loadGroupContent(ctx.db, group.id, earliest, windowEnd),
    loadMemberFilters(
      ctx.db,
      group.id,
      members.map((m) => m.userId),
    ),
    remindsMonthly(ctx.db, group.id),
  ]);
  const write = digestWriter(group, ctx.baseUrl);
  const mail: (KeyedMail & { userId: number })[] = [];
  const nothingNew: number[] = [];
  for (const member of members) {
    const since = sinceOf(member);
    const digest = digestFor(member.userId, since, content, filters);
    if (isEmpty(digest)) {
      nothingNew.push(member.userId);
      continue;
    }
    const locale = member.locale === 'auto' ? defaultLocale : member.locale;
    const reader: DigestReader = { t: translator(locale), locale, timeZone: member.timeZone, mode: member.mode, since };
    // The group's agreements, once a month (src/features/agreements/reminder.ts says when).
    const reminder = reminds && firstDigestOfMonth(member.lastDigestAt, windowEnd, member.timeZone);
    const written = write(reader, digest, unsubscribeUrl(ctx, member.userId, group.id), reminder);
    const messageId = digestMessageId(ctx, group.id, member.userId, windowEnd);
    mail.push({
      userId: member.userId,
      key: digestKey(group.id, member.userId, job.windowEnd),
      messageId,
      message: {
        to: member.email,
        from: { name: group.name, address: groupAddress(ctx, group.slug) },
        ...written,
        messageId,
        headers: listHeaders(ctx, group, member.userId, { postByEmail: group.postByEmail }),
        envelopeFrom: bounceAddress(ctx, member.userId),
      },
    });
  }
  let failure: unknown = null;
  let sent = 0;
  try {
    sent = (await deliverOnce(ctx.db, ctx.transport, mail, SEND_CONCURRENCY)).sent;
  } catch (error) {
    failure = error;
  }
  const delivered = failure === null ? mail : await alreadySent(ctx.db, mail);
  await markDone(ctx.db, group.id, [...nothingNew, ...delivered.map((m) => m.userId)], job.windowEnd);
  if (failure !== null) throw failure;
  return { sent };
}

/** Of these messages, those the ledger says the mail server took. */
async function alreadySent<M extends KeyedMail>(db: DbOrTx, mail: readonly M[]): Promise<M[]> {
  if (mail.length === 0) return [];
  const rows = await db
    .select({ key: mailSent.key })
    .from(mailSent)
    .where(
      inArray(
        mailSent.key,
        mail.map((m) => m.key),
      ),
    );
  const done = new Set(rows.map((r) => r.key));
  return mail.filter((m) => done.has(m.key));
}

/** The next digest of these members starts where this one ended. */
async function markDone(db: DbOrTx, groupId: number, userIds: readonly number[], windowEnd: string): Promise<void> {
  if (userIds.length === 0) return;
  await db.execute(sql`
    update list_subscriptions set last_digest_at = ${windowEnd}::timestamptz
    where group_id = ${groupId} and user_id = any(${`{${userIds.join(',')}}`}::int[])
      and (last_digest_at is null or last_digest_at < ${windowEnd}::timestamptz)`);
}

/**
 * Defines the digest job (before the queue starts) and returns the work that queues it: every
 * five minutes, the digests whose hour has come. A member's digest comes within five minutes of
 * their hour; a worker that was down catches up when it is back.
 */
export function defineDigests(jobs: JobQueue, ctx: MailContext): MailWork[] {
  const job = jobs.define({
    name: 'mail.digest',
    data: digestJob,
    retryLimit: 8,
    retryDelay: 60,
    expireInSeconds: 15 * 60,
    run: async (data) => {
      await sendDigests(ctx, data);
    },
  });
  return [
    {
      name: 'digests',
      everySeconds: 5 * 60,
      run: async (now) => {
        for (const data of digestJobs(await dueDigests(ctx.db, now))) {
          await job.send(data, { id: digestJobId(data) });
        }
      },
    },
  ];
}
