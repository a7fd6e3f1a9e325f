import { sql, type SQL } from 'drizzle-orm';
import { directoryAccess, directoryAudiences, directoryFormats } from './schema.js';
import { windowRanges } from './schedule.js';
import type { Taxonomy } from './topic-matching.js';
import { timeWindows, type DirectoryQuery, type DirectoryResult, type FacetName, type FacetValue } from './types.js';

/**
 * The one statement behind a directory search: the page of results, the total and every facet's
 * counts, in one round trip whatever the page size.
 *
 * `base` holds the entries the text and place allow, with one flag per chosen facet; an entry
 * failing two facets counts nowhere, so it is left out at once. A facet's counts come from the
 * entries that pass every other facet; the results are the entries that pass them all.
 */

export const accessChoices = [...directoryAccess, 'free'] as const;
/** Text-search configurations an entry may use (mutual_ts_config in migration 0007), besides 'simple'. */
const languageConfigs = ['english', 'spanish', 'french', 'german', 'italian', 'portuguese', 'dutch', 'turkish'];
const EARTH_KM = 6371;
const facetNames: FacetName[] = ['topic', 'format', 'leadership', 'access', 'language', 'audience', 'when', 'kind'];

/** A PostgreSQL array literal, sent as one parameter (cast it in SQL: `::int[]`, `::text[]`). */
export function pgArray(values: readonly (string | number | null)[]): string {
  const items = values.map((v) =>
    v === null ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`,
  );
  return `{${items.join(',')}}`;
}

function any(conditions: SQL[]): SQL {
  return conditions.length === 0 ? sql`false` : sql`(${sql.join(conditions, sql` or `)})`;
}

function inRanges(column: SQL, ranges: [number, number][]): SQL {
  return any(ranges.map(([from, to]) => sql`(${column} >= ${from} and ${column} < ${to})`));
}

/** Every topic id the chosen slugs stand for: each topic, and a category's children. */
export function expandTopics(taxonomy: Taxonomy, slugs: string[]): number[] {
  const ids = new Set<number>();
  for (const slug of slugs) {
    const topic = taxonomy.bySlug.get(slug);
    if (!topic) continue;
    ids.add(topic.id);
    for (const child of taxonomy.children.get(topic.id) ?? []) ids.add(child);
  }
  return [...ids];
}

function facetFilters(query: DirectoryQuery, topicIds: number[]): Record<FacetName, SQL | null> {
  const access: SQL[] = [];
  const policies = query.access.filter((a) => a !== 'free');
  if (policies.length) access.push(sql`e.access = any(${pgArray(policies)}::text[])`);
  if (query.access.includes('free')) access.push(sql`e.free`);
  const when = query.when.length
    ? // Computed once for the statement (a hashed subplan), not once per entry.
      sql`e.id in (select m.entry_id from meeting_times m where ${inRanges(sql`m.utc_week_minute`, windowRanges(query.when, query.timeZone))})`
    : null;
  return {
    topic: query.topics.length ? sql`e.topic_ids && ${pgArray(topicIds)}::int[]` : null,
    format: query.formats.length ? sql`e.formats && ${pgArray(query.formats)}::text[]` : null,
    leadership: query.leadership.length ? sql`e.leadership = any(${pgArray(query.leadership)}::text[])` : null,
    access: access.length ? any(access) : null,
    language: query.languages.length ? sql`e.language = any(${pgArray(query.languages)}::text[])` : null,
    audience: query.audiences.length ? sql`e.audiences && ${pgArray(query.audiences)}::text[]` : null,
    when,
    kind: query.kinds.length ? sql`e.kind::text = any(${pgArray(query.kinds)}::text[])` : null,
  };
}

export interface SearchPlan {
  query: DirectoryQuery;
  taxonomy: Taxonomy;
  /** The person's text, and its spelling-corrected form when there is one. */
  texts: string[];
  /** Topics the text named, with a category's children. */
  matchedTopicIds: number[];
  pageSize: number;
  offset: number;
}

/** The text in each configuration: constant, so PostgreSQL folds it once and the GIN index can use it. */
function tsquery(config: string, texts: string[]): SQL {
  return sql.join(
    texts.flatMap((v) => [
      sql`websearch_to_tsquery(${config}::regconfig, ${v})`,
      sql`websearch_to_tsquery('simple', ${v})`,
    ]),
    sql` || `,
  );
}

export function directorySql(plan: SearchPlan): SQL {
  const { query, taxonomy, texts, matchedTopicIds } = plan;
  const filters = facetFilters(query, expandTopics(taxonomy, query.topics));
  const chosen = facetNames.filter((f) => filters[f]);
  const flag = (f: FacetName) => sql.raw(`f_${f}`);

  const where: SQL[] = [sql`e.listed`];
  let textRank: SQL = sql`0`;
  let queries = sql``;
  if (texts.length) {
    // Computed once, in a scalar subquery: the planner then treats the query as selective (which
    // a search almost always is) and reads the GIN index, rather than guessing from 18 alternatives.
    queries = sql`${sql.join(
      languageConfigs.map((c) => sql`(${tsquery(c, texts)}) as ${sql.raw(c)}`),
      sql`, `,
    )}, (${tsquery('simple', texts)}) as simple,
    (select coalesce(string_agg(distinct '(' || x::text || ')', ' | '), '')::tsquery
      from unnest(array[${sql.join(
        [...languageConfigs, 'simple'].map((c) => tsquery(c, texts)),
        sql`, `,
      )}]) as x where x::text <> '') as every, ${pgArray(matchedTopicIds)}::int[] as topics`;
    // The topics the text named, from q too, so both halves read their GIN index (a BitmapOr).
    const match = [sql`e.search @@ (select every from q)`];
    if (matchedTopicIds.length) match.push(sql`e.topic_ids && (select topics from q)`);
    where.push(any(match));
    // Ranked in the entry's own language: name (A) above tags and topics (B), summary (C), description (D).
    // ts_rank, not ts_rank_cd: a third of the cost on long descriptions, and the weights are what matter here.
    textRank = sql`ts_rank(e.search, case e.ts_config ${sql.join(
      languageConfigs.map((c) => sql`when ${c}::regconfig then (select ${sql.raw(c)} from q)`),
      sql` `,
    )} else (select simple from q) end)`;
  }
  let distance: SQL = sql`null::float8`;
  if (query.near) {
    const { latitude: lat, longitude: lon } = query.near;
    const km = query.withinKm;
    distance = sql`(2 * ${EARTH_KM} * asin(least(1, sqrt(
      power(sin(radians(e.latitude - ${lat}::float8) / 2), 2)
      + cos(radians(${lat}::float8)) * cos(radians(e.latitude)) * power(sin(radians(e.longitude - ${lon}::float8) / 2), 2)))))`;
    // A box around the place first (the index on latitude, longitude), then the exact distance.
    const dLat = km / 111.0;
    where.push(sql`e.latitude between ${lat - dLat}::float8 and ${lat + dLat}::float8`);
    const cosLat = Math.cos((lat * Math.PI) / 180);
    const dLon = cosLat > 0.01 ? km / (111.0 * cosLat) : 360;
    if (lon - dLon > -180 && lon + dLon < 180) {
      where.push(sql`e.longitude between ${lon - dLon}::float8 and ${lon + dLon}::float8`);
    } else where.push(sql`e.longitude is not null`);
    where.push(sql`${distance} <= ${km}::float8`);
  }
  if (chosen.length > 1) {
    const failures = sql.join(
      chosen.map((f) => sql`(not ${filters[f] as SQL})::int`),
      sql` + `,
    );
    where.push(sql`${failures} <= 1`);
  }

  const topicBonus = matchedTopicIds.length
    ? sql`(case when e.topic_ids && ${pgArray(matchedTopicIds)}::int[] then 1.5 else 0 end)`
    : sql`0`;
  // Log-scaled, so a group of 2,000 is not a hundred times more relevant than a lively group of 20.
  const activity = sql`(0.12 * ln(1 + e.active_members) + 0.06 * ln(1 + e.posts_last_30_days) + 0.4 * e.reply_rate)`;
  const score = sql`(2 * ${textRank} + ${topicBonus} + ${activity})`;
  const order =
    query.sort === 'active'
      ? sql`b.active_members desc, b.posts_last_30_days desc, b.last_activity_at desc nulls last, b.id`
      : query.sort === 'newest'
        ? sql`b.created_at desc, b.id desc`
        : query.sort === 'distance' && query.near
          ? sql`b.distance, b.score desc, b.id`
          : sql`b.score desc, b.last_activity_at desc nulls last, b.id`;

  const passes = (except: FacetName | null) => {
    const kept = chosen.filter((f) => f !== except).map((f) => sql`b.${flag(f)}`);
    return kept.length ? sql.join(kept, sql` and `) : sql`true`;
  };
  // Facets with a few known values are counted in one pass over base, one filtered count each.
  const fixedCounts: [string, FacetName, SQL][] = [
    ...directoryFormats.map((f): [string, FacetName, SQL] => [
      `format:${f}`,
      'format',
      sql`b.formats @> ${pgArray([f])}::text[]`,
    ]),
    ...(['peer', 'professional'] as const).map((l): [string, FacetName, SQL] => [
      `leadership:${l}`,
      'leadership',
      sql`b.leadership = ${l}`,
    ]),
    ...directoryAccess.map((a): [string, FacetName, SQL] => [`access:${a}`, 'access', sql`b.access = ${a}`]),
    ['access:free', 'access', sql`b.free`],
    ...directoryAudiences.map((a): [string, FacetName, SQL] => [
      `audience:${a}`,
      'audience',
      sql`b.audiences @> ${pgArray([a])}::text[]`,
    ]),
    ...(['group', 'listing'] as const).map((k): [string, FacetName, SQL] => [`kind:${k}`, 'kind', sql`b.kind = ${k}`]),
    // A category counts the entries filed under it or any of its children, once each.
    ...taxonomy.list
      .filter((t) => t.parentId === null)
      .map((t): [string, FacetName, SQL] => [
        `category:${t.id}`,
        'topic',
        sql`b.topic_ids && ${pgArray([t.id, ...(taxonomy.children.get(t.id) ?? [])])}::int[]`,
      ]),
  ];
  const fixed = sql.join(
    fixedCounts.map(
      ([name, facet, condition]) =>
        sql`count(*) filter (where ${passes(facet)} and ${condition}) as ${sql.identifier(name)}`,
    ),
    sql`, `,
  );
  const windows = sql.join(
    timeWindows.flatMap((w) =>
      windowRanges([w], query.timeZone).map(([lo, hi]) => sql`(${w}, ${lo}::int, ${hi}::int)`),
    ),
    sql`, `,
  );

  return sql`
    with ${texts.length ? sql`q as materialized (select ${queries}),` : sql``}
    base as materialized (
      select e.id, e.kind::text as kind, e.leadership, e.access, e.free, e.language, e.formats, e.audiences,
        e.topic_ids, e.active_members, e.posts_last_30_days, e.last_activity_at, e.created_at,
        ${distance} as distance, ${score} as score
        ${
          chosen.length
            ? sql`, ${sql.join(
                chosen.map((f) => sql`${filters[f] as SQL} as ${flag(f)}`),
                sql`, `,
              )}`
            : sql``
        }
      from directory_entries e
      where ${sql.join(where, sql` and `)}
    ),
    page as (
      select s.*, row_number() over () as ord from (
        select b.id, b.distance, b.score from base b where ${passes(null)}
        order by ${order} limit ${plan.pageSize} offset ${plan.offset}) s
    )
    select
      (select count(*) from base b where ${passes(null)})::int as total,
      (select coalesce(json_agg(json_build_object(
        'id', e.id, 'kind', e.kind, 'slug', g.slug, 'listingId', e.listing_id, 'name', e.name, 'summary', e.summary,
        'leadership', e.leadership, 'access', e.access, 'free', e.free, 'visibility', e.visibility,
        'language', e.language, 'tags', e.tags, 'formats', e.formats, 'audiences', e.audiences, 'topicIds', e.topic_ids,
        'memberCount', e.member_count, 'activeMembers', e.active_members, 'replyRate', e.reply_rate,
        'lastActivityAt', e.last_activity_at, 'placeName', e.place_name, 'distance', p.distance, 'score', p.score,
        'meetings', (select coalesce(json_agg(json_build_object('weekday', m.weekday, 'startMinute', m.start_minute,
            'durationMinutes', m.duration_minutes, 'timeZone', m.time_zone, 'place', m.place)
            order by m.utc_week_minute), '[]'::json) from meeting_times m where m.entry_id = e.id)
        ) order by p.ord), '[]'::json)
        from page p join directory_entries e on e.id = p.id left join groups g on g.id = e.group_id) as results,
      (select row_to_json(x) from (select ${fixed} from base b) x) as fixed,
      (select coalesce(json_agg(json_build_object('value', v, 'count', n)), '[]'::json) from (
        select u.t::text as v, count(*) as n from base b cross join lateral unnest(b.topic_ids) as u(t)
        where ${passes('topic')} group by u.t) c) as topic,
      (select coalesce(json_agg(json_build_object('value', v, 'count', n)), '[]'::json) from (
        select b.language as v, count(*) as n from base b where ${passes('language')} group by b.language) c) as language,
      (select coalesce(json_agg(json_build_object('value', w, 'count', n)), '[]'::json) from (
        select r.w, count(distinct b.id) as n
        from base b join meeting_times m on m.entry_id = b.id
          join (values ${windows}) as r(w, lo, hi) on m.utc_week_minute >= r.lo and m.utc_week_minute < r.hi
        where ${passes('when')}
        group by r.w) c) as "when"`;
}

export interface MainRow {
  total: number;
  results: unknown;
  fixed: unknown;
  topic: unknown;
  language: unknown;
  when: unknown;
}

interface ResultRow {
  id: number;
  kind: 'group' | 'listing';
  slug: string | null;
  listingId: number | null;
  name: string;
  summary: string;
  leadership: DirectoryResult['leadership'];
  access: DirectoryResult['access'];
  free: boolean;
  visibility: DirectoryResult['visibility'];
  language: string;
  formats: DirectoryResult['formats'];
  audiences: DirectoryResult['audiences'];
  topicIds: number[];
  tags: string[];
  memberCount: number;
  activeMembers: number;
  replyRate: number;
  lastActivityAt: string | null;
  placeName: string | null;
  distance: number | null;
  score: number;
  meetings: DirectoryResult['meetingTimes'];
}

/** PGlite and node-postgres hand json back parsed; a driver setting could make it text. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function toResults(row: MainRow, taxonomy: Taxonomy): DirectoryResult[] {
  return parseJson<ResultRow[]>(row.results).map((r) => ({
    entryId: r.id,
    kind: r.kind,
    href: r.kind === 'group' ? `/g/${r.slug ?? ''}` : `/listings/${r.listingId ?? ''}`,
    name: r.name,
    summary: r.summary,
    leadership: r.leadership,
    access: r.access,
    free: r.free,
    visibility: r.visibility,
    language: r.language,
    formats: r.formats,
    audiences: r.audiences,
    topics: r.topicIds.flatMap((id) => {
      const t = taxonomy.byId.get(id);
      return t ? [{ slug: t.slug, name: t.name }] : [];
    }),
    tags: r.tags,
    memberCount: r.memberCount,
    activeMembers: r.activeMembers,
    replyRate: r.replyRate,
    lastActivityAt: r.lastActivityAt ? new Date(r.lastActivityAt) : null,
    placeName: r.placeName,
    distanceKm: r.distance === null ? null : Math.round(r.distance * 10) / 10,
    meetingTimes: r.meetings,
    score: r.score,
  }));
}

export function toFacets(row: MainRow, query: DirectoryQuery, taxonomy: Taxonomy): Record<FacetName, FacetValue[]> {
  const grouped = (name: 'topic' | 'language' | 'when') =>
    new Map(parseJson<{ value: string; count: number }[]>(row[name]).map((c) => [c.value, Number(c.count)]));
  const fixedCounts = parseJson<Record<string, number>>(row.fixed);
  // Fixed lists show every value (a zero tells the visitor something too); open lists show what exists and what was chosen.
  const fixed = (name: FacetName, values: readonly string[]) =>
    values.map((value) => ({ value, count: Number(fixedCounts[`${name}:${value}`] ?? 0) }));
  const languages = grouped('language');
  for (const v of query.languages) if (!languages.has(v)) languages.set(v, 0);
  const own = grouped('topic');
  const when = grouped('when');
  const topicCount = (id: number, parentId: number | null) =>
    parentId === null ? Number(fixedCounts[`category:${id}`] ?? 0) : (own.get(String(id)) ?? 0);
  return {
    topic: taxonomy.list
      .map((t) => ({ value: t.slug, count: topicCount(t.id, t.parentId) }))
      .filter((v) => v.count > 0 || query.topics.includes(v.value)),
    format: fixed('format', directoryFormats),
    leadership: fixed('leadership', ['peer', 'professional']),
    access: fixed('access', accessChoices),
    language: [...languages.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => a.value.localeCompare(b.value)),
    audience: fixed('audience', directoryAudiences),
    when: timeWindows.map((value) => ({ value, count: when.get(value) ?? 0 })),
    kind: fixed('kind', ['group', 'listing']),
  };
}
