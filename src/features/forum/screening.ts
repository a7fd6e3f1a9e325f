import type { DbOrTx } from '../../platform/db/client.js';
import type { PostingLimits } from '../../platform/deps.js';
import type { Actor, GroupAccess } from '../groups/index.js';
import { assertMayReplyTo } from '../blocking/index.js';
import { alertModerators, assertNotSilenced, raiseAutomaticFlags } from '../moderation/index.js';
import { detectRisk, raiseCrisisAlert, type RiskResult } from '../safety/index.js';
import { assertMayPost } from '../trust/index.js';
import { screenWatchedWords } from '../watched-words/index.js';
import type { Post, Thread } from './schema.js';

/** What a post's words and its author's standing decided before it was written. */
export interface Screening {
  /** The post waits for a leader's approval (a watched word, or a new member's first post). */
  needsApproval: boolean;
  /** Reasons the post goes to the review queue as soon as it is written (watched words). */
  automaticFlags: string[];
  /** Crisis language found in it: the post still stands, and help is put in front of its author. */
  risk: RiskResult;
}

export interface ScreenedText {
  kind: 'thread' | 'reply' | 'edit';
  title?: string | undefined;
  body: string;
  /** The thread replied to (for replies and edits). */
  thread?: Thread | undefined;
  /** Photos and files attached: each counts as a picture does in the words. */
  attachments?: number | undefined;
}

/**
 * Every post passes here before it is written, in this order: may this person post now (silenced,
 * blocked, trust-level limits, duplicates), what its words ask for (watched words), and whether it
 * reads as someone in crisis. Throws a readable error when the post cannot be made.
 */
export async function screenPost(
  tx: DbOrTx,
  access: GroupAccess,
  actor: NonNullable<Actor>,
  text: ScreenedText,
  now: Date,
  /** What the author may post by trust level; production's when absent. */
  limits?: PostingLimits,
): Promise<Screening> {
  await assertNotSilenced(tx, access, now);
  if (text.thread && text.kind === 'reply') await assertMayReplyTo(tx, access, actor, text.thread);
  const standing = await assertMayPost(tx, access, actor, text, now, limits);
  const words = await screenWatchedWords(tx, [text.title ?? '', text.body].join('\n'));
  const risk = detectRisk([text.title ?? '', text.body].join('\n'));
  return {
    needsApproval: standing.needsApproval || words.needsApproval,
    automaticFlags: words.flags,
    risk,
  };
}

/** After the post is written, in the same transaction: flags for the review queue, crisis alerts. */
export async function afterPostWritten(
  tx: DbOrTx,
  access: GroupAccess,
  post: Post,
  screening: Screening,
): Promise<{ crisisAlertId: number | null }> {
  await raiseAutomaticFlags(tx, post, screening.automaticFlags);
  // Held for approval, or flagged by its words: the group's leaders are told it waits for them.
  if (post.status === 'pending' || screening.automaticFlags.length > 0) {
    await alertModerators(tx, post.groupId, post.authorId);
  }
  const crisisAlertId = screening.risk.atRisk ? await raiseCrisisAlert(tx, access, post, screening.risk) : null;
  return { crisisAlertId };
}
