import { sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { groupSummarySql } from '../groups/index.js';
import { listingSummarySql } from '../directory/index.js';
import { notifications, type NotificationKind } from './schema.js';

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  groupId?: number | null;
  threadId?: number | null;
  postId?: number | null;
  /** A listing of a group hosted elsewhere (src/features/directory). */
  listingId?: number | null;
  /** A meeting occurrence (src/features/meetings). */
  occurrenceId?: number | null;
  /** A private conversation (src/features/messages). */
  conversationId?: number | null;
  /** Notifications with the same key are one while unread; see pipeline.ts. */
  batchKey?: string | null;
  /** Who did it, as a role ('siteAdmin', 'facilitator'), never by name. */
  actorRole?: string | null;
  reason?: string | null;
}

/** Tells a person something; call it inside the transaction of what happened. */
export async function notify(tx: DbOrTx, notification: NewNotification): Promise<void> {
  await tx.insert(notifications).values(notification);
}

/**
 * For the session's query, so the header's count costs no round trip of its own: how many of the
 * person's notifications (a qualified column holding their id) they have not seen.
 */
export function unreadNotificationsSql(userId: SQL): SQL<number> {
  return sql`(select count(*)::int from notifications n where n.user_id = ${userId} and n.read_at is null)`;
}

export interface NotificationRow {
  id: number;
  kind: NotificationKind;
  group: { slug: string; name: string } | null;
  threadId: number | null;
  postId: number | null;
  /** The listing it is about (its id and name), when it is about one. */
  listing: { id: number; name: string } | null;
  actorRole: string | null;
  reason: string | null;
  createdAt: Date;
  /** Not seen before this page showed it. */
  unread: boolean;
}

/**
 * The person's notifications, newest first, marking them seen: in one statement, whose list is
 * read as it was before the marking, so the page still shows which ones are new.
 */
export async function readNotifications(db: Db, userId: number, limit = 100): Promise<NotificationRow[]> {
  const result = (await db.execute(sql`
    with seen as (
      update notifications set read_at = now() where user_id = ${userId} and read_at is null returning id
    )
    select n.id, n.kind, ${groupSummarySql(sql.raw('n.group_id'))} as "group", n.thread_id as "threadId",
      n.post_id as "postId", ${listingSummarySql(sql.raw('n.listing_id'))} as "listing", n.actor_role as "actorRole", n.reason, n.created_at as "createdAt",
      n.read_at is null as unread
    from notifications n where n.user_id = ${userId}
    order by n.created_at desc, n.id desc limit ${limit}`)) as unknown as {
    rows: (Omit<NotificationRow, 'createdAt' | 'id'> & { id: number | string; createdAt: string | Date })[];
  };
  return result.rows.map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt) }));
}
