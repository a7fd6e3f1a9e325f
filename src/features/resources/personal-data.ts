import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { posts } from '../forum/schema.js';
import { copingStrategies, resources, resourceVotes } from './schema.js';

export interface ResourcesExport {
  /** Resources the member suggested or added, with where each stands. */
  suggested: { groupId: number; title: string; kind: string; url: string | null; status: string; createdAt: Date }[];
  /** Resources the member said helped them. */
  helped: { groupId: number; resourceId: number; title: string; createdAt: Date }[];
  /** Others' replies the member asked to save as coping strategies. */
  copingSaved: { groupId: number; postId: number; title: string; status: string; createdAt: Date }[];
  /** The member's own replies others asked to save, and the member's answer. */
  copingOfMine: { groupId: number; postId: number; title: string; status: string; decidedAt: Date | null }[];
}

/**
 * What the library keeps about a member, for their data export. Deleting the account deletes their
 * votes (the cascade); resources they suggested stay in the library, "suggested by a former member";
 * requests they made stay without their name; their own replies leave the coping strategies with
 * their posts (the collection shows only replies whose author is still there).
 */
export async function exportResourcesData(db: DbOrTx, userId: number): Promise<ResourcesExport> {
  const [suggested, helped, copingSaved, copingOfMine] = await Promise.all([
    db
      .select({
        groupId: resources.groupId,
        title: resources.title,
        kind: resources.kind,
        url: resources.url,
        status: resources.status,
        createdAt: resources.createdAt,
      })
      .from(resources)
      .where(eq(resources.authorId, userId))
      .orderBy(asc(resources.id)),
    db
      .select({
        groupId: resourceVotes.groupId,
        resourceId: resourceVotes.resourceId,
        title: resources.title,
        createdAt: resourceVotes.createdAt,
      })
      .from(resourceVotes)
      .innerJoin(resources, eq(resources.id, resourceVotes.resourceId))
      .where(eq(resourceVotes.userId, userId))
      .orderBy(asc(resourceVotes.createdAt)),
    db
      .select({
        groupId: copingStrategies.groupId,
        postId: copingStrategies.postId,
        title: copingStrategies.title,
        status: copingStrategies.status,
        createdAt: copingStrategies.createdAt,
      })
      .from(copingStrategies)
      .where(eq(copingStrategies.savedBy, userId))
      .orderBy(asc(copingStrategies.id)),
    db
      .select({
        groupId: copingStrategies.groupId,
        postId: copingStrategies.postId,
        title: copingStrategies.title,
        status: copingStrategies.status,
        decidedAt: copingStrategies.decidedAt,
      })
      .from(copingStrategies)
      .innerJoin(posts, eq(posts.id, copingStrategies.postId))
      .where(sql`${posts.authorId} = ${userId} and not ${posts.anonymous}`)
      .orderBy(asc(copingStrategies.id)),
  ]);
  return { suggested, helped, copingSaved, copingOfMine };
}

/**
 * Before an account goes: its "this helped me" votes go by cascade, and the counts they were part
 * of drop with them, so no resource keeps a vote from nobody.
 */
export async function forgetResourceVotes(db: DbOrTx, userId: number): Promise<void> {
  await db.execute(sql`
    update resources r set helped_count = greatest(r.helped_count - 1, 0)
    where r.id in (select v.resource_id from resource_votes v where v.user_id = ${userId})`);
}
