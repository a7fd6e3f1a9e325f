import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { Viewer } from '../../platform/http/page.js';
import { isOrganisationAdminSql } from '../organisations/index.js';
import type { FetchResult } from './fetch.js';
import { linksSql } from './links.js';
import { linkPreviews } from './schema.js';

/** A preview is fetched again after a week, and a failed one tried again after a day. */
export const KEEP_DAYS = 7;
export const RETRY_FAILED_DAYS = 1;
/** Links in posts published this recently are previewed. */
const RECENT_MINUTES = 60;
/** At most this many fetches are queued each round, so a flood of links cannot flood the queue. */
const PER_ROUND = 100;

/**
 * Links in posts published in the last hour with no fresh preview: one query, read from the
 * posts' text with the same rules as the thread page uses to look previews up. Links to this site
 * itself (`ownOrigin`, normalised) are left out: its own pages show their own cards, if any.
 */
export async function linksToPreview(db: Db, now: Date, ownOrigin: string): Promise<string[]> {
  const at = now.toISOString();
  const own = `${ownOrigin.toLowerCase()}/%`;
  const result = (await db.execute(sql`
    select distinct l.url from posts p
      cross join lateral ${linksSql(sql.raw('p.body'))} l
      left join link_previews lp on lp.url = l.url
    where p.created_at > ${at}::timestamptz - make_interval(mins => ${RECENT_MINUTES})
      and p.status = 'published' and p.deleted_at is null and p.hidden_at is null
      and l.url not like ${own}
      and (lp.url is null
        or (lp.status = 'ok' and lp.fetched_at < ${at}::timestamptz - make_interval(days => ${KEEP_DAYS}))
        or (lp.status = 'failed' and lp.fetched_at < ${at}::timestamptz - make_interval(days => ${RETRY_FAILED_DAYS})))
    limit ${PER_ROUND}`)) as unknown as { rows: { url: string }[] };
  return result.rows.map((r) => r.url);
}

/** The same link always gets the same job id, so two rounds (or two workers) queue it once. */
export function jobIdOf(url: string): string {
  const hex = createHash('sha256').update(`link-preview:${url}`).digest('hex');
  // Shaped as a UUID (version 5 and its variant bits), as pg-boss's ids are.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Keeps what a fetch found (or that it failed), replacing any older preview of the link. */
export async function storePreview(db: DbOrTx, url: string, result: FetchResult): Promise<void> {
  const row =
    result.status === 'ok'
      ? { status: 'ok' as const, title: result.title, description: result.description, siteName: result.siteName }
      : { status: 'failed' as const, title: null, description: null, siteName: null };
  await db
    .insert(linkPreviews)
    .values({ url, ...row })
    .onConflictDoUpdate({ target: linkPreviews.url, set: { ...row, fetchedAt: sql`now()` } });
}

export interface PostPreview {
  postId: number;
  url: string;
  title: string | null;
  description: string | null;
  siteName: string | null;
}

/**
 * The previews of links in a thread's posts, in the posts' order: one query. Only for someone who
 * may read the group's discussions (a public group, or a member, or an organisation's admin, or a
 * site admin); the thread page then shows them only under posts it shows.
 */
export function previewsSql(viewer: Viewer | null, threadId: number): SQL {
  const viewerId = viewer?.id ?? -1;
  const siteAdmin = viewer?.isAdmin === true && viewer.secondFactor === true;
  return sql`
    select p.id as "postId", lp.url, lp.title, lp.description, lp.site_name as "siteName"
    from posts p
      join groups g on g.id = p.group_id
      cross join lateral ${linksSql(sql.raw('p.body'))} l
      join link_previews lp on lp.url = l.url and lp.status = 'ok'
    where p.thread_id = ${threadId} and p.deleted_at is null
      and (${siteAdmin} or g.visibility = 'public'
        or exists (select 1 from memberships m where m.group_id = g.id and m.user_id = ${viewerId}
          and not exists (select 1 from bans b where b.group_id = g.id and b.user_id = ${viewerId}))
        or ${isOrganisationAdminSql(sql.raw('g.organisation_id'), viewerId)})
    order by p.id, l.ord`;
}

/** The previews from previewsSql's rows. */
export function readPreviews(rows: Record<string, unknown>[]): PostPreview[] {
  return (rows as unknown as PostPreview[]).map((r) => ({ ...r, postId: Number(r.postId) }));
}
