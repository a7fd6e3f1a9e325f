import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { blockedBetweenSql } from '../blocking/index.js';
import { attachmentsSql, groupUploadLimitsSql, readAttachments } from '../files/attaching.js';
import { canModerate, memberNameSql, type GroupAccess } from '../groups/index.js';
import type { ChatMessageView } from './live.js';
import type { RoomAccess, Standing } from './policy.js';
import type { ChatRoom } from './schema.js';

/** Messages on a page of history, and at most in one answer to a page catching up. */
export const HISTORY_PAGE = 50;
export const CATCH_UP_LIMIT = 200;

/** Present: seen in the last 75 seconds (a socket's heartbeat refreshes it every 30). */
export const PRESENT_SQL = sql.raw(`interval '75 seconds'`);

/** Someone in a room, as its leaders see them: by their name in the group, never an id. */
export interface ParticipantRow {
  name: string;
  present: boolean;
  muted: boolean;
  removed: boolean;
}

export interface RoomPage {
  room: ChatRoom;
  me: Standing | null;
  /** Oldest first. */
  messages: ChatMessageView[];
  hasOlder: boolean;
  /** Names of the members here now. */
  present: string[];
  /** For the room's leaders: everyone who has been in the room. */
  participants: ParticipantRow[] | null;
  /** The group's upload settings, as uploadLimitsFrom reads them (src/features/files). */
  attachLimits: unknown;
  /** The columns other features asked for (extensions.ts), by name. */
  extra: Record<string, unknown>;
}

const authorName = memberNameSql(sql.raw('m.group_id'), sql.raw('m.author_id'));
/** A message's photos and files, in the same statement: whoever sees the message may see them. */
const attachments = attachmentsSql('chatMessage', sql.raw('m.id'));

/** The messages a person sees: not removed, and none between them and someone either blocked (leaders see all). */
function visible(access: GroupAccess): SQL {
  const viewer = access.actor?.id ?? null;
  if (viewer === null || canModerate(access)) return sql`m.removed_at is null`;
  return sql`m.removed_at is null and not ${blockedBetweenSql(viewer, sql.raw('m.group_id'), sql.raw('m.author_id'))}`;
}

type Timestamp = string | Date | null;
const date = (v: Timestamp) => (v === null ? null : new Date(v));
const iso = (v: string | Date) => new Date(v).toISOString();

interface MessageRow {
  id: number | string;
  body: string;
  createdAt: string | Date;
  authorName: string | null;
  attachments: unknown;
}
const messageView = (r: MessageRow): ChatMessageView => {
  const files = readAttachments(r.attachments);
  return {
    id: Number(r.id),
    authorName: r.authorName,
    body: r.body,
    createdAt: iso(r.createdAt),
    ...(files.length > 0 ? { attachments: files } : {}),
  };
};

/**
 * A room's page, in one statement: the room (made now if it is the first time anyone opens it;
 * two people opening it at once get the same one), the person's standing in it, a page of
 * history, who is here, and for its leaders everyone who has been in it, with the columns other
 * features add (`extra`, extensions.ts). `occurrenceId` null is the group's own room.
 */
