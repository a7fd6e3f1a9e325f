import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import { blockedBetweenSql, mutedThreadsSql } from '../blocking/index.js';
import { activeMemberSql } from '../groups/index.js';
import type { NewNotification, NotificationSource } from '../notifications/index.js';

/*
 * Who is told of a new post, an edit and a reaction: the notification job (notifications/pipeline.ts)
 * asks these sources after the request that wrote them committed. Each answer is one statement,
 * however many people follow the group: candidates come from indexes (the post's mentions, its
 * thread's author, the thread's and the group's watchers), each person keeps their strongest
 * reason only (a mention, else a reply, else a watched post), and then everyone who may not be told
 * is taken out in the same statement:
 *  - the author themselves;
 *  - anyone who is not a member in good standing of the group (left, removed, banned, lapsed), so
 *    nobody is told of what they could not read;
 *  - anyone who muted the thread (blocking's mute; a mention included);
 *  - for a named post, anyone a block stands between with its author, either way. An anonymous post
 *    ignores blocks, as it does on the web: a missing notification would tell a blocker that the
 *    post is by someone they blocked;
 *  - anyone already told of this post (a retried job, an edit after the post was announced).
 */

const postEvent = z.object({ postId: z.number().int().positive() });
const reactionEvent = z.object({
  postId: z.number().int().positive(),
  reactorId: z.number().int().positive(),
  kind: z.string().min(1).max(40),
});

/** A post everyone who may read its group sees: published, shown, in a thread whose opening post is too. */
const visiblePostSql = sql`p.status = 'published' and p.hidden_at is null and p.deleted_at is null
  and exists (select 1 from posts o where o.thread_id = p.thread_id and o.is_opening
    and o.status = 'published' and o.hidden_at is null and o.deleted_at is null)`;

/**
 * The thread's author is told of a reply while their level for it is tracking or watching: their
 * own choice for the thread, else the group's (muted tells them nothing), else tracking.
 */
const authorTracksSql = sql`coalesce(
    (select tf.level::text from thread_follows tf where tf.user_id = p.thread_author and tf.thread_id = p.thread_id),
    (select gf.level::text from group_follows gf where gf.user_id = p.thread_author and gf.group_id = p.group_id),
    'tracking') in ('tracking', 'watching')`;

const rankKinds: Record<number, NewNotification['kind']> = { 1: 'mention', 2: 'reply', 3: 'watched_post' };

interface RecipientRow {
  userId: number | string;
  rank: number | string;
  groupId: number | string;
  threadId: number | string;
  postId: number | string;
}

/**
 * Everyone a post is news to, with their strongest reason, in one statement. `mentionsOnly`: for
 * an edit, where only the people it mentions now (and were not told before) are told.
 */
function postRecipientsSql(postId: number, mentionsOnly: boolean, now: Date): SQL {
  const candidates = mentionsOnly
    ? sql`select mn.user_id, 1 as rank from mentions mn join p on mn.post_id = p.id`
    : sql`select mn.user_id, 1 as rank from mentions mn join p on mn.post_id = p.id
      union all
      select p.thread_author, 2 from p where not p.is_opening and p.thread_author is not null and ${authorTracksSql}
      union all
      select tf.user_id, 3 from thread_follows tf join p on tf.thread_id = p.thread_id where tf.level = 'watching'
      union all
      select gf.user_id, 3 from group_follows gf join p on gf.group_id = p.group_id
      where gf.level = 'watching'
        -- A level chosen for the thread itself (tracking, say) outweighs watching its group.
        and not exists (select 1 from thread_follows own where own.user_id = gf.user_id and own.thread_id = p.thread_id)`;
  return sql`with p as (
      select p.id, p.group_id, p.thread_id, p.author_id, p.anonymous, p.is_opening, p.created_at,
        t.author_id as thread_author
      from posts p join threads t on t.id = p.thread_id
      where p.id = ${postId} and ${visiblePostSql}
    ),
    candidates as (${candidates}),
    best as (select c.user_id, min(c.rank) as rank from candidates c group by c.user_id)
    select b.user_id as "userId", b.rank, p.group_id as "groupId", p.thread_id as "threadId", p.id as "postId"
    from best b cross join p
    where b.user_id <> coalesce(p.author_id, -1)
      and ${activeMemberSql(sql.raw('p.group_id'), sql.raw('b.user_id'), now)}
      and p.thread_id not in ${mutedThreadsSql(sql.raw('b.user_id'))}
      and (p.anonymous or not ${blockedBetweenSql(sql.raw('b.user_id'), sql.raw('p.group_id'), sql.raw('p.author_id'))})
      -- Told of this post already: notifications of it are never older than the post, so each
      -- person's look is a short range of their index (the post's time, as a value the plan knows).
      and not exists (select 1 from notifications n where n.user_id = b.user_id
        and n.created_at >= (select since.created_at from p since)
        and n.post_id = p.id and n.kind in ('mention', 'reply', 'watched_post'))`;
}

