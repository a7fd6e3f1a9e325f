import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { blocks, hiddenPosts, threadMutes } from './schema.js';

/** What a member chose here, for their data archive. (Blocks of them by others are not theirs.) */
export interface BlockingExport {
  /** Whom they blocked, by the name they saw, in which group. */
  blocked: { groupId: number; name: string; createdAt: Date }[];
  mutedThreads: { groupId: number; threadId: number; createdAt: Date }[];
  hiddenPosts: { groupId: number; postId: number; createdAt: Date }[];
}

export async function exportBlockingData(db: DbOrTx, userId: number): Promise<BlockingExport> {
  const [blocked, muted, hidden] = await Promise.all([
    db
      .select({ groupId: blocks.groupId, name: blocks.blockedName, createdAt: blocks.createdAt })
      .from(blocks)
      .where(eq(blocks.blockerId, userId))
      .orderBy(asc(blocks.createdAt)),
    db
      .select({ groupId: threadMutes.groupId, threadId: threadMutes.threadId, createdAt: threadMutes.createdAt })
      .from(threadMutes)
      .where(eq(threadMutes.userId, userId))
      .orderBy(asc(threadMutes.createdAt)),
    db
      .select({ groupId: hiddenPosts.groupId, postId: hiddenPosts.postId, createdAt: hiddenPosts.createdAt })
      .from(hiddenPosts)
      .where(eq(hiddenPosts.userId, userId))
      .orderBy(asc(hiddenPosts.createdAt)),
  ]);
  return { blocked, mutedThreads: muted, hiddenPosts: hidden };
}
