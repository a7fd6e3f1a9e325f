import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { activeMemberSql, groupSummarySql, memberNameSql, type Actor } from '../groups/index.js';
import { blockedBetweenSql } from '../blocking/index.js';
import { attachmentsSql, readAttachments, type FileView } from '../files/attaching.js';
import { detectRisk } from '../safety/index.js';
import { assertMayRead, type Standing } from './policy.js';
import type { ConversationMemberStatus } from './schema.js';

/** Messages on one page of a conversation, newest last. */
export const PAGE_SIZE = 50;

/** Someone else in a conversation, as the reader sees them. */
export interface OtherMember {
  /** Their name in the conversation's group; null once their account is gone. */
  name: string | null;
  /**
   * Where they stand, as the reader may know it: someone who declined shows as still asked, so
   * that whoever asked is not told.
   */
  status: 'active' | 'requested' | 'left';
  /** They started the conversation. */
  starter: boolean;
}

export interface ConversationSummary {
  id: number;
  group: { slug: string; name: string } | null;
  /** The reader's own place: taking part, or asked to. */
  mine: 'active' | 'requested';
  others: OtherMember[];
  lastMessageAt: Date;
  /** A message came after the reader last looked. */
  unread: boolean;
}

export interface MessageView {
  id: number;
  /** Its photos and files (src/features/files); none once removed. */
  attachments: FileView[];
  mine: boolean;
  /** The author's name in the group; null once their account is gone. */
  author: string | null;
  /** Sanitised when it was written; null once a moderator removed it. */
  bodyHtml: string | null;
  createdAt: Date;
}

export interface ConversationPage {
  conversation: ConversationSummary;
  standing: Standing;
  /** The reader is a member in good standing of the conversation's group (may write in it). */
  inGroup: boolean;
  messages: MessageView[];
  /** The id to ask for earlier messages before, when there are some. */
  earlierBefore: number | null;
}

/** What the reader may know of another person's status (see OtherMember). */
function shownStatus(status: ConversationMemberStatus): OtherMember['status'] {
  return status === 'declined' ? 'requested' : status;
}

const othersSql = (viewerId: number) => sql`(select coalesce(json_agg(json_build_object(
    'name', ${memberNameSql(sql.raw('c.group_id'), sql.raw('o.user_id'))},
    'status', o.status, 'starter', o.user_id = c.created_by) order by o.joined_at, o.user_id), '[]'::json)
  from conversation_members o where o.conversation_id = c.id and o.user_id <> ${viewerId})`;

interface SummaryRow {
  id: number | string;
  group: { slug: string; name: string } | null;
  mine: 'active' | 'requested';
  others: string | { name: string | null; status: ConversationMemberStatus; starter: boolean }[];
  lastMessageAt: string | Date;
  unread: boolean;
}

function summaryOf(row: SummaryRow): ConversationSummary {
  const others =
    typeof row.others === 'string' ? (JSON.parse(row.others) as Exclude<SummaryRow['others'], string>) : row.others;
  return {
    id: Number(row.id),
    group: row.group,
    mine: row.mine,
    others: others.map((o) => ({ name: o.name, status: shownStatus(o.status), starter: o.starter })),
    lastMessageAt: new Date(row.lastMessageAt),
    unread: row.unread,
  };
}

/**
 * For the session's query, so the header's count costs no round trip of its own: how many of the
 * person's conversations (and requests) have a message they have not seen.
 */
export function unreadConversationsSql(userId: SQL): SQL<number> {
  return sql`(select count(*)::int from conversation_members ucm join conversations uc on uc.id = ucm.conversation_id
    where ucm.user_id = ${userId} and ucm.status in ('active', 'requested')
      and (ucm.last_read_at is null or uc.last_message_at > ucm.last_read_at))`;
}

/** The person's conversations: requests first, then the most recently active. One query. */
export async function listConversations(db: Db, viewerId: number, limit = 200): Promise<ConversationSummary[]> {
  const result = (await db.execute(sql`
    select c.id, ${groupSummarySql(sql.raw('c.group_id'))} as "group", cm.status as mine,
      ${othersSql(viewerId)} as others, c.last_message_at as "lastMessageAt",
      (cm.last_read_at is null or c.last_message_at > cm.last_read_at) as unread
    from conversation_members cm join conversations c on c.id = cm.conversation_id
    where cm.user_id = ${viewerId} and cm.status in ('active', 'requested')
    order by (cm.status = 'requested') desc, c.last_message_at desc, c.id desc
    limit ${limit}`)) as unknown as { rows: SummaryRow[] };
  return result.rows.map(summaryOf);
}

/**
 * One page of a conversation for someone in it (or asked to join it, who sees only the first
 * message), marking it read. Two queries, at the same time: the conversation (with the marking),
 * and its messages, whose own condition lets only its members read them. A message from someone
 * a block keeps apart from the reader in the conversation's group is left out, as the forum
 * leaves out their posts.
 */
