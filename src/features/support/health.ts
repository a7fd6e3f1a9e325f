/**
 * A group's health, for those who lead it: how quickly discussions are answered and how many
 * members help, as figures about the group. Never a list or ranking of individuals.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { accessGroup, type Actor, type GroupAccess } from '../groups/index.js';
import { assertMaySeeHealth } from './policy.js';

/** Discussions started this many days back are counted. */
export const HEALTH_DAYS = 30;

export interface GroupHealth {
  /** Discussions started in the last 30 days (published, not deleted). */
  threads: number;
  /** Of those, answered by another member within 24 hours. */
  answeredInADay: number;
  /** The median time to a first answer, in seconds, over those answered; null when none was. */
  medianSeconds: number | null;
  /** Members who replied to someone else's discussion since the month began: a count only. */
  activeHelpers: number;
}

/** The figures, in one query. `now` is for tests; the month is the calendar month in UTC. */
export async function groupHealth(db: Db, groupId: number, now = new Date()): Promise<GroupHealth> {
  const since = new Date(now.getTime() - HEALTH_DAYS * 24 * 3600_000);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const result = (await db.execute(sql`
    with recent as (
      select o.created_at as opened,
        (select min(r.created_at) from posts r where r.thread_id = o.thread_id and not r.is_opening
          and r.status = 'published' and r.deleted_at is null and r.hidden_at is null
          and r.author_id is not null and r.author_id is distinct from o.author_id) as answered
      from posts o
      where o.group_id = ${groupId} and o.is_opening and o.status = 'published' and o.deleted_at is null
        and o.created_at >= ${since} and o.created_at <= ${now}
    )
    select count(*)::int as threads,
      count(*) filter (where answered <= opened + interval '24 hours')::int as "answeredInADay",
      (percentile_cont(0.5) within group (order by extract(epoch from answered - opened)))::float8 as "medianSeconds",
      (select count(distinct p.author_id)::int from posts p join posts o2 on o2.thread_id = p.thread_id and o2.is_opening
        where p.group_id = ${groupId} and not p.is_opening and p.status = 'published' and p.deleted_at is null
          and p.author_id is not null and p.author_id is distinct from o2.author_id
          and p.created_at >= ${monthStart} and p.created_at <= ${now}) as "activeHelpers"
    from recent`)) as unknown as {
    rows: { threads: number; answeredInADay: number; medianSeconds: number | string | null; activeHelpers: number }[];
  };
  const row = result.rows[0]!;
  return {
    threads: Number(row.threads),
    answeredInADay: Number(row.answeredInADay),
    medianSeconds: row.medianSeconds === null ? null : Number(row.medianSeconds),
    activeHelpers: Number(row.activeHelpers),
  };
}

/** The health page's group and figures, for those who lead it. */
export async function readGroupHealth(
  db: Db,
  actor: Actor,
  slug: string,
): Promise<{ access: GroupAccess; health: GroupHealth }> {
  const access = await accessGroup(db, actor, slug);
  assertMaySeeHealth(access);
  return { access, health: await groupHealth(db, access.group.id) };
}
