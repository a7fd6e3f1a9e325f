import type { DbOrTx } from '../../platform/db/client.js';
import { queryActivity, trustLevel, type TrustLevel } from './levels.js';

/** What the trust feature keeps about a person, for their data archive. */
export interface TrustExport {
  level: TrustLevel;
  daysVisited: number;
  lastVisitOn: string | null;
  /** A level a site admin set by hand (not who set it), and whether it is locked. */
  levelSetByHand: TrustLevel | null;
  locked: boolean;
}

/**
 * The person's trust level and what it is earned from that only this feature keeps. Deleting an
 * account erases it with the account (`user_trust` rows go with their user; a site admin's
 * `set_by` and a watched word's `created_by` are emptied).
 */
export async function exportTrustData(db: DbOrTx, userId: number, now = new Date()): Promise<TrustExport | null> {
  const found = await queryActivity(db, userId, []);
  if (!found) return null;
  const { activity, row } = found;
  return {
    level: trustLevel(activity, now),
    daysVisited: activity.daysVisited,
    lastVisitOn: (row.lastVisitOn as string | null | undefined) ?? null,
    levelSetByHand: activity.manualLevel as TrustLevel | null,
    locked: activity.locked,
  };
}
