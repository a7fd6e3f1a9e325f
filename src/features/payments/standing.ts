import type { Db } from '../../platform/db/client.js';
import { pseudonymsByIds } from '../accounts/index.js';
import { assertCanManage, membersPaidBefore, type GroupAccess } from '../groups/index.js';
import { graceEnds } from './policy.js';

export interface BehindRow {
  pseudonym: string;
  /** Null for a member who has never paid (say, one who joined before the group charged a fee). */
  paidUntil: Date | null;
  /** The day access ends (in grace) or ended (lapsed). */
  accessEnds: Date | null;
  standing: 'grace' | 'lapsed';
}

/**
 * Members whose paid period has ended: in the grace period (they keep access, and may just need
 * a reminder) or lapsed. Leaders and waived members owe nothing and are left out. For the people
 * who manage the group only.
 */
export async function listMembersBehind(db: Db, access: GroupAccess, now = new Date()): Promise<BehindRow[]> {
  assertCanManage(access);
  const rows = await membersPaidBefore(db, access.group.id, now);
  const names = await pseudonymsByIds(
    db,
    rows.map((r) => r.userId),
  );
  return rows.map((r) => {
    const accessEnds = r.paidUntil ? graceEnds(r.paidUntil) : null;
    return {
      pseudonym: names.get(r.userId) ?? '',
      paidUntil: r.paidUntil,
      accessEnds,
      standing: accessEnds && accessEnds.getTime() >= now.getTime() ? 'grace' : 'lapsed',
    };
  });
}
