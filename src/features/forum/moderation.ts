import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { assertCanModerate, recordAudit, type Actor, type AuditAction } from '../groups/index.js';
import { posts, threads, type Post, type Thread } from './schema.js';
import { accessPost, accessThread, adjustReplyCount } from './service.js';

async function logModeration(
  tx: DbOrTx,
  groupId: number,
  actor: Actor,
  action: AuditAction,
  ids: { threadId?: number; postId?: number; subjectUserId?: number | null },
) {
  await recordAudit(tx, { groupId, actorId: actor?.id ?? null, action, ...ids });
}

/** Moderators hide a post from members (it stays for moderators, who can restore it). */
export async function setPostHidden(db: Db, actor: Actor, postId: number, hidden: boolean): Promise<Post> {
  return db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    assertCanModerate(access);
    if (Boolean(post.hiddenAt) === hidden) return post;
    const updated = await changePostVisibility(tx, post, hidden, actor!.id);
    await logModeration(tx, post.groupId, actor, hidden ? 'hide_post' : 'restore_post', {
      threadId: thread.id,
      postId,
      // Who wrote an anonymous post stays out of the log, which the group's leaders read.
      subjectUserId: post.anonymous ? null : post.authorId,
    });
    return updated;
  });
}

/**
 * Hides a post from members or shows it again, keeping its thread's reply count right; `by` is
 * the moderator, or null when members' flags hid it. The caller checks permission and audits.
 */
export async function changePostVisibility(tx: DbOrTx, post: Post, hidden: boolean, by: number | null): Promise<Post> {
  const [updated] = await tx
    .update(posts)
    .set(hidden ? { hiddenAt: new Date(), hiddenBy: by } : { hiddenAt: null, hiddenBy: null })
    .where(eq(posts.id, post.id))
    .returning();
  if (!post.isOpening && post.status === 'published' && Boolean(post.hiddenAt) !== hidden) {
    await adjustReplyCount(tx, post.threadId, hidden ? -1 : 1);
  }
  return updated!;
}

/**
 * A moderator deletes a post. Deleting the opening post takes the whole thread away, as when its
 * author deletes it. The caller checks permission and audits.
 */
export async function deletePostAsModerator(tx: DbOrTx, post: Post): Promise<{ wholeThread: boolean }> {
  const now = new Date();
  if (post.isOpening) {
    await tx.update(posts).set({ deletedAt: now }).where(eq(posts.threadId, post.threadId));
    await tx.delete(threads).where(eq(threads.id, post.threadId));
    return { wholeThread: true };
  }
  await tx.update(posts).set({ deletedAt: now }).where(eq(posts.id, post.id));
  if (!post.hiddenAt && post.status === 'published') await adjustReplyCount(tx, post.threadId, -1);
  return { wholeThread: false };
}

export type ThreadFlag = 'locked' | 'pinned';

export async function setThreadFlag(
  db: Db,
  actor: Actor,
  threadId: number,
  flag: ThreadFlag,
  on: boolean,
): Promise<Thread> {
  return db.transaction(async (tx) => {
    const { access, thread } = await accessThread(tx, actor, threadId);
    assertCanModerate(access);
    const [updated] = await tx
      .update(threads)
      .set(flag === 'locked' ? { locked: on } : { pinned: on })
      .where(eq(threads.id, threadId))
      .returning();
    const action = flag === 'locked' ? (on ? 'lock_thread' : 'unlock_thread') : on ? 'pin_thread' : 'unpin_thread';
    await logModeration(tx, thread.groupId, actor, action, { threadId });
    return updated!;
  });
}
