import { and, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { groupAgreements } from './schema.js';

/**
 * The monthly reminder of a group's agreements in its digests. A member's digest carries it when
 * it is the first digest of a calendar month for them: their previous digest (if any) was sent in
 * an earlier month, on their own clock. A digest with nothing new is not sent, so in a quiet month
 * the reminder comes with the first digest that is.
 */

/** Whether the group wants its digests to carry the reminder (it has agreements and chose it). */
export async function remindsMonthly(db: DbOrTx, groupId: number): Promise<boolean> {
  const [row] = await db
    .select({ version: groupAgreements.version })
    .from(groupAgreements)
    .where(
      and(
        eq(groupAgreements.groupId, groupId),
        eq(groupAgreements.monthlyReminder, true),
        gt(groupAgreements.version, 0),
      ),
    );
  return row !== undefined;
}

const monthOf = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit' }).format(at);

/** The digest ending at `windowEnd` is the member's first of its month (their last one came before it). */
export function firstDigestOfMonth(lastDigestAt: Date | null, windowEnd: Date, timeZone: string): boolean {
  if (!lastDigestAt) return true;
  try {
    return monthOf(lastDigestAt, timeZone) !== monthOf(windowEnd, timeZone);
  } catch {
    return monthOf(lastDigestAt, 'UTC') !== monthOf(windowEnd, 'UTC');
  }
}
