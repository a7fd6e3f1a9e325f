import { sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { welcomeMessageSql } from '../agreements/index.js';
import { groupSummarySql, memberNameSql } from '../groups/index.js';
import { listingSummarySql } from '../directory/index.js';
import { occurrenceSummarySql } from '../meetings/index.js';
import type { NotificationRow } from './service.js';

/** Notifications on one page of /notifications. */
export const PAGE_SIZE = 30;

/**
 * Who did what a notification is about, as the reader is allowed to know them: the name they go by
 * in the group (their alias there, never the pseudonym behind it); for an anonymous post, nobody.
 */
export interface NotificationActor {
  /** Null for an anonymous post, or an account that is gone. */
  name: string | null;
  anonymous: boolean;
}

/** A notification as the page and the email show it: its row, and the names it needs. */
export interface NotificationView extends NotificationRow {
  /** How many things it stands for (people who sent support on one post, messages in one conversation). */
  count: number;
  conversationId: number | null;
  occurrenceId: number | null;
  /** The discussion's title, for notifications about a post. */
  threadTitle: string | null;
  /** Who wrote the post or the message it is about (replies, mentions, watched posts, messages). */
  actor: NotificationActor | null;
  /** A welcome's text: the group's welcome message as it is now (null or '' for the site's own). */
  welcome?: string | null;
}

/**
 * Kinds that are about someone else's post: the post's author is named (or not: anonymous) from
 * the post itself when the page is shown, so that a name changed or an account deleted since is
 * never kept in another person's notifications.
 */
const aboutPost = sql`('reply', 'mention', 'watched_post')`;
/** Kinds that name their post's discussion: reactions and closed polls too, but never who reacted. */
const titled = sql`('reply', 'mention', 'watched_post', 'reactions', 'poll_closed')`;
const aboutMessage = sql`('private_message', 'message_request')`;

/** A notification written already read because its person wants that kind only by email or push. */
export const shownSql = sql`(n.read_at is null or n.read_at <> n.created_at)`;

/**
 * The columns of a notification as the page shows it (for a query over notifications `n`): the
 * names come from lateral joins on the post (`pa`) and the conversation (`ma`), see viewJoinsSql.
 */
function viewColumnsSql(): SQL {
  return sql`n.id, n.kind, ${groupSummarySql(sql.raw('n.group_id'))} as "group", n.thread_id as "threadId",
    n.post_id as "postId", ${listingSummarySql(sql.raw('n.listing_id'))} as "listing",
    ${occurrenceSummarySql(sql.raw('n.occurrence_id'))} as "occurrence", n.occurrence_id as "occurrenceId",
    n.conversation_id as "conversationId", n.count, n.actor_role as "actorRole", n.reason,
    n.created_at as "createdAt", n.read_at is null as unread,
    pa.thread_title as "threadTitle",
    case when n.kind = 'group_welcome' then ${welcomeMessageSql(sql.raw('n.group_id'))} end as "welcome",
    case when n.kind in ${aboutPost} and pa.post_id is not null then json_build_object('name', pa.name, 'anonymous', pa.anonymous)
      when ma.name is not null then json_build_object('name', ma.name, 'anonymous', false) end as actor`;
}

/**
 * Who wrote the post (its author's name in the group, or nobody for an anonymous post or a deleted
 * one), and the latest message of a conversation by someone other than the reader (their name in
 * the conversation's group, or their pseudonym in a conversation that belongs to no group).
 */
function viewJoinsSql(): SQL {
  return sql`
    left join lateral (
      select p.id as post_id, p.anonymous, t.title as thread_title,
        case when p.anonymous or p.deleted_at is not null then null
          else ${memberNameSql(sql.raw('p.group_id'), sql.raw('p.author_id'))} end as name
      from posts p join threads t on t.id = p.thread_id
      where p.id = n.post_id and n.kind in ${titled}
    ) pa on true
    left join lateral (
      select ${memberNameSql(sql.raw('c.group_id'), sql.raw('pm.author_id'))} as name
      from conversations c join private_messages pm on pm.conversation_id = c.id
      where c.id = n.conversation_id and n.kind in ${aboutMessage}
        and pm.author_id is not null and pm.author_id <> n.user_id
      order by pm.id desc limit 1
    ) ma on true`;
}

type RawView = Omit<NotificationView, 'id' | 'createdAt' | 'count'> & {
  id: number | string;
  count: number | string;
  createdAt: string | Date;
  total?: number | string;
};

function toView(r: RawView): NotificationView {
  const rest = { ...r };
  delete rest.total;
  return { ...rest, id: Number(r.id), count: Number(r.count), createdAt: new Date(r.createdAt) };
}

export interface NotificationPage {
  list: NotificationView[];
  /** All the notifications the person has on the site, for paging. */
  total: number;
  page: number;
}

/**
 * A page of the person's notifications, newest first, unread and read alike (each says which), in
 * one query whatever the number of names it shows. Seeing the page marks nothing read: opening a
 * notification does, or "Mark all as read".
 */
export async function listNotifications(db: Db, userId: number, page: number): Promise<NotificationPage> {
  const result = (await db.execute(sql`
    select ${viewColumnsSql()},
      (select count(*)::int from notifications n where n.user_id = ${userId} and ${shownSql}) as total
    from notifications n ${viewJoinsSql()}
    where n.user_id = ${userId} and ${shownSql}
    order by n.created_at desc, n.id desc
    limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`)) as unknown as { rows: RawView[] };
  const total = result.rows[0]?.total;
  return {
    list: result.rows.map(toView),
    total: total === undefined ? await countShown(db, userId) : Number(total),
    page,
  };
}

/** A page past the last has no rows to carry the total: asked for on its own (only then). */
async function countShown(db: Db, userId: number): Promise<number> {
  const result = (await db.execute(
    sql`select count(*)::int as total from notifications n where n.user_id = ${userId} and ${shownSql}`,
  )) as unknown as { rows: { total: number | string }[] };
  return Number(result.rows[0]?.total ?? 0);
}

/**
 * Notifications by id, as an email lists them, of one person only (ids of anyone else's are
 * ignored), newest first; with `waitingForEmail`, only those still to be emailed (one read
 * meanwhile is not). For the email work (email.tsx), in one query.
 */
export async function notificationViews(
  db: DbOrTx,
  userId: number,
  ids: readonly number[],
  opts: { waitingForEmail?: boolean } = {},
): Promise<NotificationView[]> {
  if (ids.length === 0) return [];
  const waiting = opts.waitingForEmail ? sql`and n.emailed_at is null and n.email_due_at is not null` : sql``;
  const result = (await db.execute(sql`
    select ${viewColumnsSql()}
    from notifications n ${viewJoinsSql()}
    where n.user_id = ${userId} and n.id = any(${`{${ids.join(',')}}`}::int[]) ${waiting}
    order by n.created_at desc, n.id desc`)) as unknown as { rows: RawView[] };
  return result.rows.map(toView);
}

/**
 * Read: counted on the bell no more, and no longer to be emailed or pushed (the person has seen
 * it). Set in every statement that marks notifications read.
 */
const markedRead = sql`read_at = coalesce(read_at, now()),
  email_due_at = case when emailed_at is null then null else email_due_at end,
  pushed_at = coalesce(pushed_at, now())`;

/** Where a notification leads: the exact post, the conversation, the meeting, or what it is about. */
export interface NotificationTarget {
  kind: string;
  slug: string | null;
  threadId: number | null;
  postId: number | null;
  conversationId: number | null;
  occurrenceId: number | null;
  listingId: number | null;
}

/**
 * Opens one of the person's notifications: marks it read and says where it leads. Null when it is
 * not theirs (or does not exist): the same answer for both.
 */
export async function openNotification(db: Db, userId: number, id: number): Promise<NotificationTarget | null> {
  const result = (await db.execute(sql`
    update notifications n set ${markedRead}
    where n.id = ${id} and n.user_id = ${userId}
    returning n.kind, (select g.slug from groups g where g.id = n.group_id) as slug, n.thread_id, n.post_id,
      n.conversation_id, n.occurrence_id, n.listing_id`)) as unknown as { rows: Record<string, unknown>[] };
  const row = result.rows[0];
  if (!row) return null;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    kind: String(row.kind),
    slug: row.slug === null || row.slug === undefined ? null : String(row.slug),
    threadId: num(row.thread_id),
    postId: num(row.post_id),
    conversationId: num(row.conversation_id),
    occurrenceId: num(row.occurrence_id),
    listingId: num(row.listing_id),
  };
}

