import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { posts, threads } from '../forum/schema.js';
import { assertCanModerate, memberNameSql, type GroupAccess } from '../groups/index.js';
import type { FlagReason } from './schema.js';

export interface OpenFlag {
  reason: FlagReason;
  note: string | null;
  automatic: boolean;
  /**
   * Who flagged, by their name in the group: shown to moderators, so that they can see a pile-on
   * or follow up with someone worried about a member. Null for automatic flags, for a flagger who
   * has left, and always when the moderator reading wrote the post: an author is never told who.
   */
  flagger: string | null;
  createdAt: Date;
}

export interface FlaggedPost {
  id: number;
  threadId: number;
  threadTitle: string;
  isOpening: boolean;
  /** The author's name in the group; null for a former member or an anonymous post. */
  author: string | null;
  anonymous: boolean;
  anonymousNumber: number | null;
  bodyHtml: string;
  contentWarning: string | null;
  createdAt: Date;
  hidden: boolean;
  /** Hidden by flags (the threshold, or a moderator's flag) rather than by a moderator's decision. */
  hiddenByFlags: boolean;
  /** The moderator reading wrote it. */
  mine: boolean;
  flags: OpenFlag[];
}

type FlagJson = Omit<OpenFlag, 'createdAt'> & { createdAt: string };

/**
 * Posts with open flags in a group, the longest waiting first, each with its flags: in one query,
 * names and flags folded in as SQL. Posts waiting for approval are in the pending list instead.
 */
export async function flaggedPosts(db: Db, access: GroupAccess): Promise<FlaggedPost[]> {
  assertCanModerate(access);
  const viewer = access.actor?.id ?? -1;
  const group = sql.raw('posts.group_id');
  const rows = await db
    .select({
      id: posts.id,
      threadId: posts.threadId,
      threadTitle: threads.title,
      isOpening: posts.isOpening,
      author: sql<string | null>`case when posts.anonymous then null
        else ${memberNameSql(group, sql.raw('posts.author_id'))} end`,
      anonymous: posts.anonymous,
      anonymousNumber: posts.anonymousNumber,
      bodyHtml: posts.bodyHtml,
      contentWarning: posts.contentWarning,
      createdAt: posts.createdAt,
      hiddenAt: posts.hiddenAt,
      hiddenBy: posts.hiddenBy,
      mine: sql<boolean>`coalesce(posts.author_id = ${viewer}, false)`,
      flags: sql<FlagJson[]>`(select json_agg(json_build_object(
          'reason', f.reason, 'note', f.note, 'automatic', f.automatic, 'createdAt', f.created_at,
          'flagger', case when posts.author_id = ${viewer} then null
            else ${memberNameSql(group, sql.raw('f.flagger_id'))} end)
          order by f.created_at, f.id)
        from flags f where f.post_id = posts.id and f.closed_at is null)`,
      waitingSince: sql<string>`(select min(f.created_at) from flags f where f.post_id = posts.id
        and f.closed_at is null)`,
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(
      and(
        eq(posts.groupId, access.group.id),
        eq(posts.status, 'published'),
        isNull(posts.deletedAt),
        sql`exists (select 1 from flags f where f.post_id = posts.id and f.closed_at is null)`,
      ),
    )
    .orderBy(asc(posts.id));
  return rows
    .map(({ hiddenAt, hiddenBy, waitingSince, flags, ...row }) => ({
      ...row,
      hidden: hiddenAt !== null,
      hiddenByFlags: hiddenAt !== null && hiddenBy === null,
      flags: (flags ?? []).map((f) => ({ ...f, createdAt: new Date(f.createdAt) })),
      waitingSince: new Date(waitingSince),
    }))
    .sort((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime() || a.id - b.id)
    .map(({ waitingSince, ...row }) => {
      void waitingSince;
      return row;
    });
}
