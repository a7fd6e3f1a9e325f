/** The trust feature's public face: trust levels, limits for new accounts, spam resistance. */
import type { DbOrTx } from '../../platform/db/client.js';
import { queryActivity, trustLevel, type TrustLevel } from './levels.js';

export { assertMayPost, countLinks, type PostAttempt } from './limits.js';
export { grantTrustLevel } from './admin.js';
export { recordVisit, recordVisitSql } from './visits.js';
export { trustRoutes } from './routes.js';
export { exportTrustData, type TrustExport } from './personal-data.js';
export type { TrustLevel } from './levels.js';

/**
 * The person's trust level: 0 new, 1 basic, 2 member, 3 regular (see docs/safety.md). Flags from
 * members at level 1 or above count towards hiding a post automatically. One query.
 */
export async function trustLevelOf(tx: DbOrTx, userId: number, now = new Date()): Promise<TrustLevel> {
  const found = await queryActivity(tx, userId);
  return found ? trustLevel(found.activity, now) : 0;
}
