import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { EventSink } from '../../platform/deps.js';
import type { Db } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import {
  assertCanModerate,
  memberNameSql,
  recordAudit,
  touchGroup,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { closeFlagsOnReview } from '../moderation/index.js';
import { posts, threads } from './schema.js';
import { announceReplies } from './live.js';
import { accessThread, canSeePost, countReply } from './service.js';

export interface PendingPost {
  id: number;
  threadId: number;
  threadTitle: string;
  isOpening: boolean;
  /** The author's name in the group; null for a former member or an anonymous post. */
  author: string | null;
  /** "Anonymous 2": the post's anonymous label in its thread, or null when it is not anonymous. */
  anonymousNumber: number | null;
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
      author: sql<string | null>`case when posts.anonymous then null
        else ${memberNameSql(sql.raw('posts.group_id'), sql.raw('posts.author_id'))} end`,
      anonymousNumber: posts.anonymousNumber,
      body: posts.body,
      bodyHtml: posts.bodyHtml,
      createdAt: posts.createdAt,
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(and(eq(posts.groupId, access.group.id), eq(posts.status, 'pending')))
    .orderBy(asc(posts.createdAt), asc(posts.id));
  return rows;
}

const decisionInput = z.object({
  decision: z.enum(['approve', 'reject'], 'forum.errors.decision'),
  reason: z.string().trim().max(1000, 'forum.errors.reasonLength').optional(),
});

/** A leader approves a pending post (it appears, and counts) or rejects it (only its author still sees it). */
export async function decidePendingPost(
  db: Db,
  actor: Actor,
  postId: number,
  input: unknown,
  bus?: Bus,
  /** The notification job: an approved post tells people now (replies, mentions, watchers). */
  events?: EventSink,
): Promise<GroupAccess> {
  const { decision, reason } = parseInput(decisionInput, input);
  const { access, counted } = await db.transaction(async (tx) => {
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
    let counted: { threadId: number; replies: number } | null = null;
    if (decision === 'approve') {
      if (post.isOpening) {
        await tx.update(threads).set({ lastPostAt: now }).where(eq(threads.id, thread.id));
        await touchGroup(tx, thread.groupId, now);
      } else {
        counted = { threadId: thread.id, replies: await countReply(tx, thread.id, thread.groupId, now) };
      }
    }
    // Watched words that held it have been looked at with it.
    await closeFlagsOnReview(tx, postId, actor!.id, decision === 'approve');
    await recordAudit(tx, {
      groupId: thread.groupId,
      actorId: actor!.id,
      action: decision === 'approve' ? 'approve_post' : 'reject_post',
      // Who wrote an anonymous post stays out of the log, which the group's leaders read.
      subjectUserId: post.anonymous ? null : post.authorId,
      threadId: thread.id,
      postId,
      reason: reason || null,
    });
    return { access, counted };
  });
  // An approved reply is new to everyone but its author and the leaders: tell the thread's followers.
  if (counted) await announceReplies(bus, counted.threadId, counted.replies);
  if (decision === 'approve' && events) {
    // Lost, it costs people a notification, not the leader their decision.
    await events.send({ type: 'post.created', postId }).catch((error: unknown) => {
      console.error(`notification event lost (post.created ${postId}):`, error);
    });
  }
  return access;
}
