import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { flags, silences } from './schema.js';

/**
 * What moderation keeps about a member, for their data export: the flags they raised (and what
 * was decided), and the pauses from posting put on them. Deleting the account empties the flags'
 * flagger (the flag stays in the group's record, unnamed) and deletes the pauses.
 */
export interface ModerationExport {
  flags: {
    groupId: number;
    postId: number;
    reason: string;
    note: string | null;
    createdAt: Date;
    outcome: string | null;
    closedAt: Date | null;
  }[];
  pauses: { groupId: number; reason: string; createdAt: Date; endsAt: Date; liftedAt: Date | null }[];
}

export async function exportModerationData(db: DbOrTx, userId: number): Promise<ModerationExport> {
  const [raised, paused] = await Promise.all([
    db
      .select({
        groupId: flags.groupId,
        postId: flags.postId,
        reason: flags.reason,
        note: flags.note,
        createdAt: flags.createdAt,
        outcome: flags.outcome,
        closedAt: flags.closedAt,
      })
      .from(flags)
      .where(eq(flags.flaggerId, userId))
      .orderBy(asc(flags.createdAt)),
    db
      .select({
        groupId: silences.groupId,
        reason: silences.reason,
        createdAt: silences.createdAt,
        endsAt: silences.endsAt,
        liftedAt: silences.liftedAt,
      })
      .from(silences)
      .where(eq(silences.userId, userId))
      .orderBy(asc(silences.createdAt)),
  ]);
  return { flags: raised, pauses: paused };
}