async function postRecipients(tx: DbOrTx, postId: number, mentionsOnly: boolean): Promise<NewNotification[]> {
  const result = (await tx.execute(postRecipientsSql(postId, mentionsOnly, new Date()))) as unknown as {
    rows: RecipientRow[];
  };
  return result.rows.map((r) => ({
    userId: Number(r.userId),
    kind: rankKinds[Number(r.rank)]!,
    groupId: Number(r.groupId),
    threadId: Number(r.threadId),
    postId: Number(r.postId),
  }));
}

/** A new post (a discussion's opening, or a reply), once published: mentions, a reply, watchers. */
export const postCreatedSource: NotificationSource<z.infer<typeof postEvent>> = {
  type: 'post.created',
  event: postEvent,
  recipients: (tx, { postId }) => postRecipients(tx, postId, false),
};

/** An edited post: only people it now mentions for the first time. */
export const postEditedSource: NotificationSource<z.infer<typeof postEvent>> = {
  type: 'post.edited',
  event: postEvent,
  recipients: (tx, { postId }) => postRecipients(tx, postId, true),
};

/**
 * A reaction: the post's author is told, in one unread notification per post whose count grows
 * ("3 people sent support"). A person counts once however many kinds of reaction they give (only
 * their first that is still there tells), and not at all once they took it back; never for their
 * own post.
 */
export const reactionAddedSource: NotificationSource<z.infer<typeof reactionEvent>> = {
  type: 'reaction.added',
  event: reactionEvent,
  async recipients(tx, { postId, reactorId, kind }) {
    const result = (await tx.execute(sql`select p.author_id as "userId", p.group_id as "groupId",
        p.thread_id as "threadId", p.id as "postId"
      from posts p
      where p.id = ${postId} and ${visiblePostSql}
        and p.author_id is not null and p.author_id <> ${reactorId}
        and exists (select 1 from reactions r where r.post_id = p.id and r.user_id = ${reactorId} and r.kind::text = ${kind}
          and not exists (select 1 from reactions e where e.post_id = p.id and e.user_id = ${reactorId}
            and (e.created_at, e.kind::text) < (r.created_at, r.kind::text)))
        and ${activeMemberSql(sql.raw('p.group_id'), sql.raw('p.author_id'), new Date())}
        and p.thread_id not in ${mutedThreadsSql(sql.raw('p.author_id'))}
        and (p.anonymous or not ${blockedBetweenSql(reactorId, sql.raw('p.group_id'), sql.raw('p.author_id'))})`)) as unknown as {
      rows: Omit<RecipientRow, 'rank'>[];
    };
    return result.rows.map((r) => ({
      userId: Number(r.userId),
      kind: 'reactions' as const,
      groupId: Number(r.groupId),
      threadId: Number(r.threadId),
      postId: Number(r.postId),
      batchKey: `reactions:post:${Number(r.postId)}`,
    }));
  },
};

/** The sources to list in main.ts and the test world (defineNotificationJobs). */
export const followingSources = [
  postCreatedSource,
  postEditedSource,
  reactionAddedSource,
] as NotificationSource<unknown>[];
