/**
 * Reading the forum: posts as a viewer sees them (names, badges, reactions, warnings, blocks, all
 * in one query), thread pages, thread lists and edit histories. Writing lives in service.ts.
 */
import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import {
  assertCanModerate,
  assertCanReadDiscussions,
  canModerate,
  leaderBadgeSql,
  memberNameSql,
  type Actor,
  type GroupAccess,
  type LeaderBadge,
} from '../groups/index.js';
import { posts, reactionKinds, threads, type Post, type ReactionKind, type Thread } from './schema.js';

import { flaggedByViewerSql } from '../moderation/index.js';
import { blockedBetweenSql, mutedThreadsSql, postBlockedSql, postHiddenForViewerSql } from '../blocking/index.js';
import { warningOpenSql } from '../content-warnings/index.js';
import { attachmentsSql, groupUploadLimitsSql, readAttachments, type FileView } from '../files/attaching.js';

import { accessThread, accessThreadOfPost, canSeePost } from './service.js';

export interface ReactionSummary {
  kind: ReactionKind;
  count: number;
  mine: boolean;
}

export interface PostView {
  /**
   * The post. For an anonymous one, `authorId` is the viewer's own id when they wrote it and null
   * otherwise: who wrote it never leaves this module for anyone else.
   */
  post: Post;
  /** The author's name in the group; null for a former member, and for every anonymous post. */
  author: string | null;
  /** The viewer wrote it. */
  mine: boolean;
  /** The author's role in the group when they lead it, with a verified facilitator's credential. */
  badge: LeaderBadge | null;
  reactions: ReactionSummary[];
  /** Shown open to this viewer: no content warning, their own post, or they chose "always show" for it. */
  warningOpen: boolean;
  /** A block stands between the viewer and its (named) author: left out unless the viewer moderates. */
  blocked: boolean;
  /** The viewer hid this post for themselves. */
  hiddenForMe: boolean;
  /** The viewer has flagged it, and no moderator has decided yet. */
  flagged: boolean;
  /** Its photos and files (src/features/files). */
  attachments: FileView[];
}

const postAuthor = sql.raw('posts.author_id');
const postGroup = sql.raw('posts.group_id');

interface ReactionRow {
  kind: ReactionKind;
  n: number;
  mine: boolean;
}

/**
 * Posts with their authors' names and badges and their reactions, in one query whatever the
 * number of posts: the names and badges come from their features as SQL, not as more queries.
 */
async function postViewsWhere(db: DbOrTx, actor: Actor, which: SQL): Promise<PostView[]> {
  return postViewsWithHistory(db, actor, which, false);
}

/** As postViewsWhere, with each post's earlier versions when asked for (for moderators). */
async function postViewsWithHistory(
  db: DbOrTx,
  actor: Actor,
  which: SQL,
  history: boolean,
  uploadLimits = false,
): Promise<(PostView & { revisions: Revision[]; uploadLimits: unknown })[]> {
  const rows = await db
    .select({
      post: posts,
      author: sql<string | null>`case when posts.anonymous then null else ${memberNameSql(postGroup, postAuthor)} end`,
      badge: sql<LeaderBadge | null>`case when posts.anonymous then null else ${leaderBadgeSql(postGroup, postAuthor)} end`,
      mine: sql<boolean>`coalesce(posts.author_id = ${actor?.id ?? -1}, false)`,
      reactions: sql<ReactionRow[] | null>`(select json_agg(json_build_object('kind', r.kind, 'n', r.n, 'mine', r.mine))
        from (select kind, count(*)::int as n, bool_or(user_id = ${actor?.id ?? -1}) as mine
              from reactions where post_id = posts.id group by kind) r)`,
      revisions: history
        ? sql<{ title: string | null; body: string; replacedAt: string }[] | null>`(select
            json_agg(json_build_object('title', v.title, 'body', v.body, 'replacedAt', v.replaced_at)
              order by v.replaced_at desc, v.id desc)
            from post_revisions v where v.post_id = posts.id)`
        : sql<null>`null`,
      warningOpen: warningOpenSql(actor?.id ?? null),
      blocked: postBlockedSql(actor?.id ?? null),
      hiddenForMe: postHiddenForViewerSql(actor?.id ?? null),
      flagged: flaggedByViewerSql(actor?.id ?? -1),
      attachments: attachmentsSql('post', sql.raw('posts.id')),
      // The group's upload settings, for a form that takes attachments (uploadLimitsFrom reads it).
      uploadLimits: uploadLimits ? groupUploadLimitsSql(sql.raw('posts.group_id')) : sql<null>`null`,
    })
    .from(posts)
    .where(which)
    .orderBy(asc(posts.createdAt), asc(posts.id));
  return rows.map((row) => ({
    post: row.post.anonymous ? { ...row.post, authorId: row.mine ? actor!.id : null } : row.post,
    author: row.author,
    mine: row.mine,
    badge: row.badge,
    warningOpen: row.warningOpen,
    blocked: row.blocked,
    hiddenForMe: row.hiddenForMe,
    flagged: row.flagged,
    attachments: readAttachments(row.attachments),
    reactions: reactionKinds.map((kind) => {
      const found = row.reactions?.find((r) => r.kind === kind);
      return { kind, count: found?.n ?? 0, mine: found?.mine ?? false };
    }),
    revisions: (row.revisions ?? []).map((v) => ({ ...v, replacedAt: new Date(v.replacedAt) })),
    uploadLimits: row.uploadLimits,
  }));
}

