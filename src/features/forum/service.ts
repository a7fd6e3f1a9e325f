import { and, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { EventSink, PostingLimits } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { FileStorage } from '../../platform/storage/index.js';
import {
  accessGroup,
  accessGroupById,
  assertCanTakePart,
  canModerate,
  canReadDiscussions,
  needsPreModeration,
  touchGroup,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { postRevisions, posts, reactionKinds, reactions, threads, type Post, type Thread } from './schema.js';
import { anonymousFields, anonymousInput } from './anonymity.js';
import { announceReplies } from './live.js';
import { mailNewCrisisAlerts, type AfterWrite } from '../safety/index.js';
import { afterPostWritten, screenPost } from './screening.js';
import { postViews, type PostView } from './reading.js';

import { assertAgreementsAccepted } from '../agreements/index.js';
import { mutedThreadsSql } from '../blocking/index.js';
import { checkWarning, warningFields, warningFromForm } from '../content-warnings/index.js';
import { recordMentions, renderPost } from '../following/index.js';
import { attachFiles, deleteDetachedFiles, filesOf, replaceAttachments } from '../files/attaching.js';

/** Uploads to attach to a post, by public id, with their descriptions (src/features/files). */
export interface PostAttachments {
  publicIds: string[];
  altTexts: Record<string, string>;
}

/**
 * What happens once a post is committed: followers told live (`bus`), leaders emailed about a
 * crisis alert (`mailer`, `baseUrl`), the notification job sent what happened (`events`: replies,
 * mentions, reactions); what the author may post by trust level (`postingLimits`, production's
 * when absent). Routes pass their Deps; a test may leave them out.
 */
export type PostEffects = {
  bus?: Bus | undefined;
  postingLimits?: PostingLimits | undefined;
  events?: EventSink | undefined;
  /** Where a lost event is written down (the request's log); the console when absent. */
  log?: { error(details: object, message: string): void } | undefined;
  /** Where files' bytes are kept: those an edit removes are deleted at once (else by the sweep). */
  files?: FileStorage | undefined;
} & AfterWrite;

type ForumEvent =
  | { type: 'post.created'; postId: number }
  | { type: 'post.edited'; postId: number }
  | { type: 'reaction.added'; postId: number; reactorId: number; kind: string };

/**
 * Sends what happened to the notification job, after the transaction committed. A queue that
 * cannot take it costs people a notification, never the author their post: it is logged, not thrown.
 */
async function sendEvent(effects: PostEffects, event: ForumEvent): Promise<void> {
  if (!effects.events) return;
  try {
    await effects.events.send(event);
  } catch (error) {
    if (effects.log) effects.log.error({ err: error, event }, 'notification event lost');
    else console.error(`notification event lost (${event.type} ${event.postId}):`, error);
  }
}

/** What writing a post told its author beyond the post itself. */
export interface Written {
  /** Crisis language was found: the author is shown help, and this alert went to the group's leaders. */
  crisisAlertId: number | null;
}

const title = z.string().trim().min(3, 'forum.errors.titleLength').max(200, 'forum.errors.titleLength');
const body = z.string().trim().min(1, 'forum.errors.bodyRequired').max(50000, 'forum.errors.bodyLength');
export const threadInput = z
  .object({ title, body, anonymous: anonymousInput, ...warningFields })
  .superRefine(checkWarning);
export const replyInput = z.object({ body, anonymous: anonymousInput, ...warningFields }).superRefine(checkWarning);
export const editInput = z.object({ title: title.optional(), body, ...warningFields }).superRefine(checkWarning);

/** Who writes a post, as mentions need them: moderators may mention members who keep their membership hidden. */
function writerOf(access: GroupAccess) {
  return { group: access.group, authorId: access.actor!.id, seesHiddenMembers: canModerate(access) };
}

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
export async function createThread(
  db: Db,
  actor: Actor,
  slug: string,
  input: unknown,
  effects: PostEffects = {},
  attachments?: PostAttachments,
): Promise<Thread & Written> {
  const data = parseInput(threadInput, input);
  const thread = await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanTakePart(access);
    assertAgreementsAccepted(access);
    const now = new Date();
    await assertNotTooSoon(tx, access, now);
    const screening = await screenPost(
      tx,
      access,
      actor!,
      { kind: 'thread', title: data.title, body: data.body, attachments: attachments?.publicIds.length },
      now,
      effects.postingLimits,
    );
    const status = needsPreModeration(access) || screening.needsApproval ? 'pending' : 'published';
    const anonymity = await anonymousFields(tx, access, data.anonymous, null);
    const { bodyHtml, mentioned } = await renderPost(tx, writerOf(access), data.body);
    const [thread] = await tx
      .insert(threads)
      .values({ groupId: access.group.id, authorId: actor!.id, title: data.title, createdAt: now, lastPostAt: now })
      .returning();
    const [post] = await tx
      .insert(posts)
      .values({
        groupId: access.group.id,
        threadId: thread!.id,
        authorId: actor!.id,
        isOpening: true,
        status,
        body: data.body,
        bodyHtml,
        contentWarning: warningFromForm(data) ?? null,
        createdAt: now,
        ...anonymity,
      })
      .returning();
    if (attachments)
      await attachFiles(tx, actor!.id, attachments.publicIds, { postId: post!.id }, attachments.altTexts);
    if (status === 'published') await touchGroup(tx, access.group.id, now);
    await recordMentions(tx, post!, mentioned);
    const { crisisAlertId } = await afterPostWritten(tx, access, post!, screening);
    return { ...thread!, crisisAlertId, postId: post!.id, published: status === 'published' };
  });
  // A post waiting for approval tells nobody yet: approving it does (premoderation.ts).
  const { postId, published, ...created } = thread;
  if (published) await sendEvent(effects, { type: 'post.created', postId });
  if (created.crisisAlertId !== null) await mailNewCrisisAlerts(db, effects);
  return created;
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

type OpeningState = Pick<Post, 'status' | 'hiddenAt' | 'authorId' | 'deletedAt'>;

/**
 * A thread and the state of its opening post, which decides whether the thread can be seen, and
 * whether the viewer muted it.
 */
async function findThread(
  db: DbOrTx,
  which: SQL,
  viewerId: number | null,
  extra: Record<string, SQL> = {},
): Promise<{ thread: Thread; opening: OpeningState | null; muted: boolean; extra: Record<string, unknown> } | null> {
  const [row] = await db
    .select({
      thread: threads,
      opening: { status: posts.status, hiddenAt: posts.hiddenAt, authorId: posts.authorId, deletedAt: posts.deletedAt },
      muted: sql<boolean>`threads.id in ${mutedThreadsSql(viewerId ?? -1)}`,
      // What other features show on the thread page (extensions.ts), asked in the same statement.
      ...Object.fromEntries(Object.entries(extra).map(([key, column]) => [`x_${key}`, sql<unknown>`${column}`])),
    })
    .from(threads)
    .leftJoin(posts, and(eq(posts.threadId, threads.id), eq(posts.isOpening, true)))
    .where(which);
  if (!row) return null;
  const values = row as Record<string, unknown>;
  return { ...row, extra: Object.fromEntries(Object.keys(extra).map((key) => [key, values[`x_${key}`]])) };
}

/**
 * A thread and its group's access together: the thread, and the group found through it, are asked
 * for at the same time, so the answer costs one round trip to the database.
 */
async function accessThreadWhere(
  db: DbOrTx,
  actor: Actor,
  which: SQL,
  groupOfThread: SQL,
  extra: Record<string, SQL> = {},
): Promise<{ access: GroupAccess; thread: Thread; muted: boolean; extra: Record<string, unknown> }> {
  const [found, access] = await Promise.all([
    findThread(db, which, actor?.id ?? null, extra),
    accessGroupById(db, actor, groupOfThread).catch((error: unknown) => {
      if (error instanceof NotFound) return null;
      throw error;
    }),
  ]);
  if (!found || !access) throw new NotFound();
  // Someone who may not read the group's discussions learns nothing, not even that the thread exists.
  if (!canReadDiscussions(access)) throw new NotFound();
  // A thread whose opening post is hidden or awaiting approval is gone for everyone else.
  if (!canModerate(access) && (!found.opening || !canSeePost(access, found.opening))) throw new NotFound();
  return { access, thread: found.thread, muted: found.muted, extra: found.extra };
}

/** A thread with the group it is in, as this person may see it, and whether they muted it. */
export async function accessThread(
  db: DbOrTx,
  actor: Actor,
  threadId: number,
  /** Further columns to ask for in the thread's own statement (thread page extensions). */
  extra: Record<string, SQL> = {},
): Promise<{ access: GroupAccess; thread: Thread; muted: boolean; extra: Record<string, unknown> }> {
  return accessThreadWhere(
    db,
    actor,
    eq(threads.id, threadId),
    sql`(select t.group_id from threads t where t.id = ${threadId})`,
    extra,
  );
}

/** The thread and group access of a post, found through the post. */
export function accessThreadOfPost(db: DbOrTx, actor: Actor, postId: number) {
  return accessThreadWhere(
    db,
    actor,
    eq(threads.id, sql`(select p.thread_id from posts p where p.id = ${postId})`),
    sql`(select p.group_id from posts p where p.id = ${postId})`,
  );
}

/** A post, its thread and its group's access, as this person may see them. */
export async function accessPost(db: DbOrTx, actor: Actor, postId: number) {
  const [found, [post]] = await Promise.all([
    accessThreadOfPost(db, actor, postId),
    db.select().from(posts).where(eq(posts.id, postId)),
  ]);
  if (!post || post.deletedAt || !canSeePost(found.access, post)) throw new NotFound();
  return { ...found, post };
}

/** Replies in a thread; once the reply is visible to the group, the thread's followers are told. */
export async function replyToThread(
  db: Db,
  actor: Actor,
  threadId: number,
  input: unknown,
  effects: PostEffects = {},
  attachments?: PostAttachments,
): Promise<Post & Written> {
  const data = parseInput(replyInput, input);
  const { post, replies, crisisAlertId } = await db.transaction(async (tx) => {
    const { access, thread } = await accessThread(tx, actor, threadId);
    assertCanTakePart(access);
    assertAgreementsAccepted(access);
    if (thread.locked && !canModerate(access)) throw new Forbidden('forum.errors.locked');
    const now = new Date();
    await assertNotTooSoon(tx, access, now);
    const screening = await screenPost(
      tx,
      access,
      actor!,
      { kind: 'reply', body: data.body, thread, attachments: attachments?.publicIds.length },
      now,
      effects.postingLimits,
    );
    const status = needsPreModeration(access) || screening.needsApproval ? 'pending' : 'published';
    const anonymity = await anonymousFields(tx, access, data.anonymous, thread.id);
    const { bodyHtml, mentioned } = await renderPost(tx, writerOf(access), data.body);
    const [post] = await tx
      .insert(posts)
      .values({
        groupId: thread.groupId,
        threadId,
        authorId: actor!.id,
        status,
        body: data.body,
        bodyHtml,
        contentWarning: warningFromForm(data) ?? null,
        createdAt: now,
        ...anonymity,
      })
      .returning();
    if (attachments)
      await attachFiles(tx, actor!.id, attachments.publicIds, { postId: post!.id }, attachments.altTexts);
    const replies = status === 'published' ? await countReply(tx, thread.id, thread.groupId, now) : null;
    await recordMentions(tx, post!, mentioned);
    const { crisisAlertId } = await afterPostWritten(tx, access, post!, screening);
    return { post: post!, replies, crisisAlertId };
  });
  if (replies !== null) await announceReplies(effects.bus, threadId, replies);
  if (post.status === 'published') await sendEvent(effects, { type: 'post.created', postId: post.id });
  if (crisisAlertId !== null) await mailNewCrisisAlerts(db, effects);
  return { ...post, crisisAlertId };
}

/**
 * Authors edit their own posts; the version they replace is kept for moderators. `attachments`,
 * when given, is what the post has afterwards (kept, and newly added); without it (the JSON API)
 * its files stay as they are. Files taken off are deleted.
 */
export async function editPost(
  db: Db,
  actor: Actor,
  postId: number,
  input: unknown,
  effects: PostEffects = {},
  attachments?: PostAttachments,
): Promise<Post & Written> {
  const data = parseInput(editInput, input);
  const { detached, ...edited } = await db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    if (!actor || post.authorId !== actor.id) throw new Forbidden('forum.errors.notAuthor');
    const newTitle = post.isOpening ? (data.title ?? thread.title) : null;
    // The files the post has once edited count against the link limit, as they do when posting.
    const fileCount = attachments
      ? attachments.publicIds.length
      : ((await filesOf(tx, 'post', [postId])).get(postId)?.length ?? 0);
    const screening = await screenPost(
      tx,
      access,
      actor,
      { kind: 'edit', title: newTitle ?? undefined, body: data.body, thread, attachments: fileCount },
      new Date(),
      effects.postingLimits,
    );
    await tx.insert(postRevisions).values({
      groupId: post.groupId,
      postId,
      title: post.isOpening ? thread.title : null,
      body: post.body,
    });
    if (post.isOpening && newTitle !== null) {
      await tx.update(threads).set({ title: newTitle }).where(eq(threads.id, thread.id));
    }
    const { bodyHtml, mentioned } = await renderPost(tx, writerOf(access), data.body);
    await recordMentions(tx, post, mentioned);
    const [updated] = await tx
      .update(posts)
      .set({
        body: data.body,
        bodyHtml,
        editedAt: new Date(),
        // A form without the warning fields leaves the warning as it was.
        ...(data.warning === undefined ? {} : { contentWarning: warningFromForm(data) ?? null }),
      })
      .where(eq(posts.id, postId))
      .returning();
    const detached = attachments
      ? await replaceAttachments(tx, actor.id, { postId }, attachments.publicIds, attachments.altTexts)
      : [];
    // An edit that brings words needing approval does not take a published post down: it is flagged.
    const flags = screening.needsApproval ? [...screening.automaticFlags, 'watched_word'] : screening.automaticFlags;
    const { crisisAlertId } = await afterPostWritten(tx, access, updated!, { ...screening, automaticFlags: flags });
    return { ...updated!, crisisAlertId, detached };
  });
  if (effects.files) await deleteDetachedFiles({ db, files: effects.files, log: effects.log }, detached);
  // Someone mentioned for the first time is told; a post still waiting tells them when approved.
  if (edited.status === 'published') await sendEvent(effects, { type: 'post.edited', postId });
  if (edited.crisisAlertId !== null) await mailNewCrisisAlerts(db, effects);
  return edited;
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
export async function countReply(tx: DbOrTx, threadId: number, groupId: number, at: Date): Promise<number> {
  const [counted] = await tx
    .update(threads)
    .set({ replyCount: sql`${threads.replyCount} + 1`, lastPostAt: at })
    .where(eq(threads.id, threadId))
    .returning({ replies: threads.replyCount });
  await touchGroup(tx, groupId, at);
  return counted?.replies ?? 0;
}

