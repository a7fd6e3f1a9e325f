import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { chatMessages, chatParticipants, chatRooms } from './schema.js';

/** What a member said in live rooms, and the rooms they were in, for their data export and for deleting their account. */

export interface ChatExport {
  messages: {
    groupId: number;
    /** A meeting's room (its occurrence), or null for the group's own chat room. */
    meetingOccurrenceId: number | null;
    body: string;
    createdAt: Date;
    /** A facilitator removed it from the room. */
    removedAt: Date | null;
  }[];
  rooms: {
    groupId: number;
    meetingOccurrenceId: number | null;
    lastSeenAt: Date | null;
    mutedAt: Date | null;
    removedAt: Date | null;
  }[];
}

export async function exportChatData(db: DbOrTx, userId: number): Promise<ChatExport> {
  const [messages, rooms] = await Promise.all([
    db
      .select({
        groupId: chatMessages.groupId,
        meetingOccurrenceId: chatRooms.occurrenceId,
        body: chatMessages.body,
        createdAt: chatMessages.createdAt,
        removedAt: chatMessages.removedAt,
      })
      .from(chatMessages)
      .innerJoin(chatRooms, eq(chatRooms.id, chatMessages.roomId))
      .where(eq(chatMessages.authorId, userId))
      .orderBy(asc(chatMessages.id)),
    db
      .select({
        groupId: chatParticipants.groupId,
        meetingOccurrenceId: chatRooms.occurrenceId,
        lastSeenAt: chatParticipants.lastSeenAt,
        mutedAt: chatParticipants.mutedAt,
        removedAt: chatParticipants.removedAt,
      })
      .from(chatParticipants)
      .innerJoin(chatRooms, eq(chatRooms.id, chatParticipants.roomId))
      .where(eq(chatParticipants.userId, userId))
      .orderBy(asc(chatParticipants.roomId)),
  ]);
  return { messages, rooms };
}

/**
 * Deleting an account, as the forum does with posts: when the member asks for their words to be
 * erased, their messages go (the rows); otherwise they stay under "Deleted member" (the account
 * goes, and the messages' author with it). Either way the rooms forget them: where they were, and
 * any facilitator's mute.
 */
export async function eraseChatData(tx: DbOrTx, userId: number, erase: boolean): Promise<void> {
  if (erase) await tx.delete(chatMessages).where(eq(chatMessages.authorId, userId));
  await tx.delete(chatParticipants).where(eq(chatParticipants.userId, userId));
}
