import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { accessPost, accessThread } from '../forum/index.js';
import {
  accessGroup,
  assertCanTakePart,
  canModerate,
  findUserIdByName,
  groupSummarySql,
  memberNameSql,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { blocks, hiddenPosts, threadMutes } from './schema.js';

/*
 * Blocking. A member blocks another in one group: from then on, in that group, neither sees the
 * other's named posts or the threads they started, and the blocked person cannot reply to the
 * blocker's threads. The blocked person is not told. The group's moderators still see everything
 * (a block never hides anything from those who keep the group safe), and a moderator may still
 * reply in a thread whose author blocked them.
 */

/** The name someone goes by in a group now, as everyone there sees it. */
async function nameInGroupOf(tx: DbOrTx, groupId: number, userId: number): Promise<string | null> {
  const result = (await tx.execute(sql`select ${memberNameSql(groupId, userId)} as name`)) as unknown as {
    rows: { name: string | null }[];
  };
  return result.rows[0]?.name ?? null;
}

async function writeBlock(tx: DbOrTx, access: GroupAccess, blockedId: number, name: string): Promise<void> {
  if (blockedId === access.actor!.id) throw new Invalid({ '': 'blocking.errors.self' });
  await tx
    .insert(blocks)
    .values({ groupId: access.group.id, blockerId: access.actor!.id, blockedId, blockedName: name })
    .onConflictDoNothing();
}

/**
 * Blocks the author of a post, from the post. An anonymous post offers no block: blocking its
 * author would show which other posts are theirs. "Hide this post for me" is offered instead.
 */
export async function blockAuthorOf(
  db: Db,
  actor: Actor,
  postId: number,
): Promise<{ access: GroupAccess; name: string }> {
  return db.transaction(async (tx) => {
    const { access, post } = await accessPost(tx, actor, postId);
    assertCanTakePart(access);
    if (post.anonymous) throw new Forbidden('blocking.errors.anonymous');
    if (post.authorId === null) throw new NotFound();
    const name = await nameInGroupOf(tx, access.group.id, post.authorId);
    if (name === null) throw new NotFound();
    await writeBlock(tx, access, post.authorId, name);
    return { access, name };
  });
}

/** Blocks a member by their name in the group (from the member list). */
export async function blockMemberByName(db: Db, actor: Actor, slug: string, name: string): Promise<GroupAccess> {
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanTakePart(access);
    const blockedId = await findUserIdByName(tx, access.group.id, name);
    if (blockedId === null) throw new NotFound();
    const shown = await nameInGroupOf(tx, access.group.id, blockedId);
    await writeBlock(tx, access, blockedId, shown ?? name);
    return access;
  });
}

const unblockInput = z.object({
  group: z.coerce.number().int().positive().max(2_147_483_647),
  name: z.string().min(1).max(200),
});

/** Takes a block back; named as the list shows it (the group and the name the blocker saw). */
export async function unblock(db: Db, actor: Actor, input: unknown): Promise<void> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const data = parseInput(unblockInput, input);
  await db
    .delete(blocks)
    .where(and(eq(blocks.blockerId, actor.id), eq(blocks.groupId, data.group), eq(blocks.blockedName, data.name)));
}

export interface BlockedPerson {
  groupId: number;
  /** The group, for its name and address; null if it is gone. */
  group: { slug: string; name: string } | null;
  /** The name the blocker saw when they blocked them, and only that. */
  name: string;
  createdAt: Date;
}

/** Whom a person has blocked, newest first, each with the group and the name they blocked. */
export async function listBlocked(db: DbOrTx, actor: NonNullable<Actor>): Promise<BlockedPerson[]> {
  return db
    .select({
      groupId: blocks.groupId,
      group: groupSummarySql(sql.raw('blocks.group_id')),
      name: blocks.blockedName,
      createdAt: blocks.createdAt,
    })
    .from(blocks)
    .where(eq(blocks.blockerId, actor.id))
    .orderBy(desc(blocks.createdAt));
}

