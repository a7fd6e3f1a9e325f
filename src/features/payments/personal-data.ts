import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { hardshipRequests, payments } from './schema.js';

/**
 * A member's fees and hardship requests, for their data export. Deleting the account keeps the
 * payments without the name (so a group's accounts still add up) and removes the requests.
 */
export interface PaymentsExport {
  payments: {
    groupId: number;
    amountCents: number;
    currency: string;
    provider: string;
    receivedAt: Date;
    periodStart: Date;
    periodEnd: Date;
  }[];
  hardshipRequests: { groupId: number; message: string; status: string; createdAt: Date }[];
}

export async function exportPaymentData(db: DbOrTx, userId: number): Promise<PaymentsExport> {
  const [paid, asked] = await Promise.all([
    db
      .select({
        groupId: payments.groupId,
        amountCents: payments.amountCents,
        currency: payments.currency,
        provider: payments.provider,
        receivedAt: payments.receivedAt,
        periodStart: payments.periodStart,
        periodEnd: payments.periodEnd,
      })
      .from(payments)
      .where(eq(payments.userId, userId))
      .orderBy(asc(payments.receivedAt)),
    db
      .select({
        groupId: hardshipRequests.groupId,
        message: hardshipRequests.message,
        status: hardshipRequests.status,
        createdAt: hardshipRequests.createdAt,
      })
      .from(hardshipRequests)
      .where(eq(hardshipRequests.userId, userId))
      .orderBy(asc(hardshipRequests.createdAt)),
  ]);
  return { payments: paid, hardshipRequests: asked };
}
