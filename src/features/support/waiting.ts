/**
 * "Needs a reply": discussions whose opening post no other member has answered yet, oldest first,
 * for one group or across a member's groups, and the one suggestion a helped author is offered.
 * Each list is one query; what a reader may not see (blocks, mutes, posts hidden for them,
 * moderators' hidden posts, locked discussions) is left out in that query.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { blockedBetweenSql, mutedThreadsSql } from '../blocking/index.js';
import { accessGroup, accessOwnGroups, memberNameSql, type Actor, type GroupAccess } from '../groups/index.js';
import { assertMaySeeWaiting, seesThroughBlocks, waitingInMyGroups } from './policy.js';
import { supportSettings } from './schema.js';

/** A day: after it, a waiting discussion is shown to leaders as one to look at. */
export const LONG_WAIT_MS = 24 * 3600_000;
/** Discussions listed at most on one page. */
export const WAITING_SHOWN = 100;
/** The reply prompt suggests only discussions started this recently: an old one is likely settled. */
const PROMPT_DAYS = 14;

export interface WaitingThread {
  threadId: number;
  groupId: number;
  title: string;
  /** The author's name in the group; null for an anonymous start or a former member. */
  author: string | null;
  anonymous: boolean;
  anonymousNumber: number | null;
  /** The viewer started it. */
  mine: boolean;
  /** When its opening post was written: how long it has waited. */
  since: Date;
}

/**
 * The rule of "waiting", for a query over `threads t join posts o` (o its opening post): the
 * opening is published and neither deleted nor hidden by moderators, the discussion is open, and
 * no published, visible reply is by anyone but its author. Reactions are not replies.
 */
export const waitingSql: SQL = sql`o.is_opening and o.status = 'published' and o.deleted_at is null
  and o.hidden_at is null and not t.locked
  and not exists (select 1 from posts r where r.thread_id = t.id and not r.is_opening
    and r.status = 'published' and r.deleted_at is null and r.hidden_at is null
    and r.author_id is distinct from o.author_id)`;

/**
 * What one person may not see of a waiting discussion: one they muted or whose opening they hid
 * for themselves, and, outside the groups in `throughBlocks` (those they moderate), one started
 * by name by someone a block stands between them and.
 */
function viewerFilterSql(viewerId: number | null, throughBlocks: readonly number[]): SQL {
  if (viewerId === null) return sql`true`;
  const moderated = `{${throughBlocks.map((id) => Math.trunc(id)).join(',')}}`;
  return sql`t.id not in ${mutedThreadsSql(viewerId)}
    and not exists (select 1 from hidden_posts hp where hp.user_id = ${viewerId} and hp.post_id = o.id)
    and (o.anonymous or t.group_id = any(${moderated}::int[])
      or not ${blockedBetweenSql(viewerId, sql.raw('t.group_id'), sql.raw('o.author_id'))})`;
}

type Row = Record<string, unknown>;

function waitingOf(r: Row): WaitingThread {
  return {
    threadId: Number(r.thread_id),
    groupId: Number(r.group_id),
    title: String(r.title),
    author: r.author === null || r.author === undefined ? null : String(r.author),
    anonymous: Boolean(r.anonymous),
    anonymousNumber: r.anonymous_number === null ? null : Number(r.anonymous_number),
    mine: Boolean(r.mine),
    since: new Date(r.since as string | Date),
  };
}

async function listWaiting(db: DbOrTx, viewer: Actor, groupIds: number[], throughBlocks: number[]) {
  if (groupIds.length === 0) return [];
  const ids = `{${groupIds.map((id) => Math.trunc(id)).join(',')}}`;
  const result = await db.execute(sql`
    select t.id as thread_id, t.group_id, t.title, o.anonymous, o.anonymous_number, o.created_at as since,
      case when o.anonymous then null else ${memberNameSql(sql.raw('t.group_id'), sql.raw('o.author_id'))} end as author,
      coalesce(o.author_id = ${viewer?.id ?? -1}, false) as mine
    from threads t join posts o on o.thread_id = t.id
    where t.group_id = any(${ids}::int[]) and ${waitingSql} and ${viewerFilterSql(viewer?.id ?? null, throughBlocks)}
    order by o.created_at, t.id
    limit ${WAITING_SHOWN}`);
  return (result as unknown as { rows: Row[] }).rows.map(waitingOf);
}

/** A group's "Needs a reply", as this person may see it. */
export async function groupWaiting(
  db: Db,
  actor: Actor,
  slug: string,
): Promise<{ access: GroupAccess; threads: WaitingThread[] }> {
  const access = await accessGroup(db, actor, slug);
  assertMaySeeWaiting(access);
  const threads = await listWaiting(db, actor, [access.group.id], seesThroughBlocks(access) ? [access.group.id] : []);
  return { access, threads };
}

