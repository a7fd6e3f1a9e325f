import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { recheckLiveAccess } from '../../platform/live/hub.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { pseudonymSql } from '../accounts/index.js';
import {
  assertCanModerate,
  assertCanRevealAuthor,
  banAnonymousAuthor,
  canPostAnonymously,
  canRevealAuthor,
  memberNameSql,
  recordAudit,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { notify } from '../notifications/index.js';
import { posts, threads, type Post, type Thread } from './schema.js';
import { accessPost, readPost, type PostView } from './service.js';

/*
 * Anonymous posts. The author is stored (to edit their own post, for slow mode, to ban a repeat
 * abuser, and for a reveal) but never shown: the forum's queries name nobody for an anonymous post,
 * and its views label it "Anonymous 2", the author's place among the thread's anonymous authors.
 * Only a reveal, by a site administrator or (where the group said so before the post was written)
 * one of its facilitators, uncovers the author: with a written reason, in the audit log, and with
 * the author told.
 */

/** "Post anonymously": a checkbox, sent as "on" when ticked and not at all otherwise. */
export const anonymousInput = z
  .unknown()
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);

/** How an anonymous post may be revealed, as the compose form tells the author before they post. */
export interface AnonymityOption {
  facilitatorsReveal: boolean;
}

/** Whether this person may post anonymously here, and on what terms; null when they may not. */
export function anonymityOf(access: GroupAccess): AnonymityOption | null {
  return canPostAnonymously(access) ? { facilitatorsReveal: access.group.facilitatorsReveal } : null;
}

type AnonymousFields = Pick<Post, 'anonymous' | 'anonymousNumber' | 'facilitatorsMayReveal'>;

/**
 * The anonymity of a new post (`threadId` null for a thread's opening post). The number is the
 * author's own if they posted anonymously in the thread before, or the next one; the thread's row
 * is locked meanwhile so that two new anonymous authors never get the same number.
 */
export async function anonymousFields(
  tx: DbOrTx,
  access: GroupAccess,
  wanted: boolean,
  threadId: number | null,
): Promise<AnonymousFields> {
  if (!wanted) return { anonymous: false, anonymousNumber: null, facilitatorsMayReveal: false };
  if (!canPostAnonymously(access)) throw new Invalid({ '': 'forum.errors.anonymousOff' });
  const facilitatorsMayReveal = access.group.facilitatorsReveal;
  if (threadId === null) return { anonymous: true, anonymousNumber: 1, facilitatorsMayReveal };
  await tx.select({ id: threads.id }).from(threads).where(eq(threads.id, threadId)).for('update');
  // Both drivers answer a raw statement with { rows }.
  const result = (await tx.execute(sql`select coalesce(
      (select p.anonymous_number from posts p where p.thread_id = ${threadId}
        and p.author_id = ${access.actor!.id} and p.anonymous_number is not null limit 1),
      (select coalesce(max(p.anonymous_number), 0) + 1 from posts p where p.thread_id = ${threadId})) as number`)) as unknown as {
    rows: { number: number | string }[];
  };
  return { anonymous: true, anonymousNumber: Number(result.rows[0]!.number), facilitatorsMayReveal };
}

/** An anonymous post, for the pages that reveal its author or ban them: NotFound for any other post. */
async function readAnonymousPost(
  db: Db,
  actor: Actor,
  postId: number,
): Promise<{ access: GroupAccess; thread: Thread; view: PostView }> {
  const found = await readPost(db, actor, postId);
  if (!found.view.post.anonymous) throw new NotFound();
  return found;
}

/** The reveal form: for those who may reveal this post's author. */
export async function readPostToReveal(db: Db, actor: Actor, postId: number) {
  const found = await readAnonymousPost(db, actor, postId);
  assertCanRevealAuthor(found.access, found.view.post.facilitatorsMayReveal);
  return found;
}

/** The ban form: for the group's moderators. */
export async function readPostToBanAuthor(db: Db, actor: Actor, postId: number) {
  const found = await readAnonymousPost(db, actor, postId);
  assertCanModerate(found.access);
  return found;
}

const revealInput = z.object({
  reason: z.string().trim().min(10, 'forum.errors.revealReason').max(2000, 'forum.errors.reasonLength'),
});

export interface Revealed {
  access: GroupAccess;
  thread: Thread;
  post: Post;
  /** The author's name in the group, or null when they have deleted their account. */
  name: string | null;
  /** Their site-wide pseudonym: for site administrators only (a facilitator learns the group's name). */
  pseudonym: string | null;
}

/**
 * Uncovers who wrote an anonymous post, for a written reason: recorded in the group's audit log,
 * and the author is told on their notifications page.
 */
export async function revealAuthor(db: Db, actor: Actor, postId: number, input: unknown): Promise<Revealed> {
  const { reason } = parseInput(revealInput, input);
  return db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    if (!post.anonymous) throw new NotFound();
    assertCanRevealAuthor(access, post.facilitatorsMayReveal);
    const asAdmin = canRevealAuthor(access, false);
    await recordAudit(tx, {
      groupId: post.groupId,
      actorId: actor!.id,
      action: 'reveal_author',
      threadId: thread.id,
      postId,
      reason,
    });
    if (post.authorId === null) return { access, thread, post, name: null, pseudonym: null };
    const [who] = await tx
      .select({
        name: memberNameSql(post.groupId, post.authorId),
        pseudonym: pseudonymSql(sql`${post.authorId}`),
      })
      .from(posts)
      .where(eq(posts.id, postId));
    await notify(tx, {
      userId: post.authorId,
      kind: 'author_revealed',
      groupId: post.groupId,
      threadId: thread.id,
      postId,
      actorRole: asAdmin ? 'siteAdmin' : 'facilitator',
      reason,
    });
    return { access, thread, post, name: who?.name ?? null, pseudonym: asAdmin ? (who?.pseudonym ?? null) : null };
  });
}

const banInput = z.object({
  reason: z.string().trim().min(3, 'groups.errors.reasonRequired').max(1000, 'groups.errors.reasonLength'),
});

/**
 * Moderators ban the author of an anonymous post without learning who they are (the groups
 * feature keeps the ban under the post, not a name).
 */
export async function banAuthor(
  db: Db,
  actor: Actor,
  postId: number,
  input: unknown,
  effects: { bus?: Bus | undefined } = {},
): Promise<{ access: GroupAccess; thread: Thread }> {
  const { reason } = parseInput(banInput, input);
  const { banned, ...found } = await db.transaction(async (tx) => {
    const { access, thread, post } = await accessPost(tx, actor, postId);
    if (!post.anonymous) throw new NotFound();
    assertCanModerate(access);
    if (post.authorId === null) throw new Invalid({ '': 'forum.errors.authorGone' });
    await banAnonymousAuthor(tx, access, post.authorId, postId, reason);
    return { access, thread, banned: post.authorId };
  });
  // Whatever they follow live in the group (a chat room) stops at once.
  await recheckLiveAccess(effects.bus, banned);
  return found;
}