/** The address a notification leads to. */
export function targetUrl(t: NotificationTarget): string {
  if (t.conversationId !== null) return `/messages/${t.conversationId}`;
  if (t.occurrenceId !== null) return `/meetings/${t.occurrenceId}`;
  if (t.slug && t.threadId !== null) {
    return `/g/${t.slug}/t/${t.threadId}${t.postId !== null ? `#post-${t.postId}` : ''}`;
  }
  if (t.listingId !== null && !t.slug) return `/listings/${t.listingId}`;
  if (t.slug) {
    switch (t.kind) {
      case 'moderator_alert':
        return `/g/${t.slug}/review`;
      case 'crisis_alert':
      case 'check_in_request':
        return `/g/${t.slug}/safety`;
      case 'coping_request':
        return `/g/${t.slug}/coping/requests`;
      case 'resource_approved':
        return `/g/${t.slug}/resources`;
      case 'agreements_changed':
        return `/g/${t.slug}/agreements`;
      default:
        return `/g/${t.slug}`;
    }
  }
  if (t.kind === 'thanks_received') return '/account/support#support-thanks';
  return '/notifications';
}

/** Marks one of the person's notifications read; false when it is not theirs. */
export async function markRead(db: Db, userId: number, id: number): Promise<boolean> {
  const result = (await db.execute(sql`
    update notifications set ${markedRead} where id = ${id} and user_id = ${userId} returning id`)) as unknown as {
    rows: unknown[];
  };
  return result.rows.length > 0;
}

/**
 * Marks one of the person's notifications unread again, to come back to. A batched one stays read
 * when a newer unread one of the same batch stands for it already. False when it is not theirs.
 */
export async function markUnread(db: Db, userId: number, id: number): Promise<boolean> {
  const result = (await db.execute(sql`
    with mine as (select id, batch_key from notifications where id = ${id} and user_id = ${userId})
    , reopened as (
      update notifications n set read_at = null
      from mine
      where n.id = mine.id and (mine.batch_key is null or not exists (
        select 1 from notifications o where o.user_id = ${userId} and o.batch_key = mine.batch_key and o.read_at is null))
      returning n.id
    )
    select (select count(*) from mine)::int as found`)) as unknown as { rows: { found: number | string }[] };
  return Number(result.rows[0]?.found ?? 0) > 0;
}

/** Marks all of the person's notifications read. */
export async function markAllRead(db: Db, userId: number): Promise<void> {
  await db.execute(sql`update notifications set ${markedRead} where user_id = ${userId} and read_at is null`);
}
