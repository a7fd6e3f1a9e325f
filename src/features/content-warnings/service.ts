import { and, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { accessPost } from '../forum/index.js';
import { canModerate, recordAudit, type Actor } from '../groups/index.js';
import { posts } from '../forum/schema.js';
import { contentWarningPreferences } from './schema.js';
import { normaliseWarning, warningTopics, type WarningTopic } from './warnings.js';

/**
 * The one path that changes a post's content warning outside its author's edit form: moderators
 * (and the author) add, change or remove (null) it. `warning` is a preset's key or label, or own
 * words. A moderator's change to someone else's post is audited.
 */
export async function setContentWarning(db: Db, actor: Actor, postId: number, warning: string | null): Promise<void> {
  const stored = normaliseWarning(warning);
  if (stored === 'tooLong') throw new Invalid({ warningOther: 'contentWarnings.errors.tooLong' });
  await db.transaction(async (tx) => {
    const { access, post } = await accessPost(tx, actor, postId);
    const author = actor !== null && post.authorId === actor.id;
    if (!author && !canModerate(access)) throw new Forbidden('contentWarnings.errors.notAllowed');
    if (post.contentWarning === stored) return;
    await tx.update(posts).set({ contentWarning: stored }).where(eq(posts.id, postId));
    if (!author) {
      await recordAudit(tx, {
        groupId: post.groupId,
        actorId: actor!.id,
        action: 'set_content_warning',
        threadId: post.threadId,
        postId,
        reason: stored,
      });
    }
  });
}

/** A member's choices: the topics they chose to see open (all others stay collapsed). */
export async function readPreferences(db: DbOrTx, actor: { id: number }): Promise<Set<WarningTopic>> {
  const rows = await db
    .select({ topic: contentWarningPreferences.topic })
    .from(contentWarningPreferences)
    .where(and(eq(contentWarningPreferences.userId, actor.id), eq(contentWarningPreferences.show, true)));
  return new Set(rows.map((r) => r.topic as WarningTopic));
}

/**
 * Saves a member's choices from their page: for each topic, 'show' (always open) or anything else
 * (always collapsed, the default).
 */
export async function savePreferences(db: Db, actor: NonNullable<Actor>, input: unknown): Promise<void> {
  const form = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const shown = warningTopics.filter((topic) => form[topic] === 'show');
  await db.transaction(async (tx) => {
    await tx
      .delete(contentWarningPreferences)
      .where(
        and(
          eq(contentWarningPreferences.userId, actor.id),
          inArray(contentWarningPreferences.topic, [...warningTopics]),
        ),
      );
    if (shown.length > 0) {
      await tx
        .insert(contentWarningPreferences)
        .values(shown.map((topic) => ({ userId: actor.id, topic, show: true })));
    }
  });
}
