/**
 * Badges a member may choose to show beside their name: earned from what they did, recorded in
 * member_badges, and hidden until the member ticks them. Nothing counts or ranks members against
 * each other: a badge is either earned or not.
 *
 * Only posts under the member's own name count: a badge shown beside their name must never hint
 * at what they wrote anonymously.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { parseInput } from '../../platform/http/forms.js';
import { firstAnswerSql } from './recognition.js';
import { badgeEnum, memberBadges, type Badge } from './schema.js';

export const badges = badgeEnum.enumValues;

/** Different members whose first discussion one welcomed with its first answer: "Welcomer". */
export const WELCOMED_MEMBERS = 10;
/** Different weeks with a reply to someone else's discussion: "Steady presence". */
export const STEADY_WEEKS = 8;

const only = (userId: number | null) => (userId === null ? sql`` : sql`and p.author_id = ${userId}`);

/**
 * The people who earned a badge (all of them, or only `userId`), as one set-based select of
 * `user_id`: the worker records everyone's in one statement per badge.
 */
export function earnersSql(badge: Badge, userId: number | null): SQL {
  switch (badge) {
    case 'first_reply':
      return sql`select distinct p.author_id as user_id from posts p
        where not p.anonymous ${only(userId)} and ${firstAnswerSql}`;
    case 'welcomer':
      // A member's first discussion in a group: no earlier opening of theirs there.
      return sql`select p.author_id as user_id from posts p
        join posts o on o.thread_id = p.thread_id and o.is_opening
        where not p.anonymous ${only(userId)} and ${firstAnswerSql} and o.author_id is not null
          and not exists (select 1 from posts o3 where o3.is_opening and o3.group_id = o.group_id
            and o3.author_id = o.author_id and o3.deleted_at is null and (o3.created_at, o3.id) < (o.created_at, o.id))
        group by p.author_id having count(distinct o.author_id) >= ${WELCOMED_MEMBERS}`;
    case 'steady_presence':
      return sql`select p.author_id as user_id from posts p
        join posts o on o.thread_id = p.thread_id and o.is_opening
        where not p.is_opening and not p.anonymous ${only(userId)} and p.status = 'published'
          and p.deleted_at is null and p.hidden_at is null and p.author_id is not null
          and p.author_id is distinct from o.author_id
        group by p.author_id having count(distinct date_trunc('week', p.created_at)) >= ${STEADY_WEEKS}`;
  }
}

/** Records everyone's newly earned badges: one statement per badge, whatever the number of members. */
export async function recordEarnedBadges(db: DbOrTx): Promise<void> {
  for (const badge of badges) {
    await db.execute(sql`insert into member_badges (user_id, badge)
      select e.user_id, ${badge}::support_badge from (${earnersSql(badge, null)}) e
      on conflict do nothing`);
  }
}

export interface MemberBadge {
  badge: Badge;
  shown: boolean;
  earnedAt: Date;
}

/**
 * One member's badges, recording any they have just earned first, in one statement: the page
 * that shows them is up to date without waiting for the worker.
 */
export async function earnedBadges(db: DbOrTx, userId: number): Promise<MemberBadge[]> {
  const candidates = badges.map(
    (badge) => sql`select ${badge}::support_badge as badge where exists (${earnersSql(badge, userId)})`,
  );
  const result = (await db.execute(sql`
    with earned as (
      insert into member_badges (user_id, badge)
      select ${userId}, c.badge from (${sql.join(candidates, sql` union all `)}) c
      on conflict do nothing
      returning badge, shown, earned_at
    )
    select badge, shown, earned_at as "earnedAt" from earned
    union all
    select badge, shown, earned_at from member_badges where user_id = ${userId}`)) as unknown as {
    rows: { badge: Badge; shown: boolean; earnedAt: string | Date }[];
  };
  return result.rows
    .map((row) => ({ badge: row.badge, shown: row.shown, earnedAt: new Date(row.earnedAt) }))
    .sort((a, b) => badges.indexOf(a.badge) - badges.indexOf(b.badge));
}

const chosenBadges = z.object({
  shown: z
    .union([z.enum(badges), z.array(z.enum(badges)).max(badges.length)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

/** Which earned badges the member shows: those ticked; every other one is hidden again. */
export async function chooseShownBadges(db: Db, userId: number, input: unknown): Promise<void> {
  const { shown } = parseInput(chosenBadges, input);
  const list = `{${shown.join(',')}}`;
  await db
    .update(memberBadges)
    .set({ shown: sql`${memberBadges.badge} = any(${list}::support_badge[])` })
    .where(eq(memberBadges.userId, userId));
}
