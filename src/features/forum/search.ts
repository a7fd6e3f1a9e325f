/**
 * Searching discussions: the posts a person may read, across their groups or inside one, with
 * highlighted snippets. Visibility follows the thread pages' rules (reading.ts, service.ts
 * canSeePost, blocking), written here once as SQL, so that a search costs a few queries whatever
 * the number of results.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { fieldErrorsOf } from '../../platform/http/forms.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { blockedBetweenSql } from '../blocking/index.js';
import { warningOpenSql } from '../content-warnings/index.js';
import {
  accessGroup,
  accessOwnGroups,
  assertCanReadDiscussions,
  canReadDiscussions,
  groupLanguages,
  memberIdByNameSql,
  memberNameSql,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';

export const PAGE_SIZE = 20;
/** Deep pages cost the database more than they help anyone: refine the words instead. */
export const MAX_PAGE = 25;

/**
 * Marks around matched words in a snippet. From Unicode's private use area, and removed from the
 * text before ts_headline adds them, so a post can never forge one: the view escapes the text and
 * turns only these into <mark>.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

const isoDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined)
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'discussionSearch.errors.date')
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'discussionSearch.errors.date')
      .optional(),
  );

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v || undefined);

export const searchInput = z
  .object({
    q: optionalText(200, 'discussionSearch.errors.tooLong'),
    group: optionalText(200, 'discussionSearch.errors.group'),
    author: optionalText(80, 'discussionSearch.errors.author'),
    from: isoDate,
    to: isoDate,
    sort: z.enum(['relevance', 'newest']).catch('relevance'),
    page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1),
  })
  .superRefine((v, ctx) => {
    // An author is looked up by their name in one group: across groups, a name could link a
    // person's aliases (and it never matches anonymous posts, which would give their author away).
    if (v.author && !v.group)
      ctx.addIssue({ code: 'custom', path: ['author'], message: 'discussionSearch.errors.authorNeedsGroup' });
    if (v.from && v.to && v.from > v.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'discussionSearch.errors.dateOrder' });
  });

export type SearchInput = z.infer<typeof searchInput>;

const groupOnly = z.object({ group: z.string().trim().max(200).optional().catch(undefined) }).catch({});

export interface SearchHit {
  postId: number;
  threadId: number;
  threadTitle: string;
  groupSlug: string;
  groupName: string;
  /** The author's name in the group; null for a former member and for every anonymous post. */
  author: string | null;
  anonymous: boolean;
  anonymousNumber: number | null;
  isOpening: boolean;
  /** Waiting for a leader's approval: only ever the searcher's own post. */
  awaiting: boolean;
  createdAt: Date;
  /** Plain text with MARK_START/MARK_END around matched words; empty when a content warning closes the post. */
  snippet: string;
  /** The post's content warning when it is closed to this reader (a preset's key or the author's words). */
  warning: string | null;
}

export interface GroupChoice {
  slug: string;
  name: string;
}

export interface SearchResults {
  /** The search as understood; null when the form needs changing (see errors). */
  input: SearchInput | null;
  /** What to change in the form, as i18n keys by field: the page comes back with the person's words. */
  errors: FieldErrors;
  /** The one group searched, when one was chosen. */
  group: GroupAccess | null;
  /** The person's own groups whose discussions they may read, for the group filter. */
  groups: GroupChoice[];
  hits: SearchHit[];
  /** Whether there are more results after this page. */
  more: boolean;
  /** A query was given: the page shows results (or the empty state) rather than only the form. */
  searched: boolean;
}

/**
 * The text-search query for the words as text, in every configuration the posts may be stemmed in
 * (the group's language, or every group language when searching across groups) OR'ed with
 * 'simple' and deduplicated, and the author asked for (by their name in the group), in one query.
 * The search then holds the query as a constant: PostgreSQL estimates how many posts it matches
 * from its statistics and picks the plan for it (see the search below), and never recomputes it per row.
 */
