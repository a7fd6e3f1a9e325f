import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { meetingOccurrences } from './schema.js';

/**
 * A facilitator ended an online meeting from its live room (src/features/chat): the occurrence
 * says so, so its room stays read-only and its page shows the meeting as over. Inside the chat
 * feature's transaction, which has checked who may.
 */
export async function markLiveEnded(tx: DbOrTx, occurrenceId: number, at: Date): Promise<void> {
  await tx
    .update(meetingOccurrences)
    .set({ liveEndedAt: at })
    .where(and(eq(meetingOccurrences.id, occurrenceId), isNull(meetingOccurrences.liveEndedAt)));
}
