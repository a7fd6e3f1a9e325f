import { and, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { accessPost, changePostVisibility, readPost } from '../forum/index.js';
import { assertCanTakePart, canModerate, recordAudit, type Actor } from '../groups/index.js';
import { mailNewCrisisAlerts, raiseCrisisAlert, type AfterWrite } from '../safety/index.js';
import { trustLevelOf } from '../trust/index.js';
import { alertModerators } from './alerts.js';
import { flags } from './schema.js';

/** The reasons a member can give; 'watched_word' is only ever raised automatically. */
export const memberFlagReasons = ['harmful', 'unsafe_advice', 'spam', 'harassment', 'danger', 'other'] as const;
export type MemberFlagReason = (typeof memberFlagReasons)[number];

/** Flags from members at this trust level or above count towards hiding a post. */
export const TRUSTED_LEVEL = 1;

export const flagInput = z
  .object({
    reason: z.enum(memberFlagReasons, 'moderation.errors.reason'),
    note: z.string().trim().max(500, 'moderation.errors.noteLength').optional(),
  })
  .refine((f) => f.reason !== 'other' || (f.note ?? '').length >= 3, {
    path: ['note'],
    message: 'moderation.errors.noteRequired',
  });

/**
 * For the forum's post query: whether the viewer has an open flag on the post (`posts.id`), so the
 * thread page says "Flagged" without a round trip of its own.
 */
export function flaggedByViewerSql(viewerId: number): SQL<boolean> {
  return sql<boolean>`exists (select 1 from flags f where f.post_id = posts.id and f.flagger_id = ${viewerId}
    and f.closed_at is null)`;
}

/**
 * Who may flag a post: whoever can read it and take part in its group, never on their own post,
 * and only while it is up for members to see.
 */
function assertMayFlag(
  access: Parameters<typeof assertCanTakePart>[0],
  post: { status: string; hiddenAt: Date | null },
  mine: boolean,
) {
  assertCanTakePart(access);
  if (mine) throw new Forbidden('moderation.errors.ownPost');
  if (post.status !== 'published' || post.hiddenAt) throw new Forbidden('moderation.errors.notFlaggable');
}

/** The flag page: the post as its reader sees it, and whether they have flagged it already. */
export async function readPostToFlag(db: Db, actor: Actor, postId: number) {
  const found = await readPost(db, actor, postId);
  assertMayFlag(found.access, found.view.post, found.view.mine);
  return found;
}

export interface Flagged {
  groupSlug: string;
  threadId: number;
  postId: number;
  /** The flag hid the post from members (a moderator's flag, or the group's threshold reached). */
  hidden: boolean;
}

/**
 * A member flags a post. The flag goes to the group's review queue; a moderator's flag hides the
 * post at once, and so do flags from enough trusted members (the group's threshold). "Someone may
 * be in danger" raises a crisis alert for the group's leaders instead, and never hides the post.
 * The author is never told who flagged.
 */
export async function flagPost(
  db: Db,
  actor: Actor,
  postId: number,
  input: unknown,
  effects: AfterWrite = {},
): Promise<Flagged> {
  const data = parseInput(flagInput, input);
  const flagged = await db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    assertMayFlag(access, post, actor !== null && post.authorId === actor.id);
    const moderator = canModerate(access);
    // Someone who may be in danger is looked after, never silenced: such a flag alerts the group's
    // leaders and never hides the post.
    const mayHide = data.reason !== 'danger';
    const trusted = mayHide && (moderator || (await trustLevelOf(tx, actor!.id)) >= TRUSTED_LEVEL);
    const inserted = await tx
      .insert(flags)
      .values({
        groupId: post.groupId,
        postId,
        threadId: thread.id,
        flaggerId: actor!.id,
        reason: data.reason,
        note: data.note || null,
        counts: trusted,
      })
      .onConflictDoNothing()
      .returning({ id: flags.id });
    if (inserted.length === 0) throw new Invalid({ '': 'moderation.errors.alreadyFlagged' });
    await alertModerators(tx, post.groupId, actor!.id);
    const counted = trusted && !moderator ? await countingFlags(tx, postId) : 0;
    const hidden = mayHide && (moderator || (trusted && counted >= access.group.flagHideThreshold));
    if (hidden) {
      // hiddenBy stays empty: the flags hid it, so a moderator approving the post shows it again.
      await changePostVisibility(tx, post, true, null);
      await recordAudit(tx, {
        groupId: post.groupId,
        // A moderator's flag is their act; members' flags are nobody's in particular.
        actorId: moderator ? actor!.id : null,
        action: moderator ? 'hide_post' : 'auto_hide_post',
        // Who wrote an anonymous post stays out of the log, which the group's leaders read.
        subjectUserId: post.anonymous ? null : post.authorId,
        threadId: thread.id,
        postId,
        reason: moderator ? `flag: ${data.reason}` : `${counted} flags`,
      });
    }
    if (data.reason === 'danger') {
      await raiseCrisisAlert(tx, access, post, { atRisk: true, categories: ['danger'], language: null }, 'flag');
    }
    return { groupSlug: access.group.slug, threadId: thread.id, postId, hidden };
  });
  // The leaders' email about a danger flag goes once the flag is committed.
  if (data.reason === 'danger') await mailNewCrisisAlerts(db, effects);
  return flagged;
}

async function countingFlags(tx: DbOrTx, postId: number): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(flags)
    .where(and(eq(flags.postId, postId), isNull(flags.closedAt), eq(flags.counts, true)));
  return row?.n ?? 0;
}

/**
 * Puts a just-written post in the review queue for reasons found automatically (watched words):
 * one open automatic flag per post, its note saying what was found. It never hides the post.
 */
export async function raiseAutomaticFlags(
  tx: DbOrTx,
  post: { id: number; groupId: number; threadId: number },
  reasons: string[],
): Promise<void> {
  if (reasons.length === 0) return;
  const found = [...new Set(reasons.filter((r) => r !== 'watched_word'))];
  await tx
    .insert(flags)
    .values({
      groupId: post.groupId,
      postId: post.id,
      threadId: post.threadId,
      automatic: true,
      reason: 'watched_word',
      note: found.length ? found.join(', ').slice(0, 500) : null,
    })
    .onConflictDoNothing();
}