export async function openRoom(
  db: DbOrTx,
  access: GroupAccess,
  occurrenceId: number | null,
  before?: number,
  extra: Record<string, SQL> = {},
  retried = false,
): Promise<RoomPage> {
  const groupId = access.group.id;
  const viewer = access.actor?.id ?? -1;
  const made =
    occurrenceId === null
      ? sql`insert into chat_rooms (group_id) values (${groupId})
          on conflict (group_id) where occurrence_id is null do nothing returning *`
      : sql`insert into chat_rooms (group_id, occurrence_id) values (${groupId}, ${occurrenceId})
          on conflict (occurrence_id) do nothing returning *`;
  const existing =
    occurrenceId === null
      ? sql`select * from chat_rooms where group_id = ${groupId} and occurrence_id is null`
      : sql`select * from chat_rooms where occurrence_id = ${occurrenceId}`;
  const older = before === undefined ? sql`` : sql`and m.id < ${before}`;
  const participants = canModerate(access)
    ? sql`(select coalesce(json_agg(x order by x.name), '[]'::json) from (
        select ${memberNameSql(sql.raw('p.group_id'), sql.raw('p.user_id'))} as name,
          coalesce(p.last_seen_at > now() - ${PRESENT_SQL}, false) as present,
          p.muted_at is not null as muted, p.removed_at is not null as removed
        from chat_participants p where p.room_id = r.id and p.user_id <> ${viewer} limit 200) x)`
    : sql`null`;
  const statement = sql`
    with made as (${made}), room as (select * from made union all ${existing})
    select r.id, r.group_id as "groupId", r.occurrence_id as "occurrenceId", r.paused_at as "pausedAt",
      r.ended_at as "endedAt", r.created_at as "createdAt",
      (select json_build_object('mutedAt', p.muted_at, 'removedAt', p.removed_at) from chat_participants p
        where p.room_id = r.id and p.user_id = ${viewer}) as me,
      (select coalesce(json_agg(x order by x.id), '[]'::json) from (
        select m.id, m.body, m.created_at as "createdAt", ${authorName} as "authorName",
          ${attachments} as attachments
        from chat_messages m where m.room_id = r.id and ${visible(access)} ${older}
        order by m.id desc limit ${HISTORY_PAGE + 1}) x) as messages,
      (select coalesce(json_agg(n.name order by n.name), '[]'::json) from (
        select ${memberNameSql(sql.raw('p.group_id'), sql.raw('p.user_id'))} as name from chat_participants p
        where p.room_id = r.id and p.removed_at is null and p.last_seen_at > now() - ${PRESENT_SQL}) n
        where n.name is not null) as present,
      ${participants} as participants,
      ${groupUploadLimitsSql(sql.raw('r.group_id'))} as "attachLimits"
      ${sql.join(
        Object.entries(extra).map(([name, column]) => sql`, ${column} as ${sql.identifier(name)}`),
        sql``,
      )}
    from room r limit 1`;
  const result = (await db.execute(statement)) as unknown as {
    rows: ({
      id: number;
      groupId: number;
      occurrenceId: number | null;
      pausedAt: Timestamp;
      endedAt: Timestamp;
      createdAt: string | Date;
      me: { mutedAt: string | null; removedAt: string | null } | null;
      messages: MessageRow[];
      present: string[];
      participants: ParticipantRow[] | null;
      attachLimits: unknown;
    } & Record<string, unknown>)[];
  };
  const row = result.rows[0];
  // Made by someone else a moment ago, after this statement's snapshot was taken: it is there now.
  if (!row) {
    if (retried) throw new Error('a chat room could neither be made nor found');
    return openRoom(db, access, occurrenceId, before, extra, true);
  }
  const messages = row.messages.map(messageView);
  const hasOlder = messages.length > HISTORY_PAGE;
  return {
    room: {
      id: Number(row.id),
      groupId: Number(row.groupId),
      occurrenceId: row.occurrenceId === null ? null : Number(row.occurrenceId),
      pausedAt: date(row.pausedAt),
      endedAt: date(row.endedAt),
      createdAt: new Date(row.createdAt),
    },
    me:
      row.me && (row.me.mutedAt || row.me.removedAt)
        ? { mutedAt: date(row.me.mutedAt), removedAt: date(row.me.removedAt) }
        : null,
    messages: hasOlder ? messages.slice(1) : messages,
    hasOlder,
    present: row.present,
    participants: row.participants,
    attachLimits: row.attachLimits,
    extra: Object.fromEntries(Object.keys(extra).map((name) => [name, row[name]])),
  };
}

/**
 * Messages after one the page has (catching up after a reconnection), or a page before one
 * (older history); oldest first. `more` says another answer has more of them.
 */
export async function readMessages(
  db: DbOrTx,
  ra: RoomAccess,
  page: { after?: number | undefined; before?: number | undefined },
): Promise<{ messages: ChatMessageView[]; more: boolean }> {
  const after = page.after !== undefined;
  const limit = after ? CATCH_UP_LIMIT : HISTORY_PAGE;
  const where = after
    ? sql`and m.id > ${page.after}`
    : page.before !== undefined
      ? sql`and m.id < ${page.before}`
      : sql``;
  const result = (await db.execute(sql`
    select m.id, m.body, m.created_at as "createdAt", ${authorName} as "authorName", ${attachments} as attachments
    from chat_messages m
    where m.room_id = ${ra.room.id} and ${visible(ra.access)} ${where}
    order by m.id ${after ? sql`asc` : sql`desc`} limit ${limit + 1}`)) as unknown as { rows: MessageRow[] };
  const more = result.rows.length > limit;
  const rows = result.rows.slice(0, limit).map(messageView);
  return { messages: after ? rows : rows.reverse(), more };
}

/** The names of the members in a room now. */
export async function presentNames(db: DbOrTx, roomId: number): Promise<string[]> {
  const result = (await db.execute(sql`
    select n.name from (
      select ${memberNameSql(sql.raw('p.group_id'), sql.raw('p.user_id'))} as name from chat_participants p
      where p.room_id = ${roomId} and p.removed_at is null and p.last_seen_at > now() - ${PRESENT_SQL}) n
    where n.name is not null order by n.name`)) as unknown as { rows: { name: string }[] };
  return result.rows.map((r) => r.name);
}
