import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { posts, reactions, threads } from './schema.js';

/** What a member wrote and how they reacted, for their data export and for deleting their account. */

export interface ForumExport {
  threads: { id: number; groupId: number; title: string; createdAt: Date }[];
  posts: {
    id: number;
    groupId: number;
    threadId: number;
    threadTitle: string;
    body: string;
    status: string;
    /** Posted as "Anonymous member": only its author (and whoever they share this with) learns it is theirs. */
    anonymous: boolean;
    createdAt: Date;
    editedAt: Date | null;
    deletedAt: Date | null;
  }[];
  reactions: { groupId: number; postId: number; kind: string; createdAt: Date }[];
}

export async function exportForumData(db: DbOrTx, userId: number): Promise<ForumExport> {
  const [started, written, reacted] = await Promise.all([
    db
      .select({ id: threads.id, groupId: threads.groupId, title: threads.title, createdAt: threads.createdAt })
      .from(threads)
      .where(eq(threads.authorId, userId))
      .orderBy(asc(threads.createdAt)),
    db
      .select({
        id: posts.id,
        groupId: posts.groupId,
        threadId: posts.threadId,
        threadTitle: threads.title,
        body: posts.body,
        status: posts.status,
        anonymous: posts.anonymous,
        createdAt: posts.createdAt,
        editedAt: posts.editedAt,
        deletedAt: posts.deletedAt,
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .where(eq(posts.authorId, userId))
      .orderBy(asc(posts.createdAt)),
    db
      .select({
        groupId: reactions.groupId,
        postId: reactions.postId,
        kind: reactions.kind,
        createdAt: reactions.createdAt,
      })
      .from(reactions)
      .where(eq(reactions.userId, userId))
      .orderBy(asc(reactions.createdAt)),
  ]);
  return { threads: started, posts: written, reactions: reacted };
}

/**
 * Erases everything a member wrote, as deleting their account asks: the discussions they started
 * go (with their replies, as when an author deletes an opening post), then their other posts and
 * every earlier version of them. Reply counts are made right again for the threads that remain.
 */
export async function eraseForumData(tx: DbOrTx, userId: number): Promise<void> {
  await tx.delete(threads).where(eq(threads.authorId, userId));
  const removed = await tx.delete(posts).where(eq(posts.authorId, userId)).returning({ threadId: posts.threadId });
  const touched = [...new Set(removed.map((r) => r.threadId))];
  if (touched.length === 0) return;
  // Counted as the forum counts them: published replies that are neither hidden nor deleted.
  await tx
    .update(threads)
    .set({
      replyCount: sql`(select count(*)::int from ${posts} where ${and(
        eq(posts.threadId, threads.id),
        eq(posts.isOpening, false),
        eq(posts.status, 'published'),
        isNull(posts.hiddenAt),
        isNull(posts.deletedAt),
      )})`,
    })
    .where(inArray(threads.id, touched));
}
