/**
 * "My support": what a member gave and received, for their eyes only. Every figure is read in one
 * query per kind (the figures per group, the thank-you notes), never per group or per note.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { blockedBetweenSql } from '../blocking/index.js';
import { groupSummarySql, memberNameSql } from '../groups/index.js';

/**
 * The rule of a "first answer", for a query over `posts p`: a published, visible reply by someone
 * other than the one who opened the discussion, with no such reply before it. Reactions are not
 * answers. The opening's author is compared, as "Needs a reply" does (waiting.ts).
 */
export const firstAnswerSql: SQL = sql`not p.is_opening and p.status = 'published' and p.deleted_at is null
  and p.hidden_at is null and p.author_id is not null
  and p.author_id is distinct from (select o.author_id from posts o where o.thread_id = p.thread_id and o.is_opening)
  and not exists (select 1 from posts e where e.thread_id = p.thread_id and not e.is_opening
    and e.status = 'published' and e.deleted_at is null and e.hidden_at is null and e.author_id is not null
    and e.author_id is distinct from (select o2.author_id from posts o2 where o2.thread_id = e.thread_id and o2.is_opening)
    and (e.created_at, e.id) < (p.created_at, p.id))`;

export interface GroupFigures {
  groupId: number;
  /** The group's name and address; null once it is gone. */
  group: { slug: string; name: string } | null;
  replies: number;
  reactionsGiven: number;
  reactionsReceived: number;
  /** Discussions where the member's reply was the first answer. */
  answeredFirst: number;
}

export type Figures = Omit<GroupFigures, 'groupId' | 'group'>;

/** The member's figures in every group they took part in, in one query. */
export async function supportFigures(db: Db, userId: number): Promise<GroupFigures[]> {
  const result = (await db.execute(sql`
    select mg.group_id as "groupId", ${groupSummarySql(sql.raw('mg.group_id'))} as "group",
      coalesce(r.n, 0)::int as replies, coalesce(rg.n, 0)::int as "reactionsGiven",
      coalesce(rr.n, 0)::int as "reactionsReceived", coalesce(f.n, 0)::int as "answeredFirst"
    from (select group_id from posts where author_id = ${userId} and deleted_at is null
          union select group_id from reactions where user_id = ${userId}) mg
    left join (select group_id, count(*) as n from posts where author_id = ${userId} and not is_opening
               and status = 'published' and deleted_at is null group by group_id) r on r.group_id = mg.group_id
    left join (select group_id, count(*) as n from reactions where user_id = ${userId}
               group by group_id) rg on rg.group_id = mg.group_id
    left join (select x.group_id, count(*) as n from reactions x join posts q on q.id = x.post_id
               where q.author_id = ${userId} and x.user_id <> ${userId} and q.deleted_at is null
               group by x.group_id) rr on rr.group_id = mg.group_id
    left join (select p.group_id, count(*) as n from posts p where p.author_id = ${userId} and ${firstAnswerSql}
               group by p.group_id) f on f.group_id = mg.group_id
    order by mg.group_id`)) as unknown as { rows: (GroupFigures & { groupId: number | string })[] };
  return result.rows.map((row) => ({ ...row, groupId: Number(row.groupId) }));
}

/** All groups' figures added up. */
export function totalFigures(groups: GroupFigures[]): Figures {
  const total: Figures = { replies: 0, reactionsGiven: 0, reactionsReceived: 0, answeredFirst: 0 };
  for (const g of groups) {
    total.replies += g.replies;
    total.reactionsGiven += g.reactionsGiven;
    total.reactionsReceived += g.reactionsReceived;
    total.answeredFirst += g.answeredFirst;
  }
  return total;
}

export interface ThanksReceived {
  id: number;
  groupId: number;
  group: { slug: string; name: string } | null;
  /** The sender's name in the group where they thanked: their alias there, or their pseudonym. */
  from: string | null;
  message: string;
  threadId: number;
  postId: number;
  createdAt: Date;
}

/**
 * Thank-you notes the member received, newest first. A note from someone a block now stands
 * between them and, in that group, is left out: the member chose not to hear from them there.
 */
export async function thanksReceived(db: Db, userId: number, limit = 200): Promise<ThanksReceived[]> {
  const result = (await db.execute(sql`
    select th.id, th.group_id as "groupId", ${groupSummarySql(sql.raw('th.group_id'))} as "group",
      ${memberNameSql(sql.raw('th.group_id'), sql.raw('th.from_user_id'))} as "from",
      th.message, p.thread_id as "threadId", th.post_id as "postId", th.created_at as "createdAt"
    from thanks th join posts p on p.id = th.post_id
    where th.to_user_id = ${userId} and p.deleted_at is null
      and not ${blockedBetweenSql(userId, sql.raw('th.group_id'), sql.raw('th.from_user_id'))}
    order by th.created_at desc, th.id desc limit ${limit}`)) as unknown as {
    rows: (Omit<ThanksReceived, 'createdAt'> & { createdAt: string | Date })[];
  };
  return result.rows.map((row) => ({
    ...row,
    id: Number(row.id),
    groupId: Number(row.groupId),
    threadId: Number(row.threadId),
    postId: Number(row.postId),
    createdAt: new Date(row.createdAt),
  }));
}
