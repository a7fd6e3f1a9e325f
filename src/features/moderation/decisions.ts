import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { recheckLiveAccess } from '../../platform/live/hub.js';
import { Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { setContentWarning } from '../content-warnings/index.js';
import { accessPost, changePostVisibility, deletePostAsModerator } from '../forum/index.js';
import {
  assertCanModerate,
  banAnonymousAuthor,
  recordAudit,
  removeMemberById,
  type Actor,
  type AuditAction,
  type GroupAccess,
} from '../groups/index.js';
import { notify } from '../notifications/index.js';
import { flags, type FlagOutcome } from './schema.js';
import { silenceAuthor, silenceDays } from './silences.js';

export const decisions = ['approve', 'hide', 'delete', 'warning', 'warn', 'silence', 'remove'] as const;
export type Decision = (typeof decisions)[number];

/** What the flaggers are told for each decision. */
const outcomes: Record<Decision, FlagOutcome> = {
  approve: 'approved',
  hide: 'hidden',
  delete: 'deleted',
  warning: 'content_warning',
  warn: 'warned',
  silence: 'silenced',
  remove: 'removed',
};

/** Decisions about the author rather than the post: they may hide the post as well. */
const aboutAuthor: readonly Decision[] = ['warn', 'silence', 'remove'];

const checkbox = z
  .unknown()
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);

export const decisionInput = z
  .object({
    decision: z.enum(decisions, 'moderation.errors.decision'),
    /** The message to the author (warn), or the reason (silence, remove), or a note for the log. */
    message: z.string().trim().max(1000, 'moderation.errors.messageLength').optional(),
    days: z.enum(silenceDays.map(String) as [string, ...string[]], 'moderation.errors.days').optional(),
    contentWarning: z.string().max(1000).optional(),
    alsoHide: checkbox,
    ban: checkbox,
  })
  .superRefine((d, ctx) => {
    if (aboutAuthor.includes(d.decision) && (d.message ?? '').length < 3) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: `moderation.errors.message.${d.decision}` });
    }
    if (d.decision === 'silence' && !d.days) {
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'moderation.errors.days' });
    }
  });

async function assertOpenFlags(tx: DbOrTx, postId: number): Promise<(number | null)[]> {
  const open = await tx
    .select({ flaggerId: flags.flaggerId })
    .from(flags)
    .where(and(eq(flags.postId, postId), isNull(flags.closedAt)))
    .for('update');
  if (open.length === 0) throw new Invalid({ '': 'moderation.errors.noOpenFlags' });
  return open.map((f) => f.flaggerId);
}

/**
 * A moderator decides about a flagged post: keep it up (and show it again if flags hid it), hide
 * it, delete it, change its content warning, warn its author privately, pause them from posting
 * for some days, or remove them from the group. Each decision is audited, closes the post's open
 * flags, and tells the members who flagged it what was decided, never by whom. For an anonymous
 * post every decision works without the moderator (or the audit log) learning who wrote it.
 */