/** "Needs a reply" across the groups a member belongs to (or leads), each group's rules as on its own page. */
export async function myWaiting(
  db: Db,
  actor: Viewer,
): Promise<{ groups: Map<number, GroupAccess>; threads: WaitingThread[] }> {
  const accesses = (await accessOwnGroups(db, actor)).filter(waitingInMyGroups);
  const groups = new Map(accesses.map((a) => [a.group.id, a]));
  const threads = await listWaiting(
    db,
    actor,
    [...groups.keys()],
    accesses.filter(seesThroughBlocks).map((a) => a.group.id),
  );
  return { groups, threads };
}

/** Whether a discussion has waited long enough that leaders should see it first. */
export function waitedLong(thread: Pick<WaitingThread, 'since'>, now = new Date()): boolean {
  return now.getTime() - thread.since.getTime() > LONG_WAIT_MS;
}

/**
 * For a leader's digest: the group's discussions waiting more than a day at `now`, oldest first.
 * Any member may see these; the digest leaves out, per reader, what a block or mute takes away.
 */
export async function longWaitingThreads(db: DbOrTx, groupId: number, now: Date, limit: number) {
  const before = new Date(now.getTime() - LONG_WAIT_MS).toISOString();
  const result = await db.execute(sql`
    select o.id as post_id, t.id as thread_id, t.title, o.author_id, o.anonymous, o.anonymous_number,
      case when o.anonymous or o.author_id is null then null
        else ${memberNameSql(sql.raw('t.group_id'), sql.raw('o.author_id'))} end as author_name,
      o.content_warning, left(o.body, 1000) as body, o.created_at
    from threads t join posts o on o.thread_id = t.id
    where t.group_id = ${groupId} and ${waitingSql} and o.created_at < ${before}::timestamptz
    order by o.created_at, t.id
    limit ${limit}`);
  return (result as unknown as { rows: Row[] }).rows;
}

export interface PromptSuggestion {
  threadId: number;
  title: string;
}

/**
 * For a thread page: when the viewer started this discussion, others have replied to it, and
 * they have not turned suggestions off, one discussion in the same group waiting for a reply
 * (not theirs, not this one, none they could not see or answer), the longest waiting of the
 * last days. One query, which checks membership itself: it runs before the page's access is known.
 */
export function promptSql(viewer: Viewer | null, threadId: number): SQL | null {
  if (!viewer) return null;
  return sql`
    with cur as (select c.id, c.group_id from threads c where c.id = ${threadId} and c.author_id = ${viewer.id}
        and exists (select 1 from memberships m where m.group_id = c.group_id and m.user_id = ${viewer.id})
        and not exists (select 1 from bans b where b.group_id = c.group_id and b.user_id = ${viewer.id})
        and coalesce((select s.reply_prompts from support_settings s where s.user_id = ${viewer.id}), true)
        and exists (select 1 from posts r where r.thread_id = c.id and not r.is_opening and r.status = 'published'
          and r.deleted_at is null and r.hidden_at is null and r.author_id <> ${viewer.id}))
    select t.id as thread_id, t.title
    from cur join threads t on t.group_id = cur.group_id and t.id <> cur.id
      join posts o on o.thread_id = t.id
    where ${waitingSql} and o.author_id is distinct from ${viewer.id}
      and o.created_at > now() - ${PROMPT_DAYS} * interval '1 day'
      and ${viewerFilterSql(viewer.id, [])}
    order by o.created_at, t.id
    limit 1`;
}

/** The suggestion from promptSql's row, if there is one. */
export function readPrompt(rows: Record<string, unknown>[]): PromptSuggestion | null {
  const row = rows[0];
  return row ? { threadId: Number(row.thread_id), title: String(row.title) } : null;
}

/** Whether the member wants suggestions of discussions to answer (the default: yes). */
export async function replyPromptsOn(db: DbOrTx, userId: number): Promise<boolean> {
  const result = await db.execute(
    sql`select coalesce((select reply_prompts from support_settings where user_id = ${userId}), true) as on`,
  );
  return Boolean((result as unknown as { rows: Row[] }).rows[0]?.on ?? true);
}

const promptsInput = z.object({ replyPrompts: z.literal('on').optional() });

/** Turns the suggestions on or off: from the settings form (a checkbox), or "Don't show me these" (off). */
export async function setReplyPrompts(db: DbOrTx, actor: Actor, input: unknown): Promise<boolean> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const on = parseInput(promptsInput, input).replyPrompts === 'on';
  await db
    .insert(supportSettings)
    .values({ userId: actor.id, replyPrompts: on })
    .onConflictDoUpdate({ target: supportSettings.userId, set: { replyPrompts: on, updatedAt: new Date() } });
  return on;
}
