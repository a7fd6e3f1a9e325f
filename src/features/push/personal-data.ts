import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { pushSubscriptions } from './schema.js';

export interface PushExport {
  /** The devices push notifications go to, as the person knows them; never their addresses or keys. */
  devices: { label: string; createdAt: Date; lastSuccessAt: Date | null }[];
}

/** What Web Push keeps about a member, for their data export. */
export async function exportPushData(db: DbOrTx, userId: number): Promise<PushExport> {
  const devices = await db
    .select({
      label: pushSubscriptions.label,
      createdAt: pushSubscriptions.createdAt,
      lastSuccessAt: pushSubscriptions.lastSuccessAt,
    })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(asc(pushSubscriptions.createdAt));
  return { devices };
}

/**
 * Forgets the member's devices, in the caller's transaction, so nothing is pushed to them again
 * (the rows would also go by cascade with the account; this says so where the deletion is written).
 */
export async function erasePushData(tx: DbOrTx, userId: number): Promise<void> {
  await tx.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
}
