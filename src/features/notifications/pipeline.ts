import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { EventSink } from '../../platform/deps.js';
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
      if (!source) throw new Error(`no notification source for ${data.type}`);
      const event = source.event.parse(data);
      await ctx.db.transaction(async (tx) => {
        const rows = await source.recipients(tx, event);
        await createNotifications(tx, rows);
      });
    },
  });
  return {
    async send(event) {
      await job.send(event);
    },
  };
}

/**
 * Writes notifications in one statement. A notification with a batch key joins the person's
 * unread one with the same key (its count grows and it moves to the top) instead of adding a row.
 */
export async function createNotifications(tx: DbOrTx, rows: NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (n) =>
      sql`(${n.userId}, ${n.kind}::notification_kind, ${n.groupId ?? null}::int, ${n.threadId ?? null}::int, ${n.postId ?? null}::int, ${n.occurrenceId ?? null}::int, ${n.conversationId ?? null}::int, ${n.actorRole ?? null}, ${n.reason ?? null}, ${n.batchKey ?? null})`,
  );
  await tx.execute(sql`
    insert into notifications (user_id, kind, group_id, thread_id, post_id, occurrence_id, conversation_id, actor_role, reason, batch_key)
    values ${sql.join(values, sql`, `)}
    on conflict (user_id, batch_key) where read_at is null and batch_key is not null
    do update set count = notifications.count + 1, created_at = now()`);
}
