import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { pseudonymsByIds } from '../accounts/index.js';
import {
  accessGroup,
  accessGroupById,
  assertCanModerate,
  assertCanReadDiscussions,
  assertCanTakePart,
  canModerate,
  canReadDiscussions,
  needsPreModeration,
  leaderBadges,
  touchGroup,
  type Actor,
  type GroupAccess,
  type LeaderBadge,
} from '../groups/index.js';
import {
  postRevisions,
  posts,
  reactionKinds,
  reactions,
  threads,
  type Post,
  type ReactionKind,
  type Thread,
} from './schema.js';

const title = z.string().trim().min(3, 'forum.errors.titleLength').max(200, 'forum.errors.titleLength');
const body = z.string().trim().min(1, 'forum.errors.bodyRequired').max(50000, 'forum.errors.bodyLength');
export const threadInput = z.object({ title, body });
export const replyInput = z.object({ body });
export const editInput = z.object({ title: title.optional(), body });

/**
 * Slow mode: one post per member per N minutes. Leaders and moderators are not slowed, so they
 * can always step in.
 */
async function assertNotTooSoon(tx: DbOrTx, access: GroupAccess, now: Date): Promise<void> {
  const minutes = access.group.slowModeMinutes;
  if (minutes <= 0 || canModerate(access)) return;
  const since = new Date(now.getTime() - minutes * 60_000);
  const [recent] = await tx
    .select({ n: count() })
    .from(posts)
    .where(
      and(
        eq(posts.groupId, access.group.id),
        eq(posts.authorId, access.actor!.id),
        isNull(posts.deletedAt),
        sql`${posts.createdAt} > ${since}`,
      ),
    );
  if ((recent?.n ?? 0) > 0) throw new Invalid({ '': 'forum.errors.slowMode' });
}

/**
 * Starts a discussion thread in a group: its opening post is the first post. In a pre-moderated
 * group it waits, with the whole thread, until a leader approves it.
 */
export async function createThread(db: Db, actor: Actor, slug: string, input: unknown): Promise<Thread> {
  const data = parseInput(threadInput, input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanTakePart(access);
    const now = new Date();
    await assertNotTooSoon(tx, access, now);
    const status = needsPreModeration(access) ? 'pending' : 'published';
    const [thread] = await tx
      .insert(threads)
      .values({ groupId: access.group.id, authorId: actor!.id, title: data.title, createdAt: now, lastPostAt: now })
      .returning();
    await tx.insert(posts).values({
      groupId: access.group.id,
      threadId: thread!.id,
      authorId: actor!.id,
      isOpening: true,
      status,
      body: data.body,
      bodyHtml: renderMarkdown(data.body),
      createdAt: now,
    });
    if (status === 'published') await touchGroup(tx, access.group.id, now);
    return thread!;
  });
}

/**
 * Who sees a post: published ones everyone who may read the group; pending and rejected ones
 * only their author and the group's moderators; hidden ones only moderators.
 */
export function canSeePost(
  access: GroupAccess,
  post: Pick<Post, 'status' | 'hiddenAt' | 'authorId' | 'deletedAt'>,
): boolean {
  if (post.deletedAt) return false;
  if (canModerate(access)) return true;
  if (post.hiddenAt) return false;
  if (post.status === 'published') return true;
  return access.actor !== null && post.authorId === access.actor.id;
}

/** A thread with the group it is in, as this person may see it. */
export async function accessThread(
  db: DbOrTx,
  actor: Actor,
  threadId: number,
): Promise<{ access: GroupAccess; thread: Thread }> {
  const [thread] = await db.select().from(threads).where(eq(threads.id, threadId));
  if (!thread) throw new NotFound();
  const access = await accessGroupById(db, actor, thread.groupId);
  // Someone who may not read the group's discussions learns nothing, not even that the thread exists.
  if (!canReadDiscussions(access)) throw new NotFound();
  // A thread whose opening post is hidden or awaiting approval is gone for everyone else.
  if (!canModerate(access)) {
    const [opening] = await db
      .select({ status: posts.status, hiddenAt: posts.hiddenAt, authorId: posts.authorId, deletedAt: posts.deletedAt })
      .from(posts)
      .where(and(eq(posts.threadId, threadId), eq(posts.isOpening, true)));
    if (!opening || !canSeePost(access, opening)) throw new NotFound();
  }
  return { access, thread };
}

export async function accessPost(db: DbOrTx, actor: Actor, postId: number) {
  const [post] = await db.select().from(posts).where(eq(posts.id, postId));
  if (!post || post.deletedAt) throw new NotFound();
  const { access, thread } = await accessThread(db, actor, post.threadId);
  if (!canSeePost(access, post)) throw new NotFound();
  return { access, thread, post };
}