/** A page of posts, as PostViews, for posts already loaded (after a change). */
export async function postViews(db: DbOrTx, actor: Actor, list: Post[]): Promise<PostView[]> {
  if (list.length === 0) return [];
  return postViewsWhere(
    db,
    actor,
    inArray(
      posts.id,
      list.map((p) => p.id),
    ),
  );
}

export interface ThreadPage {
  access: GroupAccess;
  thread: Thread;
  posts: PostView[];
  /** The viewer muted the thread. */
  muted: boolean;
}

/**
 * A thread page: the thread, its group's access and its posts are asked for at once (the posts
 * are dropped unread when the person may not see the thread).
 */
export async function readThread(
  db: Db,
  actor: Actor,
  threadId: number,
  /** Further columns for the thread's own statement, whose values come back in `extra`. */
  extra: Record<string, SQL> = {},
): Promise<ThreadPage & { extra: Record<string, unknown> }> {
  const [{ access, thread, muted, extra: values }, views] = await Promise.all([
    accessThread(db, actor, threadId, extra),
    postViewsWhere(db, actor, and(eq(posts.threadId, threadId), isNull(posts.deletedAt))!),
  ]);
  // A block leaves out the other person's named posts; the group's moderators still see everything.
  const apart = (view: PostView) => view.blocked && !canModerate(access);
  if (views.some((view) => view.post.isOpening && apart(view))) throw new NotFound();
  const shown = views.filter((view) => canSeePost(access, view.post) && !apart(view));
  return { access, thread, muted, posts: shown, extra: values };
}

/** One post as this person may see it, with its thread and its group's access. */
export async function readPost(
  db: Db,
  actor: Actor,
  postId: number,
): Promise<{ access: GroupAccess; thread: Thread; view: PostView }> {
  const { access, thread, view } = await readPostWith(db, actor, postId, false);
  return { access, thread, view };
}

/** As readPost, with the group's upload settings in the same statement (uploadLimitsFrom reads them): for the edit form. */
export async function readPostToEdit(
  db: Db,
  actor: Actor,
  postId: number,
): Promise<{ access: GroupAccess; thread: Thread; view: PostView; uploadLimits: unknown }> {
  return readPostWith(db, actor, postId, true);
}

async function readPostWith(db: Db, actor: Actor, postId: number, uploadLimits: boolean) {
  const [{ access, thread }, [found]] = await Promise.all([
    accessThreadOfPost(db, actor, postId),
    postViewsWithHistory(db, actor, eq(posts.id, postId), false, uploadLimits),
  ]);
  if (!found || found.post.deletedAt || !canSeePost(access, found.post)) throw new NotFound();
  const { uploadLimits: limits, ...view } = found;
  return { access, thread, view: view as PostView, uploadLimits: limits };
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
  /** Who started it, by their name in the group; null for a former member or an anonymous start. */
  author: string | null;
  /** Its opening post was written anonymously. */
  anonymous: boolean;
  /** Its opening post waits for approval (seen only by its author and the group's leaders). */
  awaiting: boolean;
  /** Its opening post's content warning (a preset's key or the author's words), shown beside the title. */
  warning: string | null;
}