/**
 * Throws a kind Forbidden when the thread's author blocked this person in the thread's group. A
 * thread started anonymously is not covered: refusing would tell the replier who started it.
 * Moderators may always reply, so that they can still step in.
 */
export async function assertMayReplyTo(
  tx: DbOrTx,
  access: GroupAccess,
  actor: { id: number },
  thread: { id: number; groupId: number; authorId: number | null },
): Promise<void> {
  if (thread.authorId === null || thread.authorId === actor.id || canModerate(access)) return;
  const result = (await tx.execute(sql`select exists (select 1 from blocks b
      where b.group_id = ${thread.groupId} and b.blocker_id = ${thread.authorId} and b.blocked_id = ${actor.id})
    and not exists (select 1 from posts o where o.thread_id = ${thread.id} and o.is_opening and o.anonymous)
    as refused`)) as unknown as { rows: { refused: boolean }[] };
  if (result.rows[0]?.refused) throw new Forbidden('blocking.errors.mayNotReply');
}

/**
 * For issue 15 (mentions and private messages inside a group): whether either of two people
 * blocked the other there. Call it in the one path that writes a mention or a message.
 */
export async function blockedEitherWay(tx: DbOrTx, groupId: number, a: number, b: number): Promise<boolean> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(blocks)
    .where(
      and(
        eq(blocks.groupId, groupId),
        sql`((${blocks.blockerId} = ${a} and ${blocks.blockedId} = ${b}) or (${blocks.blockerId} = ${b} and ${blocks.blockedId} = ${a}))`,
      ),
    );
  return (row?.n ?? 0) > 0;
}

/** "Hide this post for me" (or show it again): only the viewer's own pages change. */
export async function setHiddenForMe(
  db: Db,
  actor: Actor,
  postId: number,
  hidden: boolean,
): Promise<{ access: GroupAccess; threadId: number }> {
  return db.transaction(async (tx) => {
    const { access, post, thread } = await accessPost(tx, actor, postId);
    if (!actor) throw new Forbidden('groups.errors.logInFirst');
    if (hidden) {
      await tx.insert(hiddenPosts).values({ groupId: post.groupId, userId: actor.id, postId }).onConflictDoNothing();
    } else {
      await tx.delete(hiddenPosts).where(and(eq(hiddenPosts.userId, actor.id), eq(hiddenPosts.postId, postId)));
    }
    return { access, threadId: thread.id };
  });
}

/**
 * Mutes a thread for a person (or unmutes it), inside the caller's transaction: for following's
 * levels, whose "muted" is this mute.
 */
export async function writeThreadMute(
  tx: DbOrTx,
  thread: { id: number; groupId: number },
  userId: number,
  muted: boolean,
): Promise<void> {
  if (muted) {
    await tx.insert(threadMutes).values({ groupId: thread.groupId, userId, threadId: thread.id }).onConflictDoNothing();
  } else {
    await tx.delete(threadMutes).where(and(eq(threadMutes.userId, userId), eq(threadMutes.threadId, thread.id)));
  }
}

/** Mutes a thread (or unmutes it): it leaves the viewer's thread list and, with issue 15, their notifications. */
export async function setThreadMuted(
  db: Db,
  actor: Actor,
  threadId: number,
  muted: boolean,
): Promise<{ access: GroupAccess; threadId: number }> {
  return db.transaction(async (tx) => {
    const { access, thread } = await accessThread(tx, actor, threadId);
    if (!actor) throw new Forbidden('groups.errors.logInFirst');
    if (muted) {
      await tx
        .insert(threadMutes)
        .values({ groupId: thread.groupId, userId: actor.id, threadId })
        .onConflictDoNothing();
    } else {
      await tx.delete(threadMutes).where(and(eq(threadMutes.userId, actor.id), eq(threadMutes.threadId, threadId)));
    }
    return { access, threadId };
  });
}
