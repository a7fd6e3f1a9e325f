/**
 * The library's list: approved resources of one group, newest or most helpful first, by tag, or
 * found by words with the same engine as discussions (forum/search.ts): the group's language
 * stemming OR'ed with 'simple', against the `search` column migration 0012's trigger keeps.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { memberNameSql } from '../groups/index.js';

export const PAGE_SIZE = 30;

/**
 * Marks around matched words in a snippet, from Unicode's private use area and removed from the
 * text before ts_headline adds them, so a resource can never forge one: the view escapes the text
 * and turns only these into <mark>.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

export const libraryQuery = z
  .object({
    q: z.string().trim().max(200).optional().catch(undefined),
    tag: z.string().trim().toLowerCase().max(40).optional().catch(undefined),
    sort: z.enum(['newest', 'helpful']).catch('newest'),
  })
  .catch({ sort: 'newest' });

export type LibraryQuery = z.infer<typeof libraryQuery>;

export interface LibraryItem {
  id: number;
  kind: 'link' | 'article';
  title: string;
  url: string | null;
  tags: string[];
  helpedCount: number;
  reviewedAt: Date | null;
  facilitatorReviewed: boolean;
  /** The suggester's name in the group; null once their account is gone. */
  suggestedBy: string | null;
  /** With words searched: plain text with MARK_START/MARK_END around matches. */
  snippet: string | null;
}

interface Row {
  id: number;
  kind: 'link' | 'article';
  title: string;
  url: string | null;
  tags: string[];
  helped_count: number;
  reviewed_ms: number | null;
  vouched: boolean;
  suggested_by: string | null;
  snippet: string | null;
  all_tags: string[] | null;
  waiting: number;
}

export interface LibraryList {
  items: LibraryItem[];
  /** Every tag of the group's approved resources, for the filter. */
  tags: string[];
  /** Suggestions waiting for review (counted for moderators only; 0 for others). */
  waiting: number;
}

/**
 * One query: the page of resources, the group's tags and, for moderators, how many suggestions
 * wait. Ranking by words uses ts_rank; the snippet is made only for the rows shown.
 */
export async function listLibrary(
  db: Db,
  groupId: number,
  input: LibraryQuery,
  opts: { countWaiting: boolean },
): Promise<LibraryList> {
  const words = input.q || undefined;
  const query = sql`(websearch_to_tsquery(mutual_ts_config(g.language), ${words ?? ''})
    || websearch_to_tsquery('simple', ${words ?? ''}))`;
  const where: SQL[] = [sql`r.group_id = ${groupId}`, sql`r.status = 'approved'`];
  if (words) where.push(sql`r.search @@ ${query}`);
  if (input.tag) where.push(sql`${input.tag} = any(r.tags)`);
  const order = words
    ? sql`ts_rank(r.search, ${query}) desc, r.id desc`
    : input.sort === 'helpful'
      ? sql`r.helped_count desc, r.id desc`
      : sql`r.id desc`;
  const headline = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;
  const snippet = words
    ? sql`ts_headline(mutual_ts_config(g.language), translate(r.body, ${MARK_START + MARK_END}, ''), ${query}, ${headline})`
    : sql`null::text`;
  const result = (await db.execute(sql`
    with g as (select id, language from groups where id = ${groupId}),
    page as (
      select r.id, r.kind, r.title, r.url, r.tags, r.helped_count,
        (extract(epoch from r.reviewed_at) * 1000)::float8 as reviewed_ms,
        r.facilitator_reviewed_at is not null as vouched,
        case when r.author_id is null then null else ${memberNameSql(sql.raw('r.group_id'), sql.raw('r.author_id'))} end as suggested_by,
        ${snippet} as snippet
      from resources r cross join g
      where ${sql.join(where, sql` and `)}
      order by ${order}
      limit ${PAGE_SIZE}
    )
    select p.*,
      (select array_agg(distinct t order by t) from resources r2, unnest(r2.tags) t
        where r2.group_id = ${groupId} and r2.status = 'approved') as all_tags,
      ${opts.countWaiting ? sql`(select count(*)::int from resources w where w.group_id = ${groupId} and w.status = 'suggested')` : sql`0`} as waiting
    from (select 1) one left join page p on true
  `)) as unknown as { rows: (Row | (Partial<Row> & { id: null }))[] };
  const rows = result.rows;
  const first = rows[0];
  return {
    tags: first?.all_tags ?? [],
    waiting: Number(first?.waiting ?? 0),
    items: rows.flatMap((r) =>
      r.id === null || r.id === undefined
        ? []
        : [
            {
              id: r.id,
              kind: r.kind!,
              title: r.title!,
              url: r.url ?? null,
              tags: r.tags ?? [],
              helpedCount: r.helped_count ?? 0,
              reviewedAt: r.reviewed_ms == null ? null : new Date(r.reviewed_ms),
              facilitatorReviewed: r.vouched ?? false,
              suggestedBy: r.suggested_by ?? null,
              snippet: r.snippet ?? null,
            },
          ],
    ),
  };
}

/** A snippet as pieces of text, marked or not, for the view to render escaped. */
export function snippetParts(snippet: string): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  const pattern = new RegExp(`${MARK_START}([^${MARK_END}]*)${MARK_END}`, 'g');
  let at = 0;
  for (const match of snippet.matchAll(pattern)) {
    if (match.index > at) parts.push({ text: snippet.slice(at, match.index), marked: false });
    parts.push({ text: match[1]!, marked: true });
    at = match.index + match[0].length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), marked: false });
  return parts.map((p) => ({ ...p, text: p.text.replaceAll(MARK_START, '').replaceAll(MARK_END, '') }));
}
