import { and, eq, isNull } from 'drizzle-orm';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import { recheckLiveAccess } from '../../platform/live/hub.js';
import { findUserIdByName, recordAudit, type Actor, type AuditAction } from '../groups/index.js';
import { markLiveEnded } from '../meetings/index.js';
import { announce } from './live.js';
import { accessRoom, assertCanRunRoom, roomMeeting, roomState, type RoomAccess } from './policy.js';
import { chatMessages, chatParticipants, chatRooms } from './schema.js';

/*
 * What a room's leaders (canModerate) can do in it: pause and resume the chat, end a meeting,
 * remove a message, mute a participant or take them out of the room. Each is audited in the
 * group's log and reaches everyone in the room live, once committed.
 */

type Effects = { bus?: Bus | undefined };

async function audit(tx: DbOrTx, ra: RoomAccess, action: AuditAction, subjectUserId: number | null = null) {
  await recordAudit(tx, { groupId: ra.room.groupId, actorId: ra.access.actor!.id, action, subjectUserId });
}

async function runRoom(tx: DbOrTx, actor: Actor, roomId: number) {
  const ra = await accessRoom(tx, actor, roomId);
  assertCanRunRoom(ra);
  const state = roomState(ra.room, await roomMeeting(tx, actor, ra.room));
  return { ra, state };
}

/** Pauses the chat (only leaders may write until it is resumed), or resumes it. */
export async function setPaused(
  db: Db,
  actor: Actor,
  roomId: number,
  paused: boolean,
  effects: Effects = {},
): Promise<RoomAccess> {
  const { ra, ended } = await db.transaction(async (tx) => {
    const { ra, state } = await runRoom(tx, actor, roomId);
    if (state.ended) throw new Forbidden('chat.errors.ended');
    if (state.paused !== paused) {
      await tx
        .update(chatRooms)
        .set({ pausedAt: paused ? new Date() : null })
        .where(eq(chatRooms.id, roomId));
      await audit(tx, ra, paused ? 'pause_chat' : 'resume_chat');
    }
    return { ra, ended: state.ended };
  });
  await announce(effects.bus, { type: 'chat.state', roomId, paused, ended });
  return ra;
}

/** Ends a meeting: its room becomes read-only history, and the meeting is marked as over. */
export async function endMeeting(db: Db, actor: Actor, roomId: number, effects: Effects = {}): Promise<RoomAccess> {
  const { ra, paused } = await db.transaction(async (tx) => {
    const { ra, state } = await runRoom(tx, actor, roomId);
    // A group's own room goes on; only a meeting ends.
    if (ra.room.occurrenceId === null) throw new Forbidden('chat.errors.notAMeeting');
    if (ra.room.endedAt === null) {
      const now = new Date();
      await tx.update(chatRooms).set({ endedAt: now }).where(eq(chatRooms.id, roomId));
      await markLiveEnded(tx, ra.room.occurrenceId, now);
      await audit(tx, ra, 'end_meeting');
    }
    return { ra, paused: state.paused };
  });
  await announce(effects.bus, { type: 'chat.state', roomId, paused, ended: true });
  return ra;
}

/** Removes a message: its words are gone from the room for everyone, at once. */
export async function removeMessage(
  db: Db,
  actor: Actor,
  roomId: number,
  messageId: number,
  effects: Effects = {},
): Promise<RoomAccess> {
  const ra = await db.transaction(async (tx) => {
    const ra = await accessRoom(tx, actor, roomId);
    assertCanRunRoom(ra);
    const [removed] = await tx
      .update(chatMessages)
      .set({ removedAt: new Date(), removedBy: actor!.id })
      .where(and(eq(chatMessages.id, messageId), eq(chatMessages.roomId, roomId), isNull(chatMessages.removedAt)))
      .returning({ authorId: chatMessages.authorId });
    if (!removed) throw new NotFound();
    await audit(tx, ra, 'remove_chat_message', removed.authorId);
    return ra;
  });
  await announce(effects.bus, { type: 'chat.removed', roomId, messageId });
  return ra;
}

export type ParticipantAction = 'mute' | 'unmute' | 'remove';

const auditOf: Record<ParticipantAction, AuditAction> = {
  mute: 'mute_participant',
  unmute: 'unmute_participant',
  remove: 'remove_participant',
};

/**
 * Mutes someone in the room, lets them back (unmute: able to write, and in the room again after
 * a removal), or takes them out of it; for a meeting, for the rest of the meeting (its room
 * ends), for the group's own room until a leader lets them back. They are named as the group
 * knows them, and must have been in the room.
 */
export async function setParticipant(
  db: Db,
  actor: Actor,
  roomId: number,
  name: string,
  action: ParticipantAction,
  effects: Effects = {},
): Promise<RoomAccess> {
  const { ra, userId } = await db.transaction(async (tx) => {
    const ra = await accessRoom(tx, actor, roomId);
    assertCanRunRoom(ra);
    const userId = await findUserIdByName(tx, ra.room.groupId, name);
    if (userId === null) throw new NotFound();
    if (userId === actor!.id) throw new Forbidden('chat.errors.self');
    const now = new Date();
    const change =
      action === 'mute'
        ? { mutedAt: now }
        : action === 'remove'
          ? { removedAt: now }
          : { mutedAt: null, removedAt: null };
    const [changed] = await tx
      .update(chatParticipants)
      .set(change)
      .where(and(eq(chatParticipants.roomId, roomId), eq(chatParticipants.userId, userId)))
      .returning({ userId: chatParticipants.userId });
    if (!changed) throw new NotFound();
    await audit(tx, ra, auditOf[action], userId);
    return { ra, userId };
  });
  if (action === 'remove') await recheckLiveAccess(effects.bus, userId);
  else await announce(effects.bus, { type: 'chat.you', roomId, userId, muted: action === 'mute' });
  return ra;
}