const openedAnonymously = sql<boolean>`exists (select 1 from posts o where o.thread_id = threads.id
  and o.is_opening and o.anonymous)`;

export async function listThreads(
  db: Db,
  access: GroupAccess,
  /**
   * Only the threads the viewer muted (the way back to them), instead of all but those; `extra`:
   * further columns for the statement that counts them (group page extensions), back in `extra`.
   */
  opts: {
    limit: number;
    offset: number;
    muted?: boolean;
    extra?: Record<string, SQL>;
    /** Only the threads listed after this one (the JSON API's cursor), in the list's own order. */
    after?: { pinned: boolean; lastPostAt: Date; id: number };
  },
): Promise<{ threads: ThreadSummary[]; total: number; extra: Record<string, unknown> }> {
  assertCanReadDiscussions(access);
  const viewer = access.actor?.id ?? null;
  const visible = and(
    eq(threads.groupId, access.group.id),
    // The same rule as canSeePost, for the opening post, in SQL.
    canModerate(access)
      ? undefined
      : sql`exists (select 1 from ${posts} where ${posts.threadId} = ${threads.id} and ${posts.isOpening}
          and ${posts.hiddenAt} is null and ${posts.deletedAt} is null
          and (${posts.status} = 'published' or ${posts.authorId} = ${access.actor?.id ?? -1}))`,
    // Threads started (by name) by someone a block stands between; moderators still see them all.
    canModerate(access) || viewer === null
      ? undefined
      : sql`(${openedAnonymously}
          or not ${blockedBetweenSql(viewer, sql.raw('threads.group_id'), sql.raw('threads.author_id'))})`,
    viewer === null
      ? undefined
      : opts.muted
        ? sql`threads.id in ${mutedThreadsSql(viewer)}`
        : sql`threads.id not in ${mutedThreadsSql(viewer)}`,
  );
  // Timestamps are compared to the millisecond, as JavaScript keeps them in the cursor.
  const after = opts.after
    ? sql`(${threads.pinned}::int, date_trunc('milliseconds', ${threads.lastPostAt}), ${threads.id})
        < (${opts.after.pinned ? 1 : 0}, ${opts.after.lastPostAt.toISOString()}::timestamptz, ${opts.after.id})`
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        thread: threads,
        author: sql<string | null>`case when ${openedAnonymously} then null
          else ${memberNameSql(sql.raw('threads.group_id'), sql.raw('threads.author_id'))} end`,
        anonymous: openedAnonymously,
        // Written out in full: in a single-table select, Drizzle leaves columns unqualified, and an
        // unqualified "id" here would mean the post's id, not the thread's.
        awaiting: sql<boolean>`exists (select 1 from posts opening where opening.thread_id = threads.id
          and opening.is_opening and opening.status = 'pending')`,
        warning: sql<string | null>`(select opening.content_warning from posts opening
          where opening.thread_id = threads.id and opening.is_opening)`,
      })
      .from(threads)
      .where(and(visible, after))
      .orderBy(desc(threads.pinned), desc(threads.lastPostAt), desc(threads.id))
      .limit(opts.limit)
      .offset(opts.offset),
    db
      .select({ n: count(), ...opts.extra })
      .from(threads)
      .where(visible),
  ]);
  const { n, ...extra } = (total ?? { n: 0 }) as { n: number } & Record<string, unknown>;
  return { threads: rows, total: n, extra };
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
  const [{ access, thread }, [found]] = await Promise.all([
    accessThreadOfPost(db, actor, postId),
    postViewsWithHistory(db, actor, eq(posts.id, postId), true),
  ]);
  if (!found || found.post.deletedAt || !canSeePost(access, found.post)) throw new NotFound();
  assertCanModerate(access);
  const { revisions, ...view } = found;
  return { access, thread, view, revisions };
}
