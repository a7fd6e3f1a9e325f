import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberNameSql } from '../groups/index.js';
import { longWaitingThreads } from '../support/index.js';

/*
 * What goes into a digest. A job serves one group and up to 500 members: the group's new
 * discussions and most-reacted replies are loaded once, the blocks, mutes and hidden posts of all
 * its members in one more query, and each member's digest is then picked in memory.
 */

/** New discussions shown in one digest; the rest are counted, with a link to the group. */
export const THREADS_SHOWN = 20;
/** Most-reacted replies shown in one digest. */
export const REPLIES_SHOWN = 5;
/** Discussions waiting more than a day for a reply, shown in a leader's digest. */
export const WAITING_SHOWN = 10;

/** A post as a digest shows it: its author as the group sees them, never more. */
export interface DigestPost {
  postId: number;
  threadId: number;
  title: string;
  /** Kept only to leave out the member's own posts and posts across a block; never shown. */
  authorId: number | null;
  anonymous: boolean;
  anonymousNumber: number | null;
  /** The author's name in the group (alias or pseudonym); null for anonymous posts and former members. */
  authorName: string | null;
  contentWarning: string | null;
  /** The start of the Markdown body. */
  body: string;
  createdAt: Date;
}

export interface DigestReply extends DigestPost {
  reactions: number;
  /** The discussion's opening post, so that a reply under a blocked member's discussion stays out. */
  threadAuthorId: number | null;
  threadAnonymous: boolean;
}

export interface GroupContent {
  threads: DigestPost[];
  replies: DigestReply[];
  /** Discussions waiting more than a day for a reply, oldest first (src/features/support). */
  waiting: DigestPost[];
  /** The group's owners, moderators and facilitators: their digests list the waiting discussions. */
  leaders: Set<number>;
}

/** What stands between each member and some posts: blocks either way, muted threads, posts hidden for them. */
export interface MemberFilters {
  apart: Map<number, Set<number>>;
  muted: Map<number, Set<number>>;
  hidden: Map<number, Set<number>>;
}

export interface Digest {
  threads: DigestPost[];
  /** New discussions beyond those shown. */
  moreThreads: number;
  replies: DigestReply[];
  /** For a leader: discussions waiting more than a day for a reply. */
  waiting: DigestPost[];
}

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function postOf(r: Row): DigestPost {
  return {
    postId: Number(r.post_id),
    threadId: Number(r.thread_id),
    title: String(r.title),
    authorId: numberOrNull(r.author_id),
    anonymous: Boolean(r.anonymous),
    anonymousNumber: numberOrNull(r.anonymous_number),
    authorName: r.author_name === null || r.author_name === undefined ? null : String(r.author_name),
    contentWarning: r.content_warning === null || r.content_warning === undefined ? null : String(r.content_warning),
    body: String(r.body),
    createdAt: new Date(r.created_at as string | Date),
  };
}

/** A post that members may read: published, neither deleted nor hidden by moderators. */
const readable = (p: string) =>
  sql.raw(`${p}.status = 'published' and ${p}.deleted_at is null and ${p}.hidden_at is null`);

/**
 * The group's discussions started in [from, to) and its replies in that window that drew
 * reactions (most first), each with its author's name in the group; anonymous posts carry no name.
 */
export async function loadGroupContent(db: DbOrTx, groupId: number, from: Date, to: Date): Promise<GroupContent> {
  const name = memberNameSql(sql.raw('p.group_id'), sql.raw('p.author_id'));
  const start = sql`${from.toISOString()}::timestamptz`;
  const end = sql`${to.toISOString()}::timestamptz`;
  // Only discussions with a post since `from` can hold news: a thread's last_post_at is never older
  // than its posts. Naming both values of `pinned` lets the thread-list index find them by group
  // and time, and each discussion's posts come by its own index: the group's history is not read.
  const active = sql`t.group_id = ${groupId} and t.pinned in (true, false) and t.last_post_at >= ${start}`;
  const threads = await db.execute(sql`
    select p.id as post_id, t.id as thread_id, t.title, p.author_id, p.anonymous, p.anonymous_number,
      case when p.anonymous or p.author_id is null then null else ${name} end as author_name,
      p.content_warning, left(p.body, 1000) as body, p.created_at
    from threads t join posts p on p.thread_id = t.id and p.is_opening
    where ${active} and t.created_at >= ${start} and ${readable('p')}
      and p.created_at >= ${start} and p.created_at < ${end}
    order by p.created_at desc, p.id desc
    limit 1000`);
  const replies = await db.execute(sql`
    select p.id as post_id, t.id as thread_id, t.title, p.author_id, p.anonymous, p.anonymous_number,
      case when p.anonymous or p.author_id is null then null else ${name} end as author_name,
      p.content_warning, left(p.body, 1000) as body, p.created_at, r.n as reactions,
      o.author_id as thread_author_id, coalesce(o.anonymous, false) as thread_anonymous
    from threads t
      join posts p on p.thread_id = t.id and p.created_at >= ${start} and p.created_at < ${end}
      join lateral (select count(*)::int as n from reactions x where x.post_id = p.id) r on r.n > 0
      left join posts o on o.thread_id = t.id and o.is_opening
    where ${active} and not p.is_opening and ${readable('p')} and (o.id is null or (${readable('o')}))
    order by r.n desc, p.created_at desc, p.id desc
    limit 500`);
  const [waiting, leaders] = await Promise.all([
    longWaitingThreads(db, groupId, to, 200),
    db.execute(sql`select user_id from memberships
      where group_id = ${groupId} and role in ('owner', 'moderator', 'facilitator')`),
  ]);
  return {
    waiting: waiting.map(postOf),
    leaders: new Set(rowsOf(leaders).map((r) => Number(r.user_id))),
    threads: rowsOf(threads).map(postOf),
    replies: rowsOf(replies).map((r) => ({
      ...postOf(r),
      reactions: Number(r.reactions),
      threadAuthorId: numberOrNull(r.thread_author_id),
      threadAnonymous: Boolean(r.thread_anonymous),
    })),
  };
}

