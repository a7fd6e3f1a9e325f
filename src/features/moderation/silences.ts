import { and, asc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import {
  accessGroup,
  assertCanModerate,
  memberNameSql,
  recordAudit,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { notify } from '../notifications/index.js';
import { silences } from './schema.js';

/** How long a moderator may pause someone from posting, in days. */
export const silenceDays = [1, 3, 7, 30] as const;

/**
 * For the groups feature's access query, so that knowing whether someone is paused costs no round
 * trip of its own: when the person's pause from posting in the group ends, or null.
 */
export function silencedUntilSql(groupId: SQL, userId: number): SQL<string | Date | null> {
  return sql`(select max(s.ends_at) from silences s where s.group_id = ${groupId} and s.user_id = ${userId}
    and s.lifted_at is null and s.ends_at > now())`;
}

/**
 * Throws a readable Forbidden, saying until when, while the person is paused from posting in the
 * group. The pause comes with the group's access (`silencedUntil`), loaded in the same transaction.
 */
export async function assertNotSilenced(tx: DbOrTx, access: GroupAccess, now: Date): Promise<void> {
  void tx;
  const until = access.silencedUntil;
  if (until && until.getTime() > now.getTime()) {
    throw new Forbidden('moderation.silence.refused', undefined, { until });
  }
}

/**
 * Pauses a post's author from posting in its group for some days, inside a moderator's decision.
 * For an anonymous post the pause is kept under the post, and the moderator never learns who it is.
 */
export async function silenceAuthor(
  tx: DbOrTx,
  access: GroupAccess,
  post: { id: number; threadId: number; authorId: number; anonymous: boolean },
  days: number,
  reason: string,
  now: Date,
): Promise<void> {
  assertCanModerate(access);
  await tx.insert(silences).values({
    groupId: access.group.id,
    userId: post.authorId,
    postId: post.id,
    anonymous: post.anonymous,
    reason,
    endsAt: new Date(now.getTime() + days * 24 * 3600 * 1000),
    createdBy: access.actor!.id,
    createdAt: now,
  });
  await notify(tx, {
    userId: post.authorId,
    kind: 'silenced',
    groupId: access.group.id,
    threadId: post.threadId,
    postId: post.id,
    reason,
  });
}

/**
 * Pauses a member from posting in a group for some days, for something that is not one of the
 * group's posts: a private message in one of its conversations that a site moderator looked at
 * (src/features/messages). No post is named; the member is told the reason; the group's log
 * keeps it, as it keeps any pause, so the group's leaders know why someone cannot post.
 */
export async function silenceMember(
  tx: DbOrTx,
  access: GroupAccess,
  userId: number,
  days: number,
  reason: string,
  now: Date,
): Promise<void> {
  assertCanModerate(access);
  await tx.insert(silences).values({
    groupId: access.group.id,
    userId,
    reason,
    endsAt: new Date(now.getTime() + days * 24 * 3600 * 1000),
    createdBy: access.actor!.id,
    createdAt: now,
  });
  await notify(tx, { userId, kind: 'silenced', groupId: access.group.id, reason });
  await recordAudit(tx, {
    groupId: access.group.id,
    actorId: access.actor!.id,
    action: 'silence_author',
    subjectUserId: userId,
    reason: `${days} d: ${reason}`,
  });
}

export interface SilenceRow {
  id: number;
  /** The person's name in the group; null for the author of an anonymous post, who stays unnamed. */
  name: string | null;
  /** The post it was decided on, and its thread (null once the thread is gone). */
  postId: number | null;
  threadId: number | null;
  reason: string;
  endsAt: Date;
}

/** The pauses in force in a group, soonest to end first: for its moderators. */
export async function activeSilences(db: Db, access: GroupAccess, now = new Date()): Promise<SilenceRow[]> {
  assertCanModerate(access);
  const group = sql.raw('silences.group_id');
  const rows = await db
    .select({
      id: silences.id,
      name: sql<string | null>`case when silences.anonymous then null
        else ${memberNameSql(group, sql.raw('silences.user_id'))} end`,
      postId: silences.postId,
      threadId: sql<number | null>`(select p.thread_id from posts p where p.id = silences.post_id
        and exists (select 1 from threads t where t.id = p.thread_id))`,
      reason: silences.reason,
      endsAt: silences.endsAt,
    })
    .from(silences)
    .where(and(eq(silences.groupId, access.group.id), isNull(silences.liftedAt), gt(silences.endsAt, now)))
    .orderBy(asc(silences.endsAt), asc(silences.id));
  return rows.map((r) => ({ ...r, name: r.name ?? null }));
}

/** A moderator lets the person post again before their pause ends; audited. */
export async function liftSilence(db: Db, actor: Actor, slug: string, silenceId: number): Promise<GroupAccess> {
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanModerate(access);
    const [lifted] = await tx
      .update(silences)
      .set({ liftedAt: new Date(), liftedBy: actor!.id })
      .where(
        and(
          eq(silences.id, silenceId),
          eq(silences.groupId, access.group.id),
          isNull(silences.liftedAt),
          gt(silences.endsAt, new Date()),
        ),
      )
      .returning();
    if (!lifted) throw new NotFound();
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: 'lift_silence',
      // Who wrote an anonymous post stays out of the log, which the group's leaders read.
      subjectUserId: lifted.anonymous ? null : lifted.userId,
      postId: lifted.postId,
    });
    return access;
  });
}
