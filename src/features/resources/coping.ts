/**
 * "What helped me": replies saved to a group's collection of coping strategies. A member asks; the
 * reply's author is asked and decides; only then does it appear, under their name in the group.
 * The author may take it back at any time.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { blockedBetweenSql } from '../blocking/index.js';
import { warningOpenSql } from '../content-warnings/index.js';
import { readPost } from '../forum/index.js';
import { accessGroup, memberNameSql, type Actor, type GroupAccess } from '../groups/index.js';
import { notify } from '../notifications/index.js';
import { assertCanReadLibrary, assertCanSuggest, canSaveCoping } from './policy.js';
import { copingStrategies } from './schema.js';

export const copingInput = z.object({
  postId: z.coerce.number().int().positive().max(2_147_483_647),
  title: z.string().trim().min(1, 'resources.coping.errors.title').max(120, 'resources.coping.errors.title'),
});

/**
 * Asks to save a reply as a coping strategy, and asks its author. A reply is asked about once:
 * an author who said no is not asked again.
 */
export async function requestCopingStrategy(db: Db, actor: Viewer, slug: string, input: unknown): Promise<void> {
  const data = parseInput(copingInput, input);
  const { access, thread, view } = await readPost(db, actor, data.postId);
  if (access.group.slug !== slug || view.blocked) throw new NotFound();
  assertCanSuggest(access);
  if (!canSaveCoping(access, { mine: view.mine, anonymous: view.post.anonymous, isOpening: view.post.isOpening }))
    throw new Invalid({ title: 'resources.coping.errors.notThisReply' });
  const authorId = view.post.authorId;
  // A former member's reply: there is nobody left to ask.
  if (authorId === null) throw new Invalid({ title: 'resources.coping.errors.notThisReply' });
  await db.transaction(async (tx) => {
    const created = await tx
      .insert(copingStrategies)
      .values({ groupId: access.group.id, postId: view.post.id, savedBy: actor.id, title: data.title })
      .onConflictDoNothing()
      .returning({ id: copingStrategies.id });
    if (created.length === 0) throw new Invalid({ title: 'resources.coping.errors.alreadyAsked' });
    await notify(tx, {
      userId: authorId,
      kind: 'coping_request',
      groupId: access.group.id,
      threadId: thread.id,
      postId: view.post.id,
      reason: data.title,
    });
  });
}

/**
 * The author's answer: yes (it appears in the collection) or no, which also takes back a yes.
 * Only the reply's author may answer; to anyone else the request is not there.
 */
export async function decideCopingStrategy(
  db: Db,
  actor: Viewer,
  slug: string,
  id: number,
  consent: boolean,
): Promise<void> {
  const access = await accessGroup(db, actor, slug);
  const rows = await db
    .update(copingStrategies)
    .set({ status: consent ? 'approved' : 'declined', decidedAt: sql`now()` })
    .where(
      and(
        eq(copingStrategies.id, id),
        eq(copingStrategies.groupId, access.group.id),
        // A "no" stays a no: consent can be given to a request, not to a strategy taken back.
        consent ? eq(copingStrategies.status, 'requested') : undefined,
        sql`exists (select 1 from posts p where p.id = ${copingStrategies.postId} and p.author_id = ${actor.id}
          and not p.anonymous and p.deleted_at is null)`,
      ),
    )
    .returning({ id: copingStrategies.id });
  if (rows.length === 0) throw new NotFound();
}

export interface CopingItem {
  id: number;
  title: string;
  postId: number;
  threadId: number;
  /** The reply's author's name in the group (their alias there, if they have one). */
  author: string | null;
  /** The reply's text as HTML (sanitised when it was posted); null when a content warning closes it. */
  bodyHtml: string | null;
  warning: string | null;
}

interface CopingRow {
  id: number;
  title: string;
  post_id: number;
  thread_id: number;
  author: string | null;
  body_html: string | null;
  warning: string | null;
  status: 'requested' | 'approved' | 'declined';
}

const toItem = (r: CopingRow): CopingItem => ({
  id: r.id,
  title: r.title,
  postId: r.post_id,
  threadId: r.thread_id,
  author: r.author,
  bodyHtml: r.body_html,
  warning: r.warning,
});

/**
 * The group's collection: consented strategies whose reply is still there for everyone (not
 * deleted, hidden or awaiting approval), leaving out anyone a block stands between the reader
 * and; in one query.
 */
export async function copingPage(
  db: Db,
  actor: Actor,
  slug: string,
): Promise<{ access: GroupAccess; items: CopingItem[] }> {
  const access = await accessGroup(db, actor, slug);
  assertCanReadLibrary(access);
  const viewer = actor?.id ?? null;
  const result = (await db.execute(sql`
    select c.id, c.title, c.post_id, posts.thread_id, c.status,
      ${memberNameSql(sql.raw('posts.group_id'), sql.raw('posts.author_id'))} as author,
      case when ${warningOpenSql(viewer)} then posts.body_html end as body_html,
      case when ${warningOpenSql(viewer)} then null else posts.content_warning end as warning
    from coping_strategies c
    join posts on posts.id = c.post_id
    where c.group_id = ${access.group.id} and c.status = 'approved'
      and posts.deleted_at is null and posts.hidden_at is null and posts.status = 'published'
      and not posts.anonymous and posts.author_id is not null
      and not ${blockedBetweenSql(viewer, sql.raw('posts.group_id'), sql.raw('posts.author_id'))}
    order by c.decided_at desc, c.id desc
    limit 200
  `)) as unknown as { rows: CopingRow[] };
  return { access, items: result.rows.map(toItem) };
}

/** What others asked to save of this person's replies in the group: waiting for an answer, or shared. */
export async function copingRequestsPage(
  db: Db,
  actor: Viewer,
  slug: string,
): Promise<{ access: GroupAccess; waiting: CopingItem[]; shared: CopingItem[] }> {
  const access = await accessGroup(db, actor, slug);
  assertCanReadLibrary(access);
  const result = (await db.execute(sql`
    select c.id, c.title, c.post_id, posts.thread_id, c.status, null as author,
      posts.body_html, null as warning
    from coping_strategies c
    join posts on posts.id = c.post_id
    where c.group_id = ${access.group.id} and c.status in ('requested', 'approved')
      and posts.author_id = ${actor.id} and not posts.anonymous and posts.deleted_at is null
    order by c.id desc
    limit 200
  `)) as unknown as { rows: CopingRow[] };
  return {
    access,
    waiting: result.rows.filter((r) => r.status === 'requested').map(toItem),
    shared: result.rows.filter((r) => r.status === 'approved').map(toItem),
  };
}