export async function replyToThread(db: Db, actor: Actor, threadId: number, input: unknown): Promise<Post> {
  const data = parseInput(replyInput, input);
  return db.transaction(async (tx) => {
    const { access, thread } = await accessThread(tx, actor, threadId);
    assertCanTakePart(access);
    if (thread.locked && !canModerate(access)) throw new Forbidden('forum.errors.locked');
    const now = new Date();
    await assertNotTooSoon(tx, access, now);
    const status = needsPreModeration(access) ? 'pending' : 'published';
    const [post] = await tx
      .insert(posts)
      .values({
        groupId: thread.groupId,
        threadId,
        authorId: actor!.id,
        status,
        body: data.body,
        bodyHtml: renderMarkdown(data.body),
        createdAt: now,
      })
      .returning();
    if (status === 'published') await countReply(tx, thread.id, thread.groupId, now);
    return post!;
  });
}

/** Authors edit their own posts; the version they replace is kept for moderators. */
export async function editPost(db: Db, actor: Actor, postId: number, input: unknown): Promise<Post> {
  const data = parseInput(editInput, input);
  return db.transaction(async (tx) => {
    const { thread, post } = await accessPost(tx, actor, postId);
    if (!actor || post.authorId !== actor.id) throw new Forbidden('forum.errors.notAuthor');
    const newTitle = post.isOpening ? (data.title ?? thread.title) : null;
    await tx.insert(postRevisions).values({
      groupId: post.groupId,
      postId,
      title: post.isOpening ? thread.title : null,
      body: post.body,
    });
    if (post.isOpening && newTitle !== null) {
      await tx.update(threads).set({ title: newTitle }).where(eq(threads.id, thread.id));
    }
    const [updated] = await tx
      .update(posts)
      .set({ body: data.body, bodyHtml: renderMarkdown(data.body), editedAt: new Date() })
      .where(eq(posts.id, postId))
      .returning();
    return updated!;
  });
}

/**
 * Authors delete their posts. Deleting the opening post removes the whole thread from view,
 * since the replies answer something no longer there.
 */
export async function deletePost(
  db: Db,
  actor: Actor,
  postId: number,
): Promise<{ thread: Thread; wholeThread: boolean; groupSlug: string }> {
  return db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    if (!actor || post.authorId !== actor.id) throw new Forbidden('forum.errors.notAuthor');
    const now = new Date();
    if (post.isOpening) {
      await tx.update(posts).set({ deletedAt: now }).where(eq(posts.threadId, thread.id));
      await tx.delete(threads).where(eq(threads.id, thread.id));
      return { thread, wholeThread: true, groupSlug: access.group.slug };
    }
    await tx.update(posts).set({ deletedAt: now }).where(eq(posts.id, postId));
    if (!post.hiddenAt && post.status === 'published') await adjustReplyCount(tx, thread.id, -1);
    return { thread, wholeThread: false, groupSlug: access.group.slug };
  });
}

/** A reply became visible to members: count it and mark the thread and group active. */
export async function countReply(tx: DbOrTx, threadId: number, groupId: number, at: Date): Promise<void> {
  await tx
    .update(threads)
    .set({ replyCount: sql`${threads.replyCount} + 1`, lastPostAt: at })
    .where(eq(threads.id, threadId));
  await touchGroup(tx, groupId, at);
}

export async function adjustReplyCount(tx: DbOrTx, threadId: number, by: number) {
  await tx
    .update(threads)
    .set({ replyCount: sql`greatest(${threads.replyCount} + ${by}, 0)` })
    .where(eq(threads.id, threadId));
}

export const reactionKindSchema = z.enum(reactionKinds);

/** One of each reaction per member per post: a second press takes it back. */
export async function toggleReaction(db: Db, actor: Actor, postId: number, kind: unknown): Promise<PostView> {
  const reaction = reactionKindSchema.safeParse(kind);
  if (!reaction.success) throw new NotFound();
  return db.transaction(async (tx) => {
    const { access, post } = await accessPost(tx, actor, postId);
    assertCanTakePart(access);
    const removed = await tx
      .delete(reactions)
      .where(and(eq(reactions.postId, postId), eq(reactions.userId, actor!.id), eq(reactions.kind, reaction.data)))
      .returning({ kind: reactions.kind });
    if (removed.length === 0) {
      await tx
        .insert(reactions)
        .values({ groupId: post.groupId, postId, userId: actor!.id, kind: reaction.data })
        .onConflictDoNothing();
    }
    const [view] = await postViews(tx, actor, [post]);
    return view!;
  });
}

export interface ReactionSummary {
  kind: ReactionKind;
  count: number;
  mine: boolean;
}

export interface PostView {
  post: Post;
  author: string | null;
  /** The author's role in the group when they lead it, with a verified facilitator's credential. */
  badge: LeaderBadge | null;
  reactions: ReactionSummary[];
}

