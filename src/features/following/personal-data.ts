import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { groupFollows, mentions, threadFollows, type FollowLevel } from './schema.js';

/**
 * What following keeps about a member, for their data archive: the levels they chose for threads
 * and groups, and the posts that mentioned them (by post, never by who wrote it). Deleting the
 * account erases all of it: every row cascades with the account.
 */
export interface FollowingExport {
  threads: { groupId: number; threadId: number; level: FollowLevel; updatedAt: Date }[];
  groups: { groupId: number; level: FollowLevel; updatedAt: Date }[];
  mentionedIn: { groupId: number; postId: number; createdAt: Date }[];
}

export async function exportFollowingData(db: DbOrTx, userId: number): Promise<FollowingExport> {
  const [threads, groups, mentionedIn] = await Promise.all([
    db
      .select({
        groupId: threadFollows.groupId,
        threadId: threadFollows.threadId,
        level: threadFollows.level,
        updatedAt: threadFollows.updatedAt,
      })
      .from(threadFollows)
      .where(eq(threadFollows.userId, userId))
      .orderBy(asc(threadFollows.updatedAt)),
    db
      .select({ groupId: groupFollows.groupId, level: groupFollows.level, updatedAt: groupFollows.updatedAt })
      .from(groupFollows)
      .where(eq(groupFollows.userId, userId))
      .orderBy(asc(groupFollows.updatedAt)),
    db
      .select({ groupId: mentions.groupId, postId: mentions.postId, createdAt: mentions.createdAt })
      .from(mentions)
      // Posts deleted since (by their author, or with an erased account) mention nobody any more.
      .where(
        and(
          eq(mentions.userId, userId),
          sql`exists (select 1 from posts p where p.id = ${mentions.postId} and p.deleted_at is null)`,
        ),
      )
      .orderBy(asc(mentions.createdAt)),
  ]);
  return { threads, groups, mentionedIn };
}
