import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { EventSink } from '../../platform/deps.js';
import { mailPausedSql } from '../mail-lists/index.js';
import { publishUnreadCounts } from './live.js';
import { channelEnabledSql } from './preferences.js';
import type { NewNotification } from './service.js';

/**
 * Notifications that follow from what someone did (a reply, a mention, a reaction, a private
 * message) are made by a job, not by the request that did it: a post in a group of ten thousand
 * must not keep its author waiting. The request sends an event after its transaction commits
 * (deps.events.send); the job asks the feature that knows the event who is to be told, and
 * writes those notifications in one transaction.
 */
export interface NotificationSource<E> {
  /** The event's type ("post.created"), unique across features. */
  type: string;
  /** The event's fields besides its type, checked when the job runs. */
  event: z.ZodType<E>;
  /**
   * Who is to be told, and what: read inside the job's transaction. Only people who may read the
   * thing, who have not blocked or muted it, and never the one who did it.
   */
  recipients(tx: DbOrTx, event: E): Promise<NewNotification[]>;
}

const eventEnvelope = z.object({ type: z.string().min(1).max(60) }).passthrough();

export interface NotificationContext {
  db: Db;
  /** Where the bell's new count is published once the job commits; read when the job runs. */
  bus?: Bus | undefined;
}

/**
 * Defines the job that turns events into notifications, and returns the sink requests send
 * events into. Sources come from the features that know each event (main.ts and the test world
 * list them, as they list periodic work).
 */
export function defineNotificationJobs(
  jobs: Pick<JobQueue, 'define'>,
  ctx: NotificationContext,
  sources: NotificationSource<unknown>[],
): EventSink {
  const byType = new Map(sources.map((s) => [s.type, s]));
  const job = jobs.define({
    name: 'notifications.event',
    data: eventEnvelope,
    retryLimit: 5,
    run: async (data) => {
      const source = byType.get(data.type);
      // Events reach other jobs too (webhooks): one that tells nobody anything is not an error.
      if (!source) return;
      const event = source.event.parse(data);
      const told = await ctx.db.transaction(async (tx) => {
        const rows = await source.recipients(tx, event);
        return createNotifications(tx, rows);
      });
      // At once, not at the next run of the live work: a mention shows on the bell within a second.
      await publishUnreadCounts(ctx.db, ctx.bus, told);
    },
  });
  return {
    async send(event) {
      await job.send(event);
    },
  };
}

/**
 * Unread notifications wait this long before they go out by email, so that a reply and the
 * mention that follows it arrive in one email, and someone on the site reads them there first
 * (reading one takes it out of the email).
 */
export const EMAIL_GATHER_MINUTES = 5;

/**
 * Writes notifications in one statement, and decides in the same statement how each one reaches
 * its person, so that every notification is delivered however it was made (here from an event,
 * or by notify() inside some feature's transaction), and the decision commits or rolls back with
 * it:
 * - on the site: unread (counted on the bell) when the person wants this kind there; otherwise
 *   written already read, for email or push alone, and left out of their list;
 * - by email: email_due_at, when the person wants this kind by email and has a confirmed address
 *   whose mail is not paused, at the earliest EMAIL_GATHER_MINUTES from now and one interval after
 *   their last notification email (notification_settings.email_every_minutes); quiet hours are
 *   checked when the email is sent, as their end moves with the person's clock;
 * - by push: pushed_at stays null for the push work (src/features/push) when the person wants this
 *   kind pushed; otherwise it is set now, so that work never looks at it.
 * A kind wanted on no channel is not written at all. A notification with a batch key joins the
 * person's unread one with the same key (its count grows and it moves to the top) instead of
 * adding a row, and is emailed again if it had been. Returns the people whose unread count grew,
 * for the bell.
 */
export async function createNotifications(tx: DbOrTx, rows: NewNotification[]): Promise<number[]> {
  if (rows.length === 0) return [];
  // One JSON parameter rather than a dozen per row: PostgreSQL takes at most 65,535 parameters in
  // a statement, which a post watched by 5,500 people would pass.
  const json = JSON.stringify(
    batched(rows).map(({ n, count }) => ({
      user_id: n.userId,
      kind: n.kind,
      group_id: n.groupId ?? null,
      thread_id: n.threadId ?? null,
      post_id: n.postId ?? null,
      listing_id: n.listingId ?? null,
      occurrence_id: n.occurrenceId ?? null,
      conversation_id: n.conversationId ?? null,
      actor_role: n.actorRole ?? null,
      reason: n.reason ?? null,
      batch_key: n.batchKey ?? null,
      count,
    })),
  );
  const result = await tx.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${json}::jsonb) as r(user_id int, kind notification_kind, group_id int,
        thread_id int, post_id int, listing_id int, occurrence_id int, conversation_id int, actor_role text,
        reason text, batch_key text, count int)
    ), decided as (
      select v.*,
        ${channelEnabledSql(sql`v.user_id`, sql`v.kind`, 'inApp')} as in_app,
        ${channelEnabledSql(sql`v.user_id`, sql`v.kind`, 'email')}
          and exists (select 1 from users u where u.id = v.user_id and u.email_verified_at is not null)
          and not ${mailPausedSql(sql`v.user_id`)} as email,
        ${channelEnabledSql(sql`v.user_id`, sql`v.kind`, 'push')} as push
      from v
    )
    insert into notifications (user_id, kind, group_id, thread_id, post_id, listing_id, occurrence_id, conversation_id,
      actor_role, reason, batch_key, count, read_at, email_due_at, pushed_at)
    select d.user_id, d.kind, d.group_id, d.thread_id, d.post_id, d.listing_id, d.occurrence_id, d.conversation_id,
      d.actor_role, d.reason, d.batch_key, d.count,
      case when d.in_app then null else now() end,
      case when d.email then greatest(now() + ${EMAIL_GATHER_MINUTES} * interval '1 minute',
        s.last_email_at + s.email_every_minutes * interval '1 minute') end,
      case when d.push then null else now() end
    from decided d left join notification_settings s on s.user_id = d.user_id
    where d.in_app or d.email or d.push
    on conflict (user_id, batch_key) where read_at is null and batch_key is not null
    do update set count = notifications.count + excluded.count, created_at = now(),
      email_due_at = case when notifications.emailed_at is null
        then coalesce(notifications.email_due_at, excluded.email_due_at) else excluded.email_due_at end,
      emailed_at = case when excluded.email_due_at is null then notifications.emailed_at end
    returning user_id, read_at is null as unread`);
  const written = (result as unknown as { rows: { user_id: number | string; unread: boolean }[] }).rows;
  return [...new Set(written.filter((r) => r.unread).map((r) => Number(r.user_id)))];
}

/**
 * One row per person and batch key: a statement may not update the same row twice, so rows that
 * would join each other are counted together first.
 */
function batched(rows: NewNotification[]): { n: NewNotification; count: number }[] {
  const out: { n: NewNotification; count: number }[] = [];
  const byKey = new Map<string, { n: NewNotification; count: number }>();
  for (const n of rows) {
    if (!n.batchKey) {
      out.push({ n, count: 1 });
      continue;
    }
    const key = `${n.userId}:${n.batchKey}`;
    const seen = byKey.get(key);
    if (seen) seen.count += 1;
    else {
      const entry = { n, count: 1 };
      byKey.set(key, entry);
      out.push(entry);
    }
  }
  return out;
}
