import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
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
  touchGroup,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import {
  moderationLog,
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

/** Starts a discussion thread in a group: its opening post is the first post. */
export async function createThread(db: Db, actor: Actor, slug: string, input: unknown): Promise<Thread> {
  const data = parseInput(threadInput, input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanTakePart(access);
    const now = new Date();
    const [thread] = await tx
      .insert(threads)
      .values({ groupId: access.group.id, authorId: actor!.id, title: data.title, createdAt: now, lastPostAt: now })
      .returning();
    await tx.insert(posts).values({
      groupId: access.group.id,
      threadId: thread!.id,
      authorId: actor!.id,
      isOpening: true,
      body: data.body,
      bodyHtml: renderMarkdown(data.body),
      createdAt: now,
    });
    await touchGroup(tx, access.group.id, now);
    return thread!;
  });
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
  assertCanReadDiscussions(access);
  // A thread whose opening post a moderator hid is gone for everyone else.
  if (!canModerate(access)) {
    const [opening] = await db
      .select({ hiddenAt: posts.hiddenAt })
      .from(posts)
      .where(and(eq(posts.threadId, threadId), eq(posts.isOpening, true)));
    if (opening?.hiddenAt) throw new NotFound();
  }
  return { access, thread };
}

async function accessPost(db: DbOrTx, actor: Actor, postId: number) {
  const [post] = await db.select().from(posts).where(eq(posts.id, postId));
  if (!post || post.deletedAt) throw new NotFound();
  const { access, thread } = await accessThread(db, actor, post.threadId);
  // A hidden post is gone for everyone but moderators.
  if (post.hiddenAt && !canModerate(access)) throw new NotFound();
  return { access, thread, post };
}

export async function replyToThread(db: Db, actor: Actor, threadId: number, input: unknown): Promise<Post> {
  const data = parseInput(replyInput, input);
  return db.transaction(async (tx) => {
    const { access, thread } = await accessThread(tx, actor, threadId);
    assertCanTakePart(access);
    if (thread.locked && !canModerate(access)) throw new Forbidden('forum.errors.locked');
    const now = new Date();
    const [post] = await tx
      .insert(posts)
      .values({
        groupId: thread.groupId,
        threadId,
        authorId: actor!.id,
        body: data.body,
        bodyHtml: renderMarkdown(data.body),
        createdAt: now,
      })
      .returning();
    await tx
      .update(threads)
      .set({ replyCount: sql`${threads.replyCount} + 1`, lastPostAt: now })
      .where(eq(threads.id, threadId));
    await touchGroup(tx, thread.groupId, now);
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
    if (!post.hiddenAt) await adjustReplyCount(tx, thread.id, -1);
    return { thread, wholeThread: false, groupSlug: access.group.slug };
  });
}

async function adjustReplyCount(tx: DbOrTx, threadId: number, by: number) {
  await tx
    .update(threads)
    .set({ replyCount: sql`greatest(${threads.replyCount} + ${by}, 0)` })
    .where(eq(threads.id, threadId));
}

async function logModeration(
  tx: DbOrTx,
  groupId: number,
  actor: Actor,
  action: string,
  ids: { threadId?: number; postId?: number },
) {
  await tx.insert(moderationLog).values({ groupId, actorId: actor?.id ?? null, action, ...ids });
}

/** Moderators hide a post from members (it stays for moderators, who can restore it). */
export async function setPostHidden(db: Db, actor: Actor, postId: number, hidden: boolean): Promise<Post> {
  return db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    assertCanModerate(access);
    if (Boolean(post.hiddenAt) === hidden) return post;
    const [updated] = await tx
      .update(posts)
      .set(hidden ? { hiddenAt: new Date(), hiddenBy: actor!.id } : { hiddenAt: null, hiddenBy: null })
      .where(eq(posts.id, postId))
      .returning();
    if (!post.isOpening) await adjustReplyCount(tx, thread.id, hidden ? -1 : 1);
    await logModeration(tx, post.groupId, actor, hidden ? 'hide' : 'restore', { threadId: thread.id, postId });
    return updated!;
  });
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
    const action = flag === 'locked' ? (on ? 'lock' : 'unlock') : on ? 'pin' : 'unpin';
    await logModeration(tx, thread.groupId, actor, action, { threadId });
    return updated!;
  });
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
  reactions: ReactionSummary[];
}

/** Posts with author names and reaction counts, in three queries whatever the number of posts. */
async function postViews(db: DbOrTx, actor: Actor, list: Post[]): Promise<PostView[]> {
  if (list.length === 0) return [];
  const ids = list.map((p) => p.id);
  const [names, counts] = await Promise.all([
    pseudonymsByIds(
      db,
      list.map((p) => p.authorId),
    ),
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
  const moderator = canModerate(access);
  const rows = await db
    .select()
    .from(posts)
    .where(and(eq(posts.threadId, threadId), isNull(posts.deletedAt), moderator ? undefined : isNull(posts.hiddenAt)))
    .orderBy(asc(posts.createdAt), asc(posts.id));
  return { access, thread, posts: await postViews(db, actor, rows) };
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

export interface ThreadSummary {
  thread: Thread;
  author: string | null;
}

export async function listThreads(
  db: Db,
  access: GroupAccess,
  opts: { limit: number; offset: number },
): Promise<{ threads: ThreadSummary[]; total: number }> {
  assertCanReadDiscussions(access);
  const visible = and(
    eq(threads.groupId, access.group.id),
    canModerate(access)
      ? undefined
      : sql`not exists (select 1 from ${posts} where ${posts.threadId} = ${threads.id} and ${posts.isOpening} and ${posts.hiddenAt} is not null)`,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(threads)
      .where(visible)
      .orderBy(desc(threads.pinned), desc(threads.lastPostAt), desc(threads.id))
      .limit(opts.limit)
      .offset(opts.offset),
    db.select({ n: count() }).from(threads).where(visible),
  ]);
  const names = await pseudonymsByIds(
    db,
    rows.map((r) => r.authorId),
  );
  return {
    threads: rows.map((thread) => ({
      thread,
      author: thread.authorId === null ? null : (names.get(thread.authorId) ?? null),
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
