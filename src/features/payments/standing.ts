import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { assertCanManage, memberNameSql, membersPaidBeforeSql, type GroupAccess } from '../groups/index.js';
import type { WaiverRequestRow } from './hardship.js';
import { graceEnds } from './policy.js';

export interface BehindRow {
  pseudonym: string;
  /** Null for a member who has never paid (say, one who joined before the group charged a fee). */
  paidUntil: Date | null;
  /** The day access ends (in grace) or ended (lapsed). */
  accessEnds: Date | null;
  standing: 'grace' | 'lapsed';
}

interface QueuesRow {
  waivers: WaiverJson[];
  behind: { pseudonym: string | null; paidUntil: string | null }[];
}

interface WaiverJson {
  id: number;
  pseudonym: string | null;
  message: string;
  createdAt: string;
}

/**
 * What waits for the people who manage a paid group, asked for in one round trip: hardship
 * requests waiting for a decision (oldest first), and members whose paid period has ended, in the
 * grace period (they keep access, and may just need a reminder) or lapsed.
 */
export async function treasurerQueues(
  db: Db,
  access: GroupAccess,
  now = new Date(),
): Promise<{ waivers: WaiverRequestRow[]; behind: BehindRow[] }> {
  assertCanManage(access);
  // Both drivers answer a raw query with { rows }.
  const result = (await db.execute(
    sql`select
      (select coalesce(json_agg(json_build_object('id', h.id, 'pseudonym', ${memberNameSql(sql.raw('h.group_id'), sql.raw('h.user_id'))},
          'message', h.message, 'createdAt', h.created_at) order by h.created_at, h.id), '[]'::json)
        from hardship_requests h where h.group_id = ${access.group.id} and h.status = 'pending') as waivers,
      ${membersPaidBeforeSql(access.group.id, now)} as behind`,
  )) as unknown as { rows: QueuesRow[] };
  const row = result.rows[0]!;
  return {
    waivers: row.waivers.map((w) => ({ ...w, pseudonym: w.pseudonym ?? '', createdAt: new Date(w.createdAt) })),
    behind: row.behind.map((b) => {
      const paidUntil = b.paidUntil ? new Date(b.paidUntil) : null;
      const accessEnds = paidUntil ? graceEnds(paidUntil) : null;
      return {
        pseudonym: b.pseudonym ?? '',
        paidUntil,
        accessEnds,
        standing: accessEnds && accessEnds.getTime() >= now.getTime() ? 'grace' : 'lapsed',
      };
    }),
  };
}
