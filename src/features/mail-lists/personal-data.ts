import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { listSubscriptions, mailBounces, mailSettings } from './schema.js';

export interface MailListExport {
  /** How the member follows each group by email. */
  subscriptions: { groupId: number; mode: string; newsletters: boolean; lastDigestAt: Date | null }[];
  /** When digests arrive, and whether mail is paused after bounces; null when never changed. */
  settings: { digestHour: number; digestWeekday: number; hardBounces: number; pausedAt: Date | null } | null;
  /** Mail to the member's address that came back. */
  bounces: { hard: boolean; diagnostic: string; receivedAt: Date }[];
}

/**
 * What the mailing lists keep about a member, for their data export. Deleting the account deletes
 * all of it (foreign keys cascade from the account and its memberships).
 */
export async function exportMailListData(db: DbOrTx, userId: number): Promise<MailListExport> {
  const [subscriptions, settings, bounces] = await Promise.all([
    db
      .select({
        groupId: listSubscriptions.groupId,
        mode: listSubscriptions.mode,
        newsletters: listSubscriptions.newsletters,
        lastDigestAt: listSubscriptions.lastDigestAt,
      })
      .from(listSubscriptions)
      .where(eq(listSubscriptions.userId, userId))
      .orderBy(asc(listSubscriptions.groupId)),
    db
      .select({
        digestHour: mailSettings.digestHour,
        digestWeekday: mailSettings.digestWeekday,
        hardBounces: mailSettings.hardBounces,
        pausedAt: mailSettings.pausedAt,
      })
      .from(mailSettings)
      .where(eq(mailSettings.userId, userId)),
    db
      .select({ hard: mailBounces.hard, diagnostic: mailBounces.diagnostic, receivedAt: mailBounces.receivedAt })
      .from(mailBounces)
      .where(eq(mailBounces.userId, userId))
      .orderBy(asc(mailBounces.receivedAt)),
  ]);
  return { subscriptions, settings: settings[0] ?? null, bounces };
}