/** Posts with author names and reaction counts, in three queries whatever the number of posts. */
async function postViews(db: DbOrTx, actor: Actor, list: Post[]): Promise<PostView[]> {
  if (list.length === 0) return [];
  const ids = list.map((p) => p.id);
  const authors = list.map((p) => p.authorId);
  const [names, badges, counts] = await Promise.all([
    pseudonymsByIds(db, authors),
    leaderBadges(db, list[0]!.groupId, authors),
    db
      .select({
        postId: reactions.postId,
        kind: reactions.kind,
        n: count(),
        mine: sql<boolean>`bool_or(${reactions.userId} = ${actor?.id ?? -1})`,
      })
      .from(reactions)
      .where(inArray(reactions.postId, ids))
      .groupBy(reactions.postId, reactions.kind),
  ]);
  return list.map((post) => ({
    post,
    author: post.authorId === null ? null : (names.get(post.authorId) ?? null),
    badge: post.authorId === null ? null : (badges.get(post.authorId) ?? null),
    reactions: reactionKinds.map((kind) => {
      const row = counts.find((c) => c.postId === post.id && c.kind === kind);
      return { kind, count: row?.n ?? 0, mine: row?.mine ?? false };
    }),
  }));
}

export interface ThreadPage {
  access: GroupAccess;
  thread: Thread;
  posts: PostView[];
}

export async function readThread(db: Db, actor: Actor, threadId: number): Promise<ThreadPage> {
  const { access, thread } = await accessThread(db, actor, threadId);
  const rows = await db
    .select()
    .from(posts)
    .where(and(eq(posts.threadId, threadId), isNull(posts.deletedAt)))
    .orderBy(asc(posts.createdAt), asc(posts.id));
  const visible = rows.filter((post) => canSeePost(access, post));
  return { access, thread, posts: await postViews(db, actor, visible) };
}

export async function readPost(
  db: Db,
  actor: Actor,
  postId: number,
): Promise<{ access: GroupAccess; thread: Thread; view: PostView }> {
  const { access, thread, post } = await accessPost(db, actor, postId);
  const [view] = await postViews(db, actor, [post]);
  return { access, thread, view: view! };
}

/** The opening post of a thread, as this person may see it. */
export async function readThreadOpening(
  db: Db,
  actor: Actor,
  threadId: number,
): Promise<{ access: GroupAccess; thread: Thread; view: PostView }> {
  const [opening] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.threadId, threadId), eq(posts.isOpening, true)));
  if (!opening) throw new NotFound();
  return readPost(db, actor, opening.id);
}

export interface ThreadSummary {
  thread: Thread;
  author: string | null;
  /** Its opening post waits for approval (seen only by its author and the group's leaders). */
  awaiting: boolean;
}

export async function listThreads(
  db: Db,
  access: GroupAccess,
  opts: { limit: number; offset: number },
): Promise<{ threads: ThreadSummary[]; total: number }> {
  assertCanReadDiscussions(access);
  const visible = and(
    eq(threads.groupId, access.group.id),
    // The same rule as canSeePost, for the opening post, in SQL.
    canModerate(access)
      ? undefined
      : sql`exists (select 1 from ${posts} where ${posts.threadId} = ${threads.id} and ${posts.isOpening}
          and ${posts.hiddenAt} is null and ${posts.deletedAt} is null
          and (${posts.status} = 'published' or ${posts.authorId} = ${access.actor?.id ?? -1}))`,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        thread: threads,
        // Written out in full: in a single-table select, Drizzle leaves columns unqualified, and an
        // unqualified "id" here would mean the post's id, not the thread's.
        awaiting: sql<boolean>`exists (select 1 from posts opening where opening.thread_id = threads.id
          and opening.is_opening and opening.status = 'pending')`,
      })
      .from(threads)
      .where(visible)
      .orderBy(desc(threads.pinned), desc(threads.lastPostAt), desc(threads.id))
      .limit(opts.limit)
      .offset(opts.offset),
    db.select({ n: count() }).from(threads).where(visible),
  ]);
  const names = await pseudonymsByIds(
    db,
    rows.map((r) => r.thread.authorId),
  );
  return {
    threads: rows.map(({ thread, awaiting }) => ({
      thread,
      author: thread.authorId === null ? null : (names.get(thread.authorId) ?? null),
      awaiting,
    })),
    total: total?.n ?? 0,
  };
}

export interface Revision {
  title: string | null;
  body: string;
  replacedAt: Date;
}

/** Earlier versions of a post, newest first: for moderators only. */
export async function postHistory(
  db: Db,
  actor: Actor,
  postId: number,
): Promise<{ access: GroupAccess; thread: Thread; view: PostView; revisions: Revision[] }> {
  const { access, thread, view } = await readPost(db, actor, postId);
  assertCanModerate(access);
  const revisions = await db
    .select({ title: postRevisions.title, body: postRevisions.body, replacedAt: postRevisions.replacedAt })
    .from(postRevisions)
    .where(eq(postRevisions.postId, postId))
    .orderBy(desc(postRevisions.replacedAt), desc(postRevisions.id));
  return { access, thread, view, revisions };
}
