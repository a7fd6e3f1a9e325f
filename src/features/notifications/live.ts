import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { LiveTopics } from '../../platform/live/hub.js';

/**
 * What the bell hears: the person's count of unread notifications, and nothing else (never what
 * they are about, nor who did what), so that a frame read over someone's shoulder tells nothing.
 */
export const unreadEvent = z.object({
  type: z.literal('notifications.unread'),
  count: z.number().int().min(0),
});
export type UnreadEvent = z.infer<typeof unreadEvent>;

export const notificationsChannel = (userId: number): string => `notifications:${userId}`;

/** The live topic 'notifications': each person follows their own count, by their own id, and nobody else's. */
export function addNotificationTopic(live: LiveTopics): void {
  live.add('notifications', {
    event: unreadEvent,
    channel: notificationsChannel,
    authorise: async (viewer, userId) => {
      if (!viewer || viewer.id !== userId) throw new NotFound();
    },
  });
}

/**
 * Publishes the unread count of each of these people, as it is now, in one query. Publishing a
 * count twice is harmless (the bell shows the same number), so callers need not agree on who
 * publishes; and the bus is best effort: a count lost shows right at the next page anyway.
 */
export async function publishUnreadCounts(db: Db, bus: Bus | undefined, userIds: readonly number[]): Promise<void> {
  if (!bus || userIds.length === 0) return;
  const ids = [...new Set(userIds)];
  const result = (await db.execute(sql`
    select p.id as user_id, (select count(*)::int from notifications n where n.user_id = p.id and n.read_at is null) as count
    from unnest(${`{${ids.join(',')}}`}::int[]) as p(id)`)) as unknown as {
    rows: { user_id: number | string; count: number | string }[];
  };
  for (const row of result.rows) {
    const event: UnreadEvent = { type: 'notifications.unread', count: Number(row.count) };
    await bus.publish(notificationsChannel(Number(row.user_id)), event);
  }
}

/** How far back the live work looks when its process starts: a restart should lose no bell. */
const LOOK_BACK_SECONDS = 60;

/**
 * The bell for notifications written by notify() inside other features' transactions (a crisis
 * alert, a thank-you, a moderator's warning), which cannot publish after a commit they do not
 * own: every two seconds the worker publishes the count of everyone with a notification newer
 * than the last it saw.
 *
 * Why a cursor of ids in the worker's memory rather than a "delivered" mark on each row: what
 * matters about a notification (its email and push) is decided durably in the statement that
 * writes it (pipeline.ts createNotifications), so all that is left here is a count on a bell,
 * which is idempotent and best effort like the bus that carries it. Ids are the primary key, so
 * each run reads only the rows written since the last one, however many notifications there are;
 * a mark would cost a write per notification and an index to find unmarked ones. A process that
 * starts looks back a minute; several workers publish the same counts, which is harmless. A
 * transaction that commits after a later one (its id below the cursor) is missed by the bell until
 * the person's next page or notification, which shows the right count.
 */
export function liveCountWork(ctx: { db: Db; bus?: Bus | undefined }): PeriodicWork {
  let after: number | null = null;
  return {
    name: 'notifications-live',
    everySeconds: 2,
    run: async () => {
      const since =
        after === null
          ? sql`n.id > (select coalesce(max(id), 0) - 10000 from notifications)
              and n.created_at > now() - ${LOOK_BACK_SECONDS} * interval '1 second'`
          : sql`n.id > ${after}`;
      const result = (await ctx.db.execute(sql`
        select (select coalesce(max(id), 0) from notifications) as top,
          array(select distinct n.user_id from notifications n where ${since} and n.read_at is null) as user_ids`)) as unknown as {
        rows: { top: number | string; user_ids: unknown }[];
      };
      const row = result.rows[0]!;
      await publishUnreadCounts(ctx.db, ctx.bus, intArray(row.user_ids));
      after = Math.max(after ?? 0, Number(row.top));
    },
  };
}

/** node-postgres hands int[] over as an array; PGlite too, but be lenient about '{1,2}'. */
export function intArray(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return String(value ?? '')
    .replace(/[{}]/g, '')
    .split(',')
    .filter(Boolean)
    .map(Number);
}