export async function adjustReplyCount(tx: DbOrTx, threadId: number, by: number) {
  await tx
    .update(threads)
    .set({ replyCount: sql`greatest(${threads.replyCount} + ${by}, 0)` })
    .where(eq(threads.id, threadId));
}

export const reactionKindSchema = z.enum(reactionKinds);

/** One of each reaction per member per post: a second press takes it back. */
export async function toggleReaction(
  db: Db,
  actor: Actor,
  postId: number,
  kind: unknown,
  effects: PostEffects = {},
): Promise<PostView> {
  const reaction = reactionKindSchema.safeParse(kind);
  if (!reaction.success) throw new NotFound();
  const { view, added } = await db.transaction(async (tx) => {
    const { access, post } = await accessPost(tx, actor, postId);
    assertCanTakePart(access);
    const removed = await tx
      .delete(reactions)
      .where(and(eq(reactions.postId, postId), eq(reactions.userId, actor!.id), eq(reactions.kind, reaction.data)))
      .returning({ kind: reactions.kind });
    const added =
      removed.length === 0 &&
      (
        await tx
          .insert(reactions)
          .values({ groupId: post.groupId, postId, userId: actor!.id, kind: reaction.data })
          .onConflictDoNothing()
          .returning({ kind: reactions.kind })
      ).length > 0;
    const [view] = await postViews(tx, actor, [post]);
    return { view: view!, added };
  });
  if (added) await sendEvent(effects, { type: 'reaction.added', postId, reactorId: actor!.id, kind: reaction.data });
  return view;
}

export {
  listThreads,
  postHistory,
  readPost,
  readPostToEdit,
  readThread,
  readThreadOpening,
  type PostView,
  type ReactionSummary,
  type Revision,
  type ThreadPage,
  type ThreadSummary,
} from './reading.js';
