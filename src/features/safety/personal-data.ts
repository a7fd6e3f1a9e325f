import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { crisisAlerts } from './schema.js';

/**
 * What a member's data archive holds from the safety feature: the crisis alerts raised on their
 * posts, with what the group's leaders recorded. (Their country for help lines is an account setting.)
 */
export interface SafetyExport {
  crisisAlerts: {
    groupId: number;
    postId: number | null;
    categories: string;
    createdAt: Date;
    checkInRequestedAt: Date | null;
    checkedInAt: Date | null;
    resolvedAt: Date | null;
    resolutionNote: string | null;
  }[];
}

export async function exportSafetyData(db: DbOrTx, userId: number): Promise<SafetyExport> {
  const alerts = await db
    .select({
      groupId: crisisAlerts.groupId,
      postId: crisisAlerts.postId,
      categories: crisisAlerts.categories,
      createdAt: crisisAlerts.createdAt,
      checkInRequestedAt: crisisAlerts.checkInRequestedAt,
      checkedInAt: crisisAlerts.checkedInAt,
      resolvedAt: crisisAlerts.resolvedAt,
      resolutionNote: crisisAlerts.resolutionNote,
    })
    .from(crisisAlerts)
    .where(eq(crisisAlerts.authorId, userId))
    .orderBy(asc(crisisAlerts.createdAt));
  return { crisisAlerts: alerts };
}
