import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberNameSql } from '../groups/index.js';
import { memberBadges, thanks, type Badge } from './schema.js';

export interface SupportExport {
  /**
   * Thank-you notes the member sent, with the name of the person thanked as the group shows them;
   * null for the author of an anonymous reply, whom the sender was never told.
   */
  thanksSent: { groupId: number; postId: number; to: string | null; message: string; createdAt: Date }[];
  /** Notes the member received, with the sender's name in the group. */
  thanksReceived: { groupId: number; postId: number; from: string | null; message: string; createdAt: Date }[];
  /** Badges earned, and whether the member chose to show each. */
  badges: { badge: Badge; shown: boolean; earnedAt: Date }[];
}

/**
 * What recognition keeps about a member, for their data export. Deleting the account deletes it
 * all: thanks and badges cascade from the account (either side of a note) and from the post.
 */
export async function exportSupportData(db: DbOrTx, userId: number): Promise<SupportExport> {
  const [sent, received, badges] = await Promise.all([
    db
      .select({
        groupId: thanks.groupId,
        postId: thanks.postId,
        to: sql<string | null>`case when exists (select 1 from posts p where p.id = ${thanks.postId} and p.anonymous)
          then null else ${memberNameSql(sql.raw('thanks.group_id'), sql.raw('thanks.to_user_id'))} end`,
        message: thanks.message,
        createdAt: thanks.createdAt,
      })
      .from(thanks)
      .where(eq(thanks.fromUserId, userId))
      .orderBy(asc(thanks.createdAt)),
    db
      .select({
        groupId: thanks.groupId,
        postId: thanks.postId,
        from: memberNameSql(sql.raw('thanks.group_id'), sql.raw('thanks.from_user_id')),
        message: thanks.message,
        createdAt: thanks.createdAt,
      })
      .from(thanks)
      .where(eq(thanks.toUserId, userId))
      .orderBy(asc(thanks.createdAt)),
    db
      .select({ badge: memberBadges.badge, shown: memberBadges.shown, earnedAt: memberBadges.earnedAt })
      .from(memberBadges)
      .where(eq(memberBadges.userId, userId))
      .orderBy(asc(memberBadges.earnedAt)),
  ]);
  return { thanksSent: sent, thanksReceived: received, badges };
}