async function prepareQuery(
  db: Db,
  words: string,
  slug: string | undefined,
  author: string | undefined,
): Promise<{ query: string; authorId: number | null }> {
  const group = sql`(select g.id from groups g where g.slug = ${slug ?? ''})`;
  // Any code mutual_ts_config does not know maps to 'simple'.
  const languages = slug
    ? sql`array[(select g.language from groups g where g.slug = ${slug}), 'simple']`
    : sql`array[${sql.join(
        [...groupLanguages, 'simple'].map((l) => sql`${l}`),
        sql`, `,
      )}]::text[]`;
  const result = (await db.execute(sql`select
    (select coalesce(string_agg('(' || x.q::text || ')', ' | '), '')
      from (select distinct websearch_to_tsquery(mutual_ts_config(l), ${words}) as q from unnest(${languages}) as l) x
      where numnode(x.q) > 0) as query,
    ${author && slug ? memberIdByNameSql(group, author) : sql`null::int`} as author_id`)) as unknown as {
    rows: { query: string | null; author_id: number | string | null }[];
  };
  const row = result.rows[0];
  return { query: row?.query ?? '', authorId: row?.author_id == null ? null : Number(row.author_id) };
}

/**
 * Relevance ranks the most recent matches, this many: enough for every page a person may open.
 * Ranking every match of a common word ("feel" is in a third of all posts) would read them all.
 */
const CANDIDATES = MAX_PAGE * PAGE_SIZE + 1;

interface HitRow {
  post_id: number;
  thread_id: number;
  thread_title: string;
  group_slug: string;
  group_name: string;
  author: string | null;
  anonymous: boolean;
  anonymous_number: number | null;
  is_opening: boolean;
  awaiting: boolean;
  created_ms: number;
  snippet: string | null;
  warning: string | null;
}

/**
 * Searches the discussions this person may read: one group's (`group`, a slug: its own page or
 * the filter) or, without one, every public listed group's and the groups they belong to or lead.
 * Site administrators search across groups like anyone; they search another group by choosing it.
 */
