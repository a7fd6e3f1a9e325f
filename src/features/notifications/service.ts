import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import type { OccurrenceSummary } from '../meetings/index.js';
import { createNotifications } from './pipeline.js';
import type { NotificationKind } from './schema.js';

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

/**
 * Tells a person something; call it inside the transaction of what happened. It reaches them as
 * every notification does (pipeline.ts createNotifications decides its channels as it is written);
 * the bell hears of it from the worker's live work (live.ts), as this transaction is not ours to
 * publish after.
 */
export async function notify(tx: DbOrTx, notification: NewNotification): Promise<void> {
  await createNotifications(tx, [notification]);
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
  /** The meeting occurrence it is about (its title and start), while it exists. */
  occurrence: OccurrenceSummary | null;
  actorRole: string | null;
  reason: string | null;
  createdAt: Date;
  /** Not read yet: counted on the bell. */
  unread: boolean;
}
