import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';

/** 0 new, 1 basic, 2 member, 3 regular: site-wide, per account. */
export type TrustLevel = 0 | 1 | 2 | 3;
export const trustLevels: readonly TrustLevel[] = [0, 1, 2, 3];

const DAY = 24 * 3600 * 1000;

/**
 * What each level asks of a person (all of it). Tuned for support groups: someone who only reads
 * for a couple of days is trusted enough for their flags to count; posting links freely and being
 * spared the limits takes weeks of taking part in which others found their replies helpful.
 */
export const requirements = {
  1: { accountDays: 1, daysVisited: 2, posts: 0, reactedReplies: 0 },
  2: { accountDays: 14, daysVisited: 10, posts: 5, reactedReplies: 2 },
  3: { accountDays: 60, daysVisited: 50, posts: 30, reactedReplies: 10 },
} as const;

/** Posts hidden by a moderator within this many days hold a person's level down. */
export const HIDDEN_POSTS_DAYS = 90;

/** What a person's level is worked out from. */
export interface TrustActivity {
  accountCreatedAt: Date;
  daysVisited: number;
  /** Published posts, not hidden or deleted. */
  posts: number;
  /** Their replies that someone else reacted to. */
  reactedReplies: number;
  /** Their posts that a moderator hid (someone else than the author) in the last HIDDEN_POSTS_DAYS days. */
  hiddenRecently: number;
  manualLevel: number | null;
  locked: boolean;
}

/** The level a person's activity earns, before anything a site admin set by hand. */
export function earnedLevel(a: TrustActivity, now: Date): TrustLevel {
  const accountDays = (now.getTime() - a.accountCreatedAt.getTime()) / DAY;
  let level: TrustLevel = 0;
  for (const l of [1, 2, 3] as const) {
    const r = requirements[l];
    if (
      accountDays >= r.accountDays &&
      a.daysVisited >= r.daysVisited &&
      a.posts >= r.posts &&
      a.reactedReplies >= r.reactedReplies
    )
      level = l;
  }
  // Posts that moderators had to hide are the upheld complaints we can see: trust waits until they age.
  if (a.hiddenRecently >= 3) return 0;
  if (a.hiddenRecently >= 1) return Math.min(level, 1) as TrustLevel;
  return level;
}

/**
 * The level that counts: a locked level set by a site admin holds exactly; an unlocked one is a
 * floor the person can rise above by taking part.
 */
export function trustLevel(a: TrustActivity, now: Date): TrustLevel {
  if (a.manualLevel !== null && a.locked) return a.manualLevel as TrustLevel;
  return Math.max(earnedLevel(a, now), a.manualLevel ?? 0) as TrustLevel;
}

/**
 * A person's activity as SQL select items over `users u left join user_trust ut`, with any extra
 * items a caller needs. It reads the forum's posts and reactions in SQL so that a post's whole
 * check stays one round trip.
 */
export function activitySql(where: SQL, extra: SQL[] = [], tail: SQL = sql``): SQL {
  const items = [
    sql`u.created_at as "accountCreatedAt"`,
    sql`coalesce(ut.days_visited, 0) as "daysVisited"`,
    sql`ut.manual_level as "manualLevel"`,
    sql`ut.last_visit_on::text as "lastVisitOn"`,
    sql`coalesce(ut.locked, false) as "locked"`,
    sql`(select count(*) from posts p where p.author_id = u.id
      and p.status = 'published' and p.deleted_at is null and p.hidden_at is null) as "posts"`,
    sql`(select count(*) from posts p where p.author_id = u.id and not p.is_opening and p.deleted_at is null
      and exists (select 1 from reactions r where r.post_id = p.id and r.user_id <> u.id)) as "reactedReplies"`,
    sql`(select count(*) from posts p where p.author_id = u.id
      and p.hidden_at > now() - make_interval(days => ${HIDDEN_POSTS_DAYS})
      and p.hidden_by is not null and p.hidden_by <> u.id) as "hiddenRecently"`,
    ...extra,
  ];
  return sql`select ${sql.join(items, sql`, `)} from users u left join user_trust ut on ut.user_id = u.id
    where ${where} ${tail}`;
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * A person's activity and the extra items asked for (raw values: numbers may come back as strings
 * or bigints, depending on the driver), in one round trip; null if there is no such account.
 */
export async function queryActivity(
  tx: DbOrTx,
  userId: number,
  extra: SQL[] = [],
): Promise<{ activity: TrustActivity; row: Record<string, unknown> } | null> {
  // Both drivers answer a raw statement with { rows }.
  const result = (await tx.execute(activitySql(sql`u.id = ${userId}`, extra))) as unknown as {
    rows: Record<string, unknown>[];
  };
  const row = result.rows[0];
  if (!row) return null;
  return { activity: toActivity(row), row };
}

/** A row of `activitySql` as activity. */
export function toActivity(row: Record<string, unknown>): TrustActivity {
  return {
    accountCreatedAt: new Date(row.accountCreatedAt as string | Date),
    daysVisited: num(row.daysVisited),
    posts: num(row.posts),
    reactedReplies: num(row.reactedReplies),
    hiddenRecently: num(row.hiddenRecently),
    manualLevel: row.manualLevel === null || row.manualLevel === undefined ? null : num(row.manualLevel),
    locked: row.locked === true,
  };
}