export async function readConversation(
  db: Db,
  actor: Actor,
  conversationId: number,
  page: { before?: number | undefined; after?: number | undefined } = {},
): Promise<ConversationPage> {
  if (!actor) throw new NotFound();
  const viewerId = actor.id;
  const now = new Date();
  const group = sql`(select gc.group_id from conversations gc where gc.id = ${conversationId})`;
  const firstMessage = sql`(select min(f.id) from private_messages f where f.conversation_id = ${conversationId})`;
  const range = sql.join(
    [
      page.before === undefined ? sql`true` : sql`pm.id < ${page.before}`,
      page.after === undefined ? sql`true` : sql`pm.id > ${page.after}`,
    ],
    sql` and `,
  );
  const [head, body] = await Promise.all([
    db.execute(sql`
      with touched as (
        update conversation_members set last_read_at = now()
        where conversation_id = ${conversationId} and user_id = ${viewerId} and status in ('active', 'requested')
        returning user_id
      )
      select c.id, ${groupSummarySql(sql.raw('c.group_id'))} as "group", me.status as mine,
        ${othersSql(viewerId)} as others, c.last_message_at as "lastMessageAt", false as unread,
        ${activeMemberSql(sql.raw('c.group_id'), sql`${viewerId}::int`, now)} as "inGroup"
      from conversations c join conversation_members me on me.conversation_id = c.id and me.user_id = ${viewerId}
      where c.id = ${conversationId}`) as unknown as Promise<{ rows: (SummaryRow & { inGroup: boolean })[] }>,
    db.execute(sql`
      select pm.id, pm.author_id = ${viewerId} as mine,
        ${memberNameSql(group, sql.raw('pm.author_id'))} as author,
        case when pm.removed_at is null then pm.body_html end as "bodyHtml", pm.created_at as "createdAt",
        case when pm.removed_at is null then ${attachmentsSql('privateMessage', sql.raw('pm.id'))} end as attachments
      from private_messages pm
      where pm.conversation_id = ${conversationId}
        and exists (select 1 from conversation_members v where v.conversation_id = ${conversationId}
          and v.user_id = ${viewerId}
          and (v.status = 'active' or (v.status = 'requested' and pm.id = ${firstMessage})))
        and not ${blockedBetweenSql(viewerId, group, sql.raw('pm.author_id'))}
        and ${range}
      order by pm.id ${page.after === undefined ? sql`desc` : sql`asc`}
      limit ${PAGE_SIZE + 1}`) as unknown as Promise<{
      rows: {
        id: number | string;
        mine: boolean | null;
        author: string | null;
        bodyHtml: string | null;
        createdAt: string | Date;
        attachments: unknown;
      }[];
    }>,
  ]);
  const row = head.rows[0];
  const mine = row?.mine as ConversationMemberStatus | undefined;
  assertMayRead(mine ? { mine } : null);
  const conversation = summaryOf(row!);
  const more = body.rows.length > PAGE_SIZE;
  const rows = body.rows.slice(0, PAGE_SIZE);
  const messages = rows.map((m) => ({
    id: Number(m.id),
    mine: m.mine === true,
    author: m.author,
    bodyHtml: m.bodyHtml,
    createdAt: new Date(m.createdAt),
    attachments: readAttachments(m.attachments),
  }));
  if (page.after === undefined) messages.reverse();
  const others = (typeof row!.others === 'string' ? JSON.parse(row!.others) : row!.others) as {
    status: ConversationMemberStatus;
  }[];
  return {
    conversation,
    standing: { mine: mine!, others: others.map((o) => o.status) },
    inGroup: row!.inGroup,
    messages,
    earlierBefore: more && page.after === undefined ? messages[0]!.id : null,
  };
}

/**
 * Whether the viewer's own message in the conversation reads as someone in crisis: the page after
 * sending shows its author help (`?support=<message id>`), and nobody else anything.
 */
export async function needsSupport(db: Db, actor: Actor, conversationId: number, messageId: number): Promise<boolean> {
  if (!actor) return false;
  const result = (await db.execute(sql`select body from private_messages
    where id = ${messageId} and conversation_id = ${conversationId} and author_id = ${actor.id}`)) as unknown as {
    rows: { body: string }[];
  };
  const body = result.rows[0]?.body;
  return body !== undefined && detectRisk(body).atRisk;
}

/** What a live follower of a conversation is kept with: who they are, and whom a block keeps apart from them. */
export interface FollowerContext {
  viewerId: number;
  apart: Set<number>;
}

/**
 * Whether this person may follow the conversation live: only while they take part in it. Throws
 * NotFound otherwise, the same as for a conversation that does not exist.
 */
export async function authoriseFollower(db: Db, actor: Actor, conversationId: number): Promise<FollowerContext> {
  if (!actor) throw new NotFound();
  const result = (await db.execute(sql`
    select me.status,
      (select coalesce(json_agg(case when b.blocker_id = ${actor.id} then b.blocked_id else b.blocker_id end), '[]'::json)
        from blocks b where b.group_id = c.group_id and (b.blocker_id = ${actor.id} or b.blocked_id = ${actor.id})) as apart
    from conversations c join conversation_members me on me.conversation_id = c.id and me.user_id = ${actor.id}
    where c.id = ${conversationId}`)) as unknown as { rows: { status: string; apart: string | number[] }[] };
  const row = result.rows[0];
  if (row?.status !== 'active') throw new NotFound();
  const apart = (typeof row.apart === 'string' ? JSON.parse(row.apart) : row.apart) as (number | string)[];
  return { viewerId: actor.id, apart: new Set(apart.map(Number)) };
}
