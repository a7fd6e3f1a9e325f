import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { campaigns, campaignSignatures } from './schema.js';

export interface CampaignExport {
  /** The campaigns the member signed, and whether with their name. */
  signatures: { groupId: number; campaign: string; address: string; public: boolean; signedAt: Date }[];
}

/** What campaigns keep about a member, for their data export: their signatures, public or not. */
export async function exportCampaignData(db: DbOrTx, userId: number): Promise<CampaignExport> {
  const signatures = await db
    .select({
      groupId: campaignSignatures.groupId,
      campaign: campaigns.title,
      address: sql<string>`'/campaigns/' || ${campaigns.slug}`,
      public: campaignSignatures.public,
      signedAt: campaignSignatures.createdAt,
    })
    .from(campaignSignatures)
    .innerJoin(campaigns, eq(campaigns.id, campaignSignatures.campaignId))
    .where(eq(campaignSignatures.userId, userId))
    .orderBy(asc(campaignSignatures.createdAt));
  return { signatures };
}

/**
 * Takes a departing member's signatures off every campaign, counts included, in the caller's
 * transaction (deleting the account would remove the rows by cascade, but not lower the counts).
 */
export async function forgetCampaignSignatures(tx: DbOrTx, userId: number): Promise<void> {
  await tx.execute(sql`update campaigns set signature_count = greatest(signature_count - 1, 0)
    where id in (select s.campaign_id from campaign_signatures s where s.user_id = ${userId})`);
  await tx.delete(campaignSignatures).where(eq(campaignSignatures.userId, userId));
}