export async function searchDiscussions(
  db: Db,
  actor: Actor,
  query: unknown,
  /** A group's own search page offers no choice of group: it need not load them. */
  opts: { groupChoices?: boolean } = {},
): Promise<SearchResults> {
  const parsed = searchInput.safeParse(query ?? {});
  // The group is needed even when something else in the form is wrong: its page shows it.
  const slug = parsed.success ? parsed.data.group : groupOnly.parse(query ?? {}).group;
  // Across groups, the person's own groups widen the search; with a group chosen they only fill the filter.
  const ownNeeded = !slug || opts.groupChoices !== false;
  const words = parsed.success ? parsed.data.q : undefined;
  // The query is prepared alongside the access checks (nothing of it is shown until they pass).
  const [own, group, prepared] = await Promise.all([
    ownNeeded ? accessOwnGroups(db, actor) : Promise.resolve([]),
    slug ? accessGroup(db, actor, slug) : Promise.resolve(null),
    words ? prepareQuery(db, words, slug, parsed.data?.author) : Promise.resolve(null),
  ]);
  if (group) assertCanReadDiscussions(group);
  const readable = own.filter(canReadDiscussions);
  const groups = readable
    .map((a) => ({ slug: a.group.slug, name: a.group.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const nothing = { group, groups, hits: [], more: false };
  if (!parsed.success) return { ...nothing, input: null, errors: fieldErrorsOf(parsed.error), searched: false };
  const input = parsed.data;
  const empty = { ...nothing, input, errors: {} };
  if (!input.q || !prepared) return { ...empty, searched: false };
  // Only words every language leaves out ("the", "and"), or a name nobody goes by in the group.
  if (prepared.query === '' || (input.author && prepared.authorId === null)) return { ...empty, searched: true };
  const authorId = input.author ? prepared.authorId : null;
  const tsquery = sql`${prepared.query}::tsquery`;

  const viewer = actor?.id ?? null;
  const me = viewer ?? -1;
  const tz = actor?.timeZone ?? 'UTC';
  const readableIds = readable.map((a) => a.group.id);
  // The posts table keeps its name (not an alias) in the search: other features' SQL fragments
  // (content warnings) refer to "posts".
  const where: SQL[] = [
    sql`posts.search @@ ${tsquery}`,
    // The rules of canSeePost for a reader who does not moderate: moderators see hidden posts on
    // the thread page, but search never shows them (nor others' posts awaiting approval).
    sql`posts.deleted_at is null and posts.hidden_at is null
      and (posts.status = 'published' or (posts.status = 'pending' and posts.author_id = ${me}))`,
    // A thread is there only while its opening post is (the thread page is not found otherwise).
    sql`o.deleted_at is null and o.hidden_at is null
      and (o.status = 'published' or (o.status = 'pending' and o.author_id = ${me}))`,
    group
      ? sql`posts.group_id = ${group.group.id}`
      : readableIds.length > 0
        ? sql`((g.visibility = 'public' and g.listed) or posts.group_id in (${sql.join(
            readableIds.map((id) => sql`${id}`),
            sql`, `,
          )}))`
        : sql`(g.visibility = 'public' and g.listed)`,
  ];
  if (viewer !== null) {
    // Named posts, and threads started by name, of someone a block stands between; anonymous ones
    // stay (a block must not tell who wrote them). Posts the reader hid for themselves stay hidden.
    const apart = (row: string) =>
      sql`not (not ${sql.raw(row)}.anonymous
        and ${blockedBetweenSql(viewer, sql.raw(`${row}.group_id`), sql.raw(`${row}.author_id`))})`;
    where.push(apart('posts'), apart('o'));
    where.push(sql`not exists (select 1 from hidden_posts hp where hp.user_id = ${viewer} and hp.post_id = posts.id)`);
  }
  if (authorId !== null) where.push(sql`posts.author_id = ${authorId} and not posts.anonymous`);
  if (input.from) where.push(sql`posts.created_at >= (${input.from}::date::timestamp at time zone ${tz})`);
  if (input.to) where.push(sql`posts.created_at < ((${input.to}::date + 1)::timestamp at time zone ${tz})`);

  const relevance = input.sort === 'relevance';
  const offset = (input.page - 1) * PAGE_SIZE;
  const headline = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;
  /*
   * Matches are taken newest first (by id, the order posts are written in). For a common word
   * PostgreSQL walks posts backwards and stops once it has enough; for a rare one it collects them
   * from the GIN index; with a group chosen, from that group's posts. Relevance then ranks the
   * newest CANDIDATES matches. Names, titles and snippets are made for the one page shown.
   */
  const matches = sql`select posts.id, posts.search from posts
    join groups g on g.id = posts.group_id
    join posts o on o.thread_id = posts.thread_id and o.is_opening
    where ${sql.join(where, sql` and `)}
    order by posts.id desc`;
  const page = relevance
    ? sql`select m.id, ts_rank(m.search, ${tsquery}) as rank from (${matches} limit ${CANDIDATES}) m
        order by rank desc, m.id desc limit ${PAGE_SIZE + 1} offset ${offset}`
    : sql`select m.id, 0::real as rank from (${matches} limit ${PAGE_SIZE + 1} offset ${offset}) m`;
  const result = (await db.execute(sql`
    select posts.id as post_id, posts.thread_id, t.title as thread_title, g.slug as group_slug, g.name as group_name,
      case when posts.anonymous then null else ${memberNameSql(sql.raw('posts.group_id'), sql.raw('posts.author_id'))} end as author,
      posts.anonymous, posts.anonymous_number, posts.is_opening, posts.status = 'pending' as awaiting,
      (extract(epoch from posts.created_at) * 1000)::float8 as created_ms,
      case when ${warningOpenSql(viewer)} then ts_headline(mutual_ts_config(g.language),
        translate(posts.body, ${MARK_START + MARK_END}, ''), ${tsquery}, ${headline}) end as snippet,
      case when ${warningOpenSql(viewer)} then null else posts.content_warning end as warning
    from (${page}) p
    join posts on posts.id = p.id
    join threads t on t.id = posts.thread_id
    join groups g on g.id = posts.group_id
    order by p.rank desc, p.id desc
  `)) as unknown as { rows: HitRow[] };
  const rows = result.rows;
  return {
    ...empty,
    searched: true,
    more: rows.length > PAGE_SIZE,
    hits: rows.slice(0, PAGE_SIZE).map((r) => ({
      postId: r.post_id,
      threadId: r.thread_id,
      threadTitle: r.thread_title,
      groupSlug: r.group_slug,
      groupName: r.group_name,
      author: r.author,
      anonymous: r.anonymous,
      anonymousNumber: r.anonymous_number,
      isOpening: r.is_opening,
      awaiting: r.awaiting,
      createdAt: new Date(r.created_ms),
      snippet: r.snippet ?? '',
      warning: r.warning,
    })),
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
  // A stray marker (a fragment cut between two) is dropped rather than shown.
  return parts.map((p) => ({ ...p, text: p.text.replaceAll(MARK_START, '').replaceAll(MARK_END, '') }));
}
