import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { listSubscriptions } from './schema.js';

/**
 * Stops a group's list mail (every post and digests) for a member: what a one-click unsubscribe
 * does, by link or by mail. Returns false when the person is no longer a member.
 */
export async function unsubscribeFromList(db: DbOrTx, userId: number, groupId: number): Promise<boolean> {
  const rows = await db
    .update(listSubscriptions)
    .set({ mode: 'none', updatedAt: sql`now()` })
    .where(and(eq(listSubscriptions.userId, userId), eq(listSubscriptions.groupId, groupId)))
    .returning({ groupId: listSubscriptions.groupId });
  return rows.length > 0;
}
