import type { DbOrTx } from '../../platform/db/client.js';
import { groupLeaderIds } from '../groups/index.js';
import { createNotifications } from '../notifications/index.js';

/**
 * Tells a group's leaders (owners, moderators, facilitators) that something waits for them in the
 * review queue: a flagged post, or a post held for approval. One unread notification per leader
 * and group, whose count grows with each new thing (batch key), so a busy day is one line on the
 * bell, not fifty. Never the one who caused it (a leader's own flag). Call it in the transaction
 * that wrote the flag or the post. It names no post and no author: the queue shows them, to those
 * who may see them.
 */
export async function alertModerators(tx: DbOrTx, groupId: number, exceptUserId: number | null): Promise<void> {
  const leaders = (await groupLeaderIds(tx, groupId)).filter((id) => id !== exceptUserId);
  await createNotifications(
    tx,
    leaders.map((userId) => ({
      userId,
      kind: 'moderator_alert' as const,
      groupId,
      batchKey: `moderation:group:${groupId}`,
    })),
  );
}
