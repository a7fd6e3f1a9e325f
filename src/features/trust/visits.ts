import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';

/**
 * Counts today as a day visited for the people `userIds` selects (a subquery over a CTE), at most
 * once a day each. Written as a statement to fold into a query that runs anyway, so that reading
 * pages costs no extra round trip: the session lookup runs it when it notes a session as seen.
 */
export function recordVisitSql(userIds: SQL): SQL {
  return sql`insert into user_trust as ut (user_id, days_visited, last_visit_on)
    select user_id, 1, (now() at time zone 'utc')::date from (${userIds}) as visitors
    on conflict (user_id) do update set days_visited = ut.days_visited + 1, last_visit_on = excluded.last_visit_on
    where ut.last_visit_on is null or ut.last_visit_on < excluded.last_visit_on`;
}

/** Counts today for someone who has just logged in (logging in is a write anyway). */
export async function recordVisit(db: DbOrTx, userId: number): Promise<void> {
  await db.execute(recordVisitSql(sql`select ${userId}::integer as user_id`));
}
