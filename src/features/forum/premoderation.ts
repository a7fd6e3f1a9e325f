import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { pseudonymsByIds } from '../accounts/index.js';
import { assertCanModerate, recordAudit, touchGroup, type Actor, type GroupAccess } from '../groups/index.js';
import { posts, threads } from './schema.js';
import { accessThread, canSeePost, countReply } from './service.js';

export interface PendingPost {
  id: number;
  threadId: number;
  threadTitle: string;
  isOpening: boolean;
  author: string | null;
  body: string;
  bodyHtml: string;
  createdAt: Date;
}

/** Posts waiting for approval in a pre-moderated group, oldest first. */
export async function pendingPosts(db: Db, access: GroupAccess): Promise<PendingPost[]> {
  assertCanModerate(access);
  const rows = await db
    .select({
      id: posts.id,
      threadId: posts.threadId,
      threadTitle: threads.title,
      isOpening: posts.isOpening,
      authorId: posts.authorId,
      body: posts.body,
      bodyHtml: posts.bodyHtml,
      createdAt: posts.createdAt,
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(and(eq(posts.groupId, access.group.id), eq(posts.status, 'pending')))
    .orderBy(asc(posts.createdAt), asc(posts.id));
  const names = await pseudonymsByIds(
    db,
    rows.map((r) => r.authorId),
  );
  return rows.map(({ authorId, ...r }) => ({ ...r, author: authorId === null ? null : (names.get(authorId) ?? null) }));
}

const decisionInput = z.object({
  decision: z.enum(['approve', 'reject'], 'forum.errors.decision'),
  reason: z.string().trim().max(1000, 'forum.errors.reasonLength').optional(),
});

/** A leader approves a pending post (it appears, and counts) or rejects it (only its author still sees it). */
export async function decidePendingPost(db: Db, actor: Actor, postId: number, input: unknown): Promise<GroupAccess> {
  const { decision, reason } = parseInput(decisionInput, input);
  return db.transaction(async (tx) => {
    const [post] = await tx.select().from(posts).where(eq(posts.id, postId));
    if (!post || post.deletedAt || post.status !== 'pending') throw new NotFound();
    const { access, thread } = await accessThread(tx, actor, post.threadId);
    // A pending post is seen only by its author and those who review it: to anyone else it does not exist.
    if (!canSeePost(access, post)) throw new NotFound();
    assertCanModerate(access);
    const now = new Date();
    await tx
      .update(posts)
      .set({ status: decision === 'approve' ? 'published' : 'rejected' })
      .where(eq(posts.id, postId));
    if (decision === 'approve') {
      if (post.isOpening) {
        await tx.update(threads).set({ lastPostAt: now }).where(eq(threads.id, thread.id));
        await touchGroup(tx, thread.groupId, now);
      } else {
        await countReply(tx, thread.id, thread.groupId, now);
      }
    }
    await recordAudit(tx, {
      groupId: thread.groupId,
      actorId: actor!.id,
      action: decision === 'approve' ? 'approve_post' : 'reject_post',
      subjectUserId: post.authorId,
      threadId: thread.id,
      postId,
      reason: reason || null,
    });
    return access;
  });
}
