import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import type { NewNotification, NotificationSource } from '../notifications/index.js';

/*
 * Who is told of private messages, by the notification job (notifications/pipeline.ts), from the
 * events sendMessage and startConversation send once they commit. A notification keeps ids only;
 * the names it shows are read when the page is shown (notifications/reading.ts).
 */

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A new message: everyone else taking part in the conversation, one unread notification per conversation. */
export const messageSent: NotificationSource<{ messageId: number }> = {
  type: 'message.sent',
  event: z.object({ messageId: id }),
  async recipients(tx: DbOrTx, event): Promise<NewNotification[]> {
    const result = (await tx.execute(sql`
      select cm.user_id as "userId", c.group_id as "groupId", c.id as "conversationId"
      from private_messages pm
      join conversations c on c.id = pm.conversation_id
      join conversation_members cm on cm.conversation_id = c.id
      where pm.id = ${event.messageId} and pm.removed_at is null and pm.author_id is not null
        and cm.status = 'active' and cm.user_id <> pm.author_id
        -- Someone a block keeps apart from the author in the group never sees their messages.
        and not exists (select 1 from blocks b where b.group_id = c.group_id
          and ((b.blocker_id = cm.user_id and b.blocked_id = pm.author_id)
            or (b.blocker_id = pm.author_id and b.blocked_id = cm.user_id)))`)) as unknown as {
      rows: { userId: number | string; groupId: number | string | null; conversationId: number | string }[];
    };
    return result.rows.map((r) => ({
      userId: Number(r.userId),
      kind: 'private_message',
      groupId: r.groupId === null ? null : Number(r.groupId),
      conversationId: Number(r.conversationId),
      // Several messages before the person looks are one notification ("3 new messages").
      batchKey: `conversation:${Number(r.conversationId)}`,
    }));
  },
};

/** A message request: the person asked, once, while the request still waits for them. */
export const messageRequested: NotificationSource<{ conversationId: number; userId: number }> = {
  type: 'message.requested',
  event: z.object({ conversationId: id, userId: id }),
  async recipients(tx: DbOrTx, event): Promise<NewNotification[]> {
    const result = (await tx.execute(sql`
      select c.group_id as "groupId" from conversations c
      join conversation_members cm on cm.conversation_id = c.id
      where c.id = ${event.conversationId} and cm.user_id = ${event.userId} and cm.status = 'requested'`)) as unknown as {
      rows: { groupId: number | string | null }[];
    };
    const row = result.rows[0];
    if (!row) return [];
    return [
      {
        userId: event.userId,
        kind: 'message_request',
        groupId: row.groupId === null ? null : Number(row.groupId),
        conversationId: event.conversationId,
        // A retried job, or the same request told twice, stays one notification while unread.
        batchKey: `message-request:${event.conversationId}`,
      },
    ];
  },
};

/** The sources to list in main.ts and the test world: `defineNotificationJobs(jobs, ctx, [...])`. */
export const messageNotificationSources = [messageSent, messageRequested] as NotificationSource<unknown>[];
