import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { supportSettings } from './schema.js';

export interface PromptsExport {
  /** Whether the member wants suggestions of discussions to answer; null when never changed (on). */
  replyPrompts: boolean | null;
}

/**
 * What "Needs a reply" keeps about a member, for their data export: only their choice about the
 * suggestions. It goes with the account (foreign key cascade). The note that a discussion had
 * its day-without-a-reply notice names only the discussion, and the notice itself is the member's
 * notification.
 */
export async function exportPromptsData(db: DbOrTx, userId: number): Promise<PromptsExport> {
  const [row] = await db
    .select({ replyPrompts: supportSettings.replyPrompts })
    .from(supportSettings)
    .where(eq(supportSettings.userId, userId));
  return { replyPrompts: row?.replyPrompts ?? null };
}
