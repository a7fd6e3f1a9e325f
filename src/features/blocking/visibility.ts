import { sql, type SQL } from 'drizzle-orm';

/*
 * What blocks and mutes take out of a viewer's pages, as SQL for the forum's queries, so that the
 * thread page and the thread list cost no extra round trip.
 *
 * Anonymous posts are never taken out by a block, in either direction: if blocking someone made
 * some "Anonymous" posts vanish, block and unblock would tell anyone who wrote them. A member can
 * hide one anonymous post for themselves instead ("Hide this post for me").
 */

/**
 * Whether a block stands between the viewer and the author of a post or thread, in its group,
 * either way. The arguments are qualified columns (or values) of the row; the viewer may be a
 * column too (the notification job asks it of many people at once).
 */
export function blockedBetweenSql(viewerId: number | SQL | null, groupId: SQL, authorId: SQL): SQL<boolean> {
  return sql<boolean>`(${authorId} is not null and ${authorId} <> ${viewerId ?? -1} and exists (
    select 1 from blocks bl where bl.group_id = ${groupId}
      and ((bl.blocker_id = ${viewerId ?? -1} and bl.blocked_id = ${authorId})
        or (bl.blocker_id = ${authorId} and bl.blocked_id = ${viewerId ?? -1}))))`;
}

/**
 * The people a person blocked in a group, or who blocked them there, as an array of ids: for live
 * delivery (a chat room), which decides as each message arrives and cannot ask the database then.
 */
export function blockedIdsSql(groupId: SQL, userId: number): SQL<number[]> {
  return sql<number[]>`(select coalesce(array_agg(case when bl.blocker_id = ${userId} then bl.blocked_id
      else bl.blocker_id end), '{}') from blocks bl
    where bl.group_id = ${groupId} and (bl.blocker_id = ${userId} or bl.blocked_id = ${userId}))`;
}

/** For the forum's posts query (the row is `posts`): a named post whose author and the viewer are apart. */
export function postBlockedSql(viewerId: number | null): SQL<boolean> {
  if (viewerId === null) return sql<boolean>`false`;
  return sql<boolean>`(not posts.anonymous and ${blockedBetweenSql(viewerId, sql.raw('posts.group_id'), sql.raw('posts.author_id'))})`;
}

/** For the forum's posts query: the viewer hid this post for themselves. */
export function postHiddenForViewerSql(viewerId: number | null): SQL<boolean> {
  if (viewerId === null) return sql<boolean>`false`;
  return sql<boolean>`exists (select 1 from hidden_posts hp where hp.user_id = ${viewerId} and hp.post_id = posts.id)`;
}

/**
 * The threads a person muted, as a subquery of thread ids. Issue 15 (notifications) leaves these
 * out: `thread_id not in (${mutedThreadsSql(userId)})`.
 */
export function mutedThreadsSql(userId: number | SQL): SQL<number> {
  return sql<number>`(select tm.thread_id from thread_mutes tm where tm.user_id = ${userId})`;
}
