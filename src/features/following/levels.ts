import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { writeThreadMute } from '../blocking/index.js';
import { accessThread } from '../forum/index.js';
import { accessGroup, type Actor, type GroupAccess } from '../groups/index.js';
import { assertMayFollow } from './policy.js';
import { groupFollows, threadFollows, type FollowLevel } from './schema.js';

/*
 * Follow levels. A thread: watching (told of every new post), tracking (told of replies to one's
 * discussion, and of mentions), muted (told of nothing, and gone from one's list: blocking's
 * thread mute). A group: watching (every new post in it), tracking (the default: each thread as
 * its own level says), muted (nothing but mentions). Without a choice of its own a thread follows
 * the group (watching or muted), else it is tracked: so a thread one starts or replies to is
 * tracked without a row being written, and the notification job derives it the same way.
 */

export const levelInput = z.object({
  level: z.enum(['watching', 'tracking', 'muted'], 'following.errors.level'),
});

/** Where a thread's level comes from: the person's choice for it, for its group, or neither. */
export type LevelSource = 'thread' | 'group' | 'default';

export interface ThreadLevel {
  level: FollowLevel;
  source: LevelSource;
}

/**
 * A person's level for a thread, as one SELECT (for the thread page's extension): one row with
 * `level` and `source`. `userId` is a value; `threadId` and `groupId` values or columns.
 */
export function threadLevelSql(userId: number, threadId: number | SQL, groupId: SQL): SQL {
  return sql`select
      case when tm.thread_id is not null then 'muted' when tf.level is not null then tf.level::text
        when gf.level = 'watching' then 'watching' when gf.level = 'muted' then 'muted' else 'tracking' end as level,
      case when tm.thread_id is not null or tf.level is not null then 'thread'
        when gf.level in ('watching', 'muted') then 'group' else 'default' end as source
    from (select 1) one
    left join thread_mutes tm on tm.user_id = ${userId} and tm.thread_id = ${threadId}
    left join thread_follows tf on tf.user_id = ${userId} and tf.thread_id = ${threadId}
    left join group_follows gf on gf.user_id = ${userId} and gf.group_id = ${groupId}`;
}

/** A person's level for a group, as one SELECT (for the group page's extension): one row, `level`. */
export function groupLevelSql(userId: number, groupId: number): SQL {
  return sql`select coalesce((select gf.level::text from group_follows gf
    where gf.user_id = ${userId} and gf.group_id = ${groupId}), 'tracking') as level`;
}

/** Reads a level back from a row, tracking when it is anything else. */
export function levelOf(value: unknown): FollowLevel {
  return value === 'watching' || value === 'muted' ? value : 'tracking';
}

/**
 * Sets how closely a member follows a thread. Muted is blocking's thread mute (and no level of
 * its own); watching or tracking lifts a mute, and holds even when the group is watched or muted.
 */
export async function setThreadLevel(
  db: Db,
  actor: Actor,
  slug: string,
  threadId: number,
  input: unknown,
): Promise<{ access: GroupAccess; threadId: number; level: FollowLevel }> {
  const { level } = parseInput(levelInput, input);
  return db.transaction(async (tx) => {
    const { access, thread } = await accessThread(tx, actor, threadId);
    // A thread is asked for under its own group's address, and found nowhere else.
    if (access.group.slug !== slug) throw new NotFound();
    assertMayFollow(access);
    const userId = actor!.id;
    await writeThreadMute(tx, thread, userId, level === 'muted');
    if (level === 'muted') {
      await tx
        .delete(threadFollows)
        .where(and(eq(threadFollows.userId, userId), eq(threadFollows.threadId, thread.id)));
    } else {
      await tx
        .insert(threadFollows)
        .values({ userId, threadId: thread.id, groupId: thread.groupId, level })
        .onConflictDoUpdate({
          target: [threadFollows.userId, threadFollows.threadId],
          set: { level, updatedAt: new Date() },
        });
    }
    return { access, threadId: thread.id, level };
  });
}

/** Sets how closely a member follows a whole group; tracking, the default, keeps no row. */
export async function setGroupLevel(
  db: Db,
  actor: Actor,
  slug: string,
  input: unknown,
): Promise<{ access: GroupAccess; level: FollowLevel }> {
  const { level } = parseInput(levelInput, input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertMayFollow(access);
    const userId = actor!.id;
    const groupId = access.group.id;
    if (level === 'tracking') {
      await tx.delete(groupFollows).where(and(eq(groupFollows.userId, userId), eq(groupFollows.groupId, groupId)));
    } else {
      await tx
        .insert(groupFollows)
        .values({ userId, groupId, level })
        .onConflictDoUpdate({
          target: [groupFollows.userId, groupFollows.groupId],
          set: { level, updatedAt: new Date() },
        });
    }
    return { access, level };
  });
}