export async function decideFlags(
  db: Db,
  actor: Actor,
  postId: number,
  input: unknown,
  effects: { bus?: Bus | undefined } = {},
): Promise<{ access: GroupAccess; decision: Decision }> {
  const d = parseInput(decisionInput, input);
  // Someone removed or banned: whatever they follow live in the group stops once this commits.
  let removed: number | null = null;
  if (d.decision === 'warning') {
    // The content-warnings feature changes the warning (and audits it) in its own transaction.
    await db.transaction(async (tx) => {
      const { access } = await accessPost(tx, actor, postId);
      assertCanModerate(access);
      await assertOpenFlags(tx, postId);
    });
    await setContentWarning(db, actor, postId, d.contentWarning?.trim() || null).catch((error: unknown) => {
      // Its form calls the field "warningOther"; the queue's is "contentWarning".
      if (error instanceof Invalid) throw new Invalid({ contentWarning: Object.values(error.fieldErrors)[0]! });
      throw error;
    });
  }
  const decided = await db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    assertCanModerate(access);
    const flaggers = await assertOpenFlags(tx, postId);
    const me = actor!.id;
    const now = new Date();
    const message = d.message || null;
    const audit = (action: AuditAction, reason: string | null = message) =>
      recordAudit(tx, {
        groupId: post.groupId,
        actorId: me,
        action,
        // Who wrote an anonymous post stays out of the log, which the group's leaders read.
        subjectUserId: post.anonymous ? null : post.authorId,
        threadId: thread.id,
        postId,
        reason,
      });
    const author = () => {
      if (post.authorId === null) throw new Invalid({ '': 'forum.errors.authorGone' });
      if (post.authorId === me) throw new Invalid({ '': 'moderation.errors.self' });
      return post.authorId;
    };

    switch (d.decision) {
      case 'approve':
        // Shown again only when flags hid it; a moderator's own hiding stands.
        if (post.hiddenAt && post.hiddenBy === null) await changePostVisibility(tx, post, false, null);
        await audit('dismiss_flags');
        break;
      case 'hide':
        // Hidden by the moderator now, even if flags hid it first: an upheld complaint (trust levels count those).
        if (!post.hiddenAt || post.hiddenBy === null) await changePostVisibility(tx, post, true, me);
        await audit('hide_post');
        break;
      case 'delete':
      case 'warning':
        break;
      case 'warn':
        await notify(tx, {
          userId: author(),
          kind: 'moderator_warning',
          groupId: post.groupId,
          threadId: thread.id,
          postId,
          reason: message,
        });
        await audit('warn_author');
        break;
      case 'silence':
        await silenceAuthor(tx, access, { ...post, authorId: author() }, Number(d.days), message!, now);
        await audit('silence_author', `${d.days} d: ${message}`);
        break;
      case 'remove':
        removed = author();
        if (post.anonymous) {
          // Banned by the post: their membership stays, so the member list does not give them away.
          await banAnonymousAuthor(tx, access, author(), postId, message!);
        } else {
          await removeMemberById(tx, access, author(), message!, d.ban);
          await audit('remove_author', d.ban ? `ban: ${message}` : message);
        }
        break;
    }
    if (aboutAuthor.includes(d.decision) && d.alsoHide && (!post.hiddenAt || post.hiddenBy === null)) {
      await changePostVisibility(tx, post, true, me);
      await audit('hide_post');
    }

    const outcome = outcomes[d.decision];
    await tx
      .update(flags)
      .set({ closedAt: now, closedBy: me, outcome })
      .where(and(eq(flags.postId, postId), isNull(flags.closedAt)));
    const told = new Set(flaggers.filter((id): id is number => id !== null && id !== me));
    for (const userId of told) {
      await notify(tx, {
        userId,
        kind: 'flag_outcome',
        groupId: post.groupId,
        threadId: thread.id,
        postId,
        // What was decided (a flag_outcome notification's "reason" is the outcome), never by whom.
        reason: outcome,
      });
    }
    if (d.decision === 'delete') {
      await deletePostAsModerator(tx, post);
      await audit('delete_post');
    }
    return { access, decision: d.decision };
  });
  if (removed !== null) await recheckLiveAccess(effects.bus, removed);
  return decided;
}

/**
 * A pending post a leader has approved or rejected has been looked at: its automatic flags (the
 * watched words that held it) are closed with it, so it does not come back to the queue.
 */
export async function closeFlagsOnReview(
  tx: DbOrTx,
  postId: number,
  actorId: number,
  approved: boolean,
): Promise<void> {
  await tx
    .update(flags)
    .set({ closedAt: new Date(), closedBy: actorId, outcome: approved ? 'approved' : 'hidden' })
    .where(and(eq(flags.postId, postId), isNull(flags.closedAt)));
}