/** The blocks (either way), muted threads and hidden posts of these members in the group, in one query. */
export async function loadMemberFilters(
  db: DbOrTx,
  groupId: number,
  userIds: readonly number[],
): Promise<MemberFilters> {
  const filters: MemberFilters = { apart: new Map(), muted: new Map(), hidden: new Map() };
  if (userIds.length === 0) return filters;
  const ids = `{${userIds.map((id) => Math.trunc(id)).join(',')}}`;
  const result = await db.execute(sql`
    select 'b' as kind, blocker_id as a, blocked_id as b from blocks
      where group_id = ${groupId} and (blocker_id = any(${ids}::int[]) or blocked_id = any(${ids}::int[]))
    union all
    select 'm', user_id, thread_id from thread_mutes where group_id = ${groupId} and user_id = any(${ids}::int[])
    union all
    select 'h', user_id, post_id from hidden_posts where group_id = ${groupId} and user_id = any(${ids}::int[])`);
  const add = (map: Map<number, Set<number>>, key: number, value: number) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  for (const row of rowsOf(result)) {
    const a = Number(row.a);
    const b = Number(row.b);
    if (row.kind === 'b') {
      add(filters.apart, a, b);
      add(filters.apart, b, a);
    } else add(row.kind === 'm' ? filters.muted : filters.hidden, a, b);
  }
  return filters;
}

const none = new Set<number>();

/**
 * One member's digest: what is new since `since`, as they would see it on the web. Their own
 * posts are left out (they know them), and so are muted discussions, posts they hid, and named
 * posts across a block. Anonymous posts are never left out for a block: that would tell who wrote them.
 */
export function digestFor(userId: number, since: Date, content: GroupContent, filters: MemberFilters): Digest {
  const apart = filters.apart.get(userId) ?? none;
  const muted = filters.muted.get(userId) ?? none;
  const hidden = filters.hidden.get(userId) ?? none;
  const from = since.getTime();
  const shows = (p: DigestPost) =>
    p.createdAt.getTime() >= from &&
    p.authorId !== userId &&
    !muted.has(p.threadId) &&
    !hidden.has(p.postId) &&
    (p.anonymous || p.authorId === null || !apart.has(p.authorId));
  const threads = content.threads.filter(shows);
  // Replies come most-reacted first: the first few that show are the ones.
  const replies: DigestReply[] = [];
  for (const r of content.replies) {
    if (replies.length === REPLIES_SHOWN) break;
    if (shows(r) && (r.threadAnonymous || r.threadAuthorId === null || !apart.has(r.threadAuthorId))) replies.push(r);
  }
  return {
    threads: threads.slice(0, THREADS_SHOWN),
    moreThreads: Math.max(0, threads.length - THREADS_SHOWN),
    replies,
    // Those who keep the group see past blocks, as on its pages; not their own, muted or hidden ones.
    waiting: content.leaders.has(userId)
      ? content.waiting
          .filter((p) => p.authorId !== userId && !muted.has(p.threadId) && !hidden.has(p.postId))
          .slice(0, WAITING_SHOWN)
      : [],
  };
}

export function isEmpty(digest: Digest): boolean {
  return digest.threads.length === 0 && digest.replies.length === 0 && digest.waiting.length === 0;
}

/**
 * The opening words of a Markdown post as plain text, for a digest: links keep their words,
 * emphasis, headings and quotes lose their marks; cut at a word near `max` characters.
 */
export function excerptOf(markdown: string, max = 240): string {
  const text = markdown
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}
