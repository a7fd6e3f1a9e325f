import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import {
  conversationMembers,
  conversationReports,
  conversations,
  messageSettings,
  privateMessages,
  type MessagePolicy,
} from './schema.js';

/** What private messages keep about a member, for their data export. */
export interface MessagesExport {
  /** Who may start a conversation with them; null when they never chose (members of their groups). */
  whoMayMessage: MessagePolicy | null;
  /** The conversations they are in, were asked to, declined or left. */
  conversations: { conversationId: number; groupId: number; status: string; joinedAt: Date }[];
  /** What they wrote. Other people's messages are theirs, and stay out of this archive. */
  messages: {
    conversationId: number;
    groupId: number;
    body: string;
    createdAt: Date;
    removedByModerator: boolean;
  }[];
  /** Conversations they reported, and what the site's moderators decided. */
  reports: { conversationId: number; reason: string; createdAt: Date; outcome: string | null }[];
}

export async function exportMessageData(db: DbOrTx, userId: number): Promise<MessagesExport> {
  const [settings, memberOf, written, reported] = await Promise.all([
    db.select({ who: messageSettings.whoMayMessage }).from(messageSettings).where(eq(messageSettings.userId, userId)),
    db
      .select({
        conversationId: conversationMembers.conversationId,
        groupId: sql<number>`coalesce(${conversations.groupId}, 0)`,
        status: conversationMembers.status,
        joinedAt: conversationMembers.joinedAt,
      })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .where(eq(conversationMembers.userId, userId))
      .orderBy(asc(conversationMembers.joinedAt)),
    db
      .select({
        conversationId: privateMessages.conversationId,
        groupId: sql<number>`coalesce(${conversations.groupId}, 0)`,
        body: privateMessages.body,
        createdAt: privateMessages.createdAt,
        removedByModerator: sql<boolean>`${privateMessages.removedAt} is not null`,
      })
      .from(privateMessages)
      .innerJoin(conversations, eq(conversations.id, privateMessages.conversationId))
      .where(eq(privateMessages.authorId, userId))
      .orderBy(asc(privateMessages.id)),
    db
      .select({
        conversationId: conversationReports.conversationId,
        reason: conversationReports.reason,
        createdAt: conversationReports.createdAt,
        outcome: conversationReports.outcome,
      })
      .from(conversationReports)
      .where(eq(conversationReports.reporterId, userId))
      .orderBy(asc(conversationReports.createdAt)),
  ]);
  return {
    whoMayMessage: settings[0]?.who ?? null,
    conversations: memberOf.map((c) => ({ ...c, groupId: Number(c.groupId) })),
    messages: written.map((m) => ({ ...m, groupId: Number(m.groupId) })),
    reports: reported,
  };
}

/**
 * Deleting an account, as the forum does with posts: when the member asked for what they wrote to
 * be erased, their messages go (rows and all, and with them any report's hold on them); when they
 * asked to keep it, their messages stay in the others' conversations under "Deleted member" (the
 * account's deletion sets their author to none). Either way they leave every conversation, their
 * settings go, and a conversation nobody is left in goes too.
 */
export async function eraseMessageData(tx: DbOrTx, userId: number, erase: boolean): Promise<void> {
  if (erase) await tx.delete(privateMessages).where(eq(privateMessages.authorId, userId));
  const left = await tx
    .delete(conversationMembers)
    .where(eq(conversationMembers.userId, userId))
    .returning({ conversationId: conversationMembers.conversationId });
  await tx.delete(messageSettings).where(eq(messageSettings.userId, userId));
  const touched = [...new Set(left.map((l) => l.conversationId))];
  if (touched.length === 0) return;
  await tx
    .delete(conversations)
    .where(
      and(
        inArray(conversations.id, touched),
        sql`not exists (select 1 from conversation_members m where m.conversation_id = ${conversations.id})`,
      ),
    );
}
