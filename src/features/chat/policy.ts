import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { assertAgreementsAccepted } from '../agreements/index.js';
import {
  accessGroupById,
  assertCanModerate,
  assertCanTakePart,
  canModerate,
  canReadDiscussions,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { blockedIdsSql } from '../blocking/index.js';
import {
  accessOccurrence,
  liveRoomState,
  LIVE_ROOM_OPENS_BEFORE_MS,
  type Meeting,
  type MeetingOccurrence,
} from '../meetings/index.js';
import { chatMessages, chatParticipants, chatRooms, type ChatRoom } from './schema.js';

/*
 * Who may do what in a chat room. A room is read by whoever may read its group's discussions
 * (and is not shut out of the room or banned from the group); messages are written by members who
 * may take part, while the room takes them; leaders (canModerate) run the room, and may still
 * write when it is paused or they are muted.
 */

/** The person's own standing in a room: a facilitator muted them, or took them out of it. */
export interface Standing {
  mutedAt: Date | null;
  removedAt: Date | null;
}

export interface RoomAccess {
  access: GroupAccess;
  room: ChatRoom;
  me: Standing | null;
  /** When asked for: the people the person blocked in the group, or who blocked them. */
  blocked?: number[];
}

/** A meeting's room: the meeting and its occurrence, which decide when it takes messages. */
export interface RoomMeeting {
  meeting: Meeting;
  occurrence: MeetingOccurrence;
}

/** Whether the room takes messages now. */
export interface RoomState {
  paused: boolean;
  ended: boolean;
  cancelled: boolean;
  /** A meeting's room not open yet: when it opens. */
  opensAt: Date | null;
}

export function canReadRoom(a: GroupAccess, me: Standing | null): boolean {
  if (!canReadDiscussions(a)) return false;
  if (canModerate(a)) return true;
  return !a.banned && !me?.removedAt;
}

export const canRunRoom = canModerate;

/**
 * A room and the person's standing in it and in its group, asked for at the same time (two
 * queries at once); NotFound for anyone who may not read it, the same as for a room that does not exist.
 */
export async function accessRoom(
  db: DbOrTx,
  actor: Actor,
  roomId: number,
  opts: { blocked?: boolean } = {},
): Promise<RoomAccess> {
  if (!Number.isSafeInteger(roomId) || roomId <= 0 || roomId > 2_147_483_647) throw new NotFound();
  const blocked =
    opts.blocked && actor ? blockedIdsSql(sql.raw('chat_rooms.group_id'), actor.id) : sql<number[]>`'{}'::int[]`;
  const [[row], access] = await Promise.all([
    db
      .select({
        room: chatRooms,
        mutedAt: chatParticipants.mutedAt,
        removedAt: chatParticipants.removedAt,
        blocked,
      })
      .from(chatRooms)
      .leftJoin(
        chatParticipants,
        and(eq(chatParticipants.roomId, chatRooms.id), eq(chatParticipants.userId, actor?.id ?? -1)),
      )
      .where(eq(chatRooms.id, roomId)),
    accessGroupById(db, actor, sql`(select r.group_id from chat_rooms r where r.id = ${roomId})`).catch(
      (error: unknown) => {
        if (error instanceof NotFound) return null;
        throw error;
      },
    ),
  ]);
  if (!row || !access) throw new NotFound();
  const me = row.mutedAt || row.removedAt ? { mutedAt: row.mutedAt, removedAt: row.removedAt } : null;
  if (!canReadRoom(access, me)) throw new NotFound();
  return { access, room: row.room, me, blocked: (row.blocked ?? []).map(Number) };
}

/** A meeting's room: its meeting and occurrence, through the meetings feature's own access. */
export async function roomMeeting(db: DbOrTx, actor: Actor, room: ChatRoom): Promise<RoomMeeting | null> {
  if (room.occurrenceId === null) return null;
  const found = await accessOccurrence(db, actor, room.occurrenceId).catch((error: unknown) => {
    if (error instanceof Forbidden) throw new NotFound();
    throw error;
  });
  return { meeting: found.meeting, occurrence: found.occurrence };
}

export function roomState(room: ChatRoom, meeting: RoomMeeting | null, now = new Date()): RoomState {
  const state = meeting ? liveRoomState(meeting.meeting, meeting.occurrence, now) : null;
  return {
    paused: room.pausedAt !== null,
    ended: room.endedAt !== null || state === 'ended',
    cancelled: state === 'cancelled',
    opensAt:
      state === 'notYetOpen' ? new Date(meeting!.occurrence.startsAt.getTime() - LIVE_ROOM_OPENS_BEFORE_MS) : null,
  };
}

/** Why this person cannot write in the room as it is now; null when they can. */
export interface Refusal {
  key: MessageKey;
  vars?: Record<string, string | number | Date>;
}

/** Whether the person could write here at all (a member who may take part, not taken out of the room). */
export function takingPartRefusal(ra: Pick<RoomAccess, 'access' | 'me'>): Refusal | null {
  if (ra.me?.removedAt && !canModerate(ra.access)) return { key: 'chat.errors.removed' };
  try {
    assertCanTakePart(ra.access);
    assertAgreementsAccepted(ra.access);
  } catch (error) {
    if (error instanceof Forbidden) return { key: error.reason as MessageKey };
    throw error;
  }
  return null;
}

/** Whether the room takes this person's messages now, in this order: their part, then the room's state. */
export function postingRefusal(ra: RoomAccess, state: RoomState): Refusal | null {
  const leader = canModerate(ra.access);
  return (
    takingPartRefusal(ra) ??
    (state.cancelled ? { key: 'chat.errors.cancelled' } : null) ??
    (state.ended ? { key: 'chat.errors.ended' } : null) ??
    (state.opensAt ? { key: 'chat.errors.notYetOpen', vars: { opens: state.opensAt } } : null) ??
    (state.paused && !leader ? { key: 'chat.errors.paused' } : null) ??
    (ra.me?.mutedAt && !leader ? { key: 'chat.errors.muted' } : null)
  );
}

export function assertMayPostIn(ra: RoomAccess, state: RoomState): void {
  const refusal = postingRefusal(ra, state);
  if (refusal) throw new Forbidden(refusal.key, undefined, refusal.vars);
}

export function assertCanRunRoom(ra: RoomAccess): void {
  assertCanModerate(ra.access);
}

/**
 * For another feature's query (a meeting's voice circle): the person's standing in the live room
 * of a meeting's occurrence, as JSON {mutedAt, removedAt}, or null when they have none there.
 */
export function meetingRoomStandingSql(
  occurrenceId: number | SQL,
  userId: number,
): SQL<Record<string, string | null> | null> {
  return sql`(select json_build_object('mutedAt', p.muted_at, 'removedAt', p.removed_at)
    from chat_participants p join chat_rooms r on r.id = p.room_id
    where r.occurrence_id = ${occurrenceId} and p.user_id = ${userId})`;
}

/** A standing as meetingRoomStandingSql gives it, or null when there is nothing to it. */
export function readStanding(json: Record<string, string | null> | null): Standing | null {
  if (!json || (!json.mutedAt && !json.removedAt)) return null;
  const date = (v: string | null | undefined) => (v ? new Date(v) : null);
  return { mutedAt: date(json.mutedAt), removedAt: date(json.removedAt) };
}

/** Where a room's page is: a group's own room, or a meeting's. */
export function roomPath(room: Pick<ChatRoom, 'occurrenceId'>, slug: string): string {
  return room.occurrenceId === null ? `/g/${slug}/chat` : `/meetings/${room.occurrenceId}/room`;
}

/**
 * A chat message's room, for someone who may read the room (its attachments, served by
 * src/features/files); NotFound for anyone else and for a message a facilitator removed.
 */
export async function accessChatMessage(db: DbOrTx, actor: Actor, messageId: number): Promise<RoomAccess> {
  const [message] = await db
    .select({ roomId: chatMessages.roomId, removedAt: chatMessages.removedAt })
    .from(chatMessages)
    .where(eq(chatMessages.id, messageId));
  if (!message || message.removedAt) throw new NotFound();
  return accessRoom(db, actor, message.roomId);
}
