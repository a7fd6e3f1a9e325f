import { createHash } from 'node:crypto';
import { and, gte, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { PushOptions } from '../../platform/deps.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { defaultLocale, translator } from '../../platform/views/i18n.js';
import { threadTitleSql } from '../forum/index.js';
import { groupSummarySql } from '../groups/index.js';
import { channelEnabledSql, inQuietHoursSql } from '../notifications/index.js';
import { pushPayloadFor, testPayload, type Pending, type PushPayload } from './payload.js';
import { pushSubscriptions } from './schema.js';
import { sendPush, type Outcome, type SenderOptions } from './sender.js';
import { devicesOf } from './subscriptions.js';

export interface PushWorkOptions extends SenderOptions {
  db: Db;
}

/** A notification older than this is not pushed any more: the person will find it on the page. */
const FRESH = sql`interval '1 day'`;
/** A device whose push service failed this many times in a row is given up (its owner can turn it on again). */
export const MAX_FAILURES = 20;
/** How long a push service keeps a push for a device that is off (seconds). */
const TTL = 24 * 3600;
/** Pushes about notifications replace each other at the push service while the device is away. */
const TOPIC = 'notifications';

const deliverJob = z.object({
  userId: z.number().int().positive(),
  /** The newest notification found due; later ones wait for the next run. */
  upTo: z.number().int().positive(),
  /** When the run found it due: quiet hours are judged at this time. */
  at: z.iso.datetime(),
});
const testJob = z.object({ userId: z.number().int().positive() });

/**
 * Web Push for notifications. Every few seconds the worker looks for people with a device that
 * have notifications not yet pushed, wanted by push (their choice per kind), unread, less than a
 * day old and outside their quiet hours, and queues one job per person. The job claims the rows
 * (pushed_at set, in one statement, so a second run or a restarted worker finds nothing to send
 * again: a push is sent at most once) and sends one push to each of the person's devices that
 * sums them up. Rows of people without a device are never looked at (the search starts from
 * push_subscriptions); a person's first device marks their older rows as pushed.
 */
export function definePushWork(
  jobs: Pick<JobQueue, 'define'>,
  opts: PushWorkOptions,
): { work: PeriodicWork[]; routes: PushOptions } {
  const { db } = opts;
  const deliver = jobs.define({
    name: 'push.deliver',
    data: deliverJob,
    // Sending never throws (failures are counted on the device); only the database can fail here.
    retryLimit: 3,
    expireInSeconds: 120,
    async run({ userId, upTo, at }) {
      const claimed = await claimPending(db, userId, upTo, new Date(at));
      if (claimed.pending.length === 0) return;
      // English, the catalog's one language; the person's own (accounts' locale) once there are more.
      const t = translator(defaultLocale);
      await pushToDevices(db, userId, pushPayloadFor(t, claimed.pending, claimed.details), opts);
    },
  });
  const test = jobs.define({
    name: 'push.test',
    data: testJob,
    retryLimit: 3,
    expireInSeconds: 120,
    async run({ userId }) {
      await pushToDevices(db, userId, testPayload(translator(defaultLocale)), opts);
    },
  });
  return {
    work: [
      {
        name: 'push notifications',
        everySeconds: 5,
        async run(now) {
          await settleUnwanted(db, now);
          for (const due of await duePushes(db, now)) {
            await deliver.send(
              { ...due, at: now.toISOString() },
              { id: jobId(`push:${due.userId}:${due.upTo}:${Math.floor(now.getTime() / 60_000)}`) },
            );
          }
        },
      },
    ],
    routes: {
      publicKey: opts.vapid.publicKey,
      allowPrivateEndpoints: opts.allowPrivateEndpoints,
      async sendTest(userId) {
        // One a minute at most, however often the button is pressed.
        await test.send({ userId }, { id: jobId(`push-test:${userId}:${Math.floor(Date.now() / 60_000)}`) });
      },
    },
  };
}

/** Whether a notification row (aliased n) is wanted by push, and whether its person is in quiet hours at `at`. */
const wanted = channelEnabledSql(sql`n.user_id`, sql`n.kind`, 'push');
const quiet = (at: Date) => inQuietHoursSql(sql`n.user_id`, sql`${at.toISOString()}::timestamptz`);

/**
 * Marks as settled what will never be pushed for people with a device: what they read meanwhile,
 * or do not want by push. Otherwise turning push on for a kind later would push old news.
 */
async function settleUnwanted(db: Db, now: Date): Promise<void> {
  await db.execute(sql`
    update notifications n set pushed_at = ${now.toISOString()}::timestamptz
    where n.user_id in (select s.user_id from push_subscriptions s)
      and n.created_at > ${now.toISOString()}::timestamptz - ${FRESH}
      and n.pushed_at is null and (n.read_at is not null or not ${wanted})`);
}

/** People with a device and something to push now, with the newest such notification. */
async function duePushes(db: Db, now: Date): Promise<{ userId: number; upTo: number }[]> {
  const result = (await db.execute(sql`
    select n.user_id as "userId", max(n.id)::int as "upTo"
    from notifications n
    where n.user_id in (select s.user_id from push_subscriptions s)
      and n.created_at > ${now.toISOString()}::timestamptz - ${FRESH}
      and n.pushed_at is null and n.read_at is null
      and ${wanted} and not ${quiet(now)}
    group by n.user_id
    limit 1000`)) as unknown as { rows: { userId: number; upTo: number }[] };
  return result.rows;
}

/**
 * Claims the person's notifications up to `upTo` that are waiting for push: those to push
 * (wanted, unread) and those that never will be (not wanted, or read meanwhile). Rows held by
 * quiet hours stay for a later run. Returns what to push, with the details the person allows.
 */
async function claimPending(
  db: Db,
  userId: number,
  upTo: number,
  at: Date,
): Promise<{ pending: Pending[]; details: boolean }> {
  const result = (await db.execute(sql`
    with claimed as (
      update notifications n set pushed_at = ${at.toISOString()}::timestamptz
      where n.user_id = ${userId} and n.id <= ${upTo} and n.pushed_at is null
        and n.created_at > ${at.toISOString()}::timestamptz - ${FRESH}
        and not (${wanted} and ${quiet(at)})
      returning n.id, n.kind, n.group_id, n.thread_id, n.read_at is null and ${wanted} as push
    )
    select c.id, c.kind::text as kind, ${groupSummarySql(sql`c.group_id`)} ->> 'name' as "group",
      ${threadTitleSql(sql`c.thread_id`)} as thread,
      coalesce((select s.push_details from notification_settings s where s.user_id = ${userId}), false) as details
    from claimed c where c.push order by c.id`)) as unknown as {
    rows: (Pending & { details: boolean })[];
  };
  return {
    pending: result.rows.map((r) => ({ id: Number(r.id), kind: r.kind, group: r.group, thread: r.thread })),
    details: result.rows[0]?.details ?? false,
  };
}

/** Sends a push to each of the person's devices, then records how each went. */
async function pushToDevices(db: Db, userId: number, payload: PushPayload, opts: SenderOptions): Promise<void> {
  const devices = await devicesOf(db, userId);
  if (devices.length === 0) return;
  const message = { payload: JSON.stringify(payload), ttl: TTL, urgency: 'normal' as const, topic: TOPIC };
  const outcomes = await Promise.all(devices.map((d) => sendPush(d, message, opts)));
  const ids = (outcome: Outcome) => devices.filter((_, i) => outcomes[i] === outcome).map((d) => d.id);
  const [sent, gone, failed] = [ids('sent'), ids('gone'), ids('failed')];
  if (sent.length > 0) {
    await db
      .update(pushSubscriptions)
      .set({ lastSuccessAt: sql`now()`, failures: 0 })
      .where(inArray(pushSubscriptions.id, sent));
  }
  if (gone.length > 0) await db.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, gone));
  if (failed.length > 0) {
    await db
      .update(pushSubscriptions)
      .set({ failures: sql`${pushSubscriptions.failures} + 1` })
      .where(inArray(pushSubscriptions.id, failed));
    await db
      .delete(pushSubscriptions)
      .where(and(inArray(pushSubscriptions.id, failed), gte(pushSubscriptions.failures, MAX_FAILURES)));
  }
}

/** A job id made from what it is for (shaped as a UUID, as pg-boss's are), so none is queued twice. */
function jobId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
