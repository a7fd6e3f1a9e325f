import { sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import { resolvePlace } from './places.js';
import { directoryAudiences, directoryFormats } from './schema.js';
import { isTimeZone } from './schedule.js';
import {
  accessChoices,
  directorySql,
  expandTopics,
  parseJson,
  pgArray,
  toFacets,
  toResults,
  type MainRow,
  type SearchPlan,
} from './search-query.js';
import { loadTaxonomy } from './topic-matching.js';
import { directorySorts, timeWindows, type DirectoryQuery, type DirectoryResults } from './types.js';

export { matchTopics, type MatchedTopic } from './topic-matching.js';

const PAGE_SIZE = 20;
/** Deeper pages than this are not useful to a person and cost the database a long scan. */
const MAX_PAGE = 250;
export const withinChoices = [5, 10, 25, 50, 100] as const;
/** Label of a shared browser location (the page shows it in the visitor's language). */
export const yourLocation = 'your location';

/** One value or many (a repeated query-string key), as a list of strings. */
const many = z
  .union([z.string(), z.array(z.unknown())])
  .optional()
  .catch(undefined)
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string')));

function oneOf<T extends string>(values: readonly T[]) {
  return many.transform((list) => [...new Set(list.filter((v): v is T => (values as readonly string[]).includes(v)))]);
}

const single = z
  .union([z.string(), z.array(z.unknown())])
  .optional()
  .catch(undefined)
  .transform((v) => {
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' ? first.trim() : '';
  });

const rawQuery = z.object({
  q: single.transform((v) => v.replace(/\s+/g, ' ').slice(0, 200)),
  topic: many.transform((list) => [...new Set(list.filter((v) => /^[a-z0-9-]{1,60}$/.test(v)))].slice(0, 20)),
  format: oneOf(directoryFormats),
  leadership: oneOf(['peer', 'professional'] as const),
  access: oneOf(accessChoices),
  language: many.transform((list) => [...new Set(list.filter((v) => /^[a-z]{2,3}$/.test(v)))].slice(0, 10)),
  audience: oneOf(directoryAudiences),
  when: oneOf(timeWindows),
  tz: single,
  near: single.transform((v) => v.slice(0, 100)),
  lat: single,
  lon: single,
  within: single,
  kind: oneOf(['group', 'listing'] as const),
  sort: single,
  page: single,
});

function coordinate(text: string, limit: number): number | null {
  if (!/^-?\d{1,3}(\.\d{1,8})?$/.test(text)) return null;
  const n = Number(text);
  return Math.abs(n) <= limit ? n : null;
}

/** The visitor's query from /groups's URL query string (zod, never throws: bad values fall back to defaults). */
export function parseDirectoryQuery(raw: unknown, defaults: { timeZone: string }): DirectoryQuery {
  const parsed = rawQuery.safeParse(raw && typeof raw === 'object' ? raw : {});
  const r = parsed.success ? parsed.data : rawQuery.parse({});
  const query = emptyDirectoryQuery(r.tz.length <= 64 && isTimeZone(r.tz) ? r.tz : defaults.timeZone);
  const lat = coordinate(r.lat, 90);
  const lon = coordinate(r.lon, 180);
  const near =
    r.near !== ''
      ? resolvePlace(r.near)
      : lat !== null && lon !== null
        ? { label: yourLocation, latitude: lat, longitude: lon, country: null }
        : null;
  const within = Number(r.within);
  const sort = (directorySorts as readonly string[]).includes(r.sort)
    ? (r.sort as DirectoryQuery['sort'])
    : 'relevance';
  const page = Number.parseInt(r.page, 10);
  return {
    ...query,
    text: r.q,
    topics: r.topic,
    formats: r.format,
    leadership: r.leadership,
    access: r.access,
    languages: r.language,
    audiences: r.audience,
    when: r.when,
    near,
    withinKm: (withinChoices as readonly number[]).includes(within) ? within : 25,
    kinds: r.kind,
    sort: sort === 'distance' && !near ? 'relevance' : sort,
    page: Number.isFinite(page) ? Math.min(Math.max(page, 1), MAX_PAGE) : 1,
  };
}

/** A query with nothing chosen: every listed entry, most relevant (then most active) first. */
export function emptyDirectoryQuery(timeZone = 'UTC'): DirectoryQuery {
  return {
    text: '',
    topics: [],
    formats: [],
    leadership: [],
    access: [],
    languages: [],
    audiences: [],
    when: [],
    timeZone,
    near: null,
    withinKm: 25,
    kinds: [],
    sort: 'relevance',
    page: 1,
    pageSize: PAGE_SIZE,
  };
}

/** Edits (insert, delete, substitute, swap two neighbours) between two short words. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Words as the 'simple' text-search parser sees them: lower case, accents kept. */
function lexiconWords(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/**
 * "diabetis" → "diabetes": each word of the text the lexicon lacks, replaced by the closest word
 * there. Trigram similarity finds a few candidates (with the index); the fewest edits wins, then
 * the word more entries use ("diabetes" over "diabetic", one edit each).
 */
async function correctSpelling(db: DbOrTx, text: string): Promise<string | null> {
  const words = [...new Set(lexiconWords(text).filter((w) => w.length >= 4))].slice(0, 8);
  if (words.length === 0) return null;
  const result = (await db.execute(sql`
    select w.input, (
      select coalesce(json_agg(json_build_object('word', c.word, 'entries', c.entries, 'similarity', c.similarity)), '[]'::json)
      from (
        select s.word, s.entries, similarity(s.word, w.input) as similarity from search_words s
        where s.word % w.input and similarity(s.word, w.input) >= 0.4
        order by similarity(s.word, w.input) desc, s.entries desc limit 6) c) as candidates
    from unnest(${pgArray(words)}::text[]) as w(input)
    where not exists (select 1 from search_words k where k.word = w.input)`)) as unknown as {
    rows: { input: string; candidates: unknown }[];
  };
  const fixes = new Map<string, string>();
  for (const row of result.rows) {
    const candidates = parseJson<{ word: string; entries: number; similarity: number }[]>(row.candidates);
    const best = candidates
      .map((c) => ({ ...c, edits: editDistance(row.input, c.word) }))
      .sort((a, b) => a.edits - b.edits || b.entries - a.entries || b.similarity - a.similarity)[0];
    if (best) fixes.set(row.input, best.word);
  }
  if (fixes.size === 0) return null;
  // Replace within the person's own text, keeping its quotes, "or" and minus signs.
  return text.replace(/\p{L}+/gu, (word) => fixes.get(word.toLowerCase()) ?? word);
}

/** Ranked, faceted results; only listed entries; never anything a visitor may not see. */
export async function searchDirectory(
  db: DbOrTx,
  query: DirectoryQuery,
  opts: { cacheMs?: number } = {},
): Promise<DirectoryResults> {
  const cacheMs = opts.cacheMs ?? 0;
  if (cacheMs <= 0) return runSearch(db, query);
  let cache = recentSearches.get(db);
  if (!cache) {
    cache = new LRUCache<string, Promise<DirectoryResults>>({ max: 500, ttl: cacheMs });
    recentSearches.set(db, cache);
  }
  const key = JSON.stringify(query);
  const known = cache.get(key);
  if (known) return known;
  // The answer being worked out is shared too: twenty visitors arriving together cost one search.
  const answer = runSearch(db, query);
  cache.set(key, answer);
  answer.catch(() => cache.delete(key));
  return answer;
}

/**
 * Recent answers, per database, for a few seconds: the landing page and popular searches are
 * asked for again and again, and one answer costs the database far more than a page's other
 * work. A change (a new group, a group unlisted) shows once the answer expires.
 */
const recentSearches = new WeakMap<object, LRUCache<string, Promise<DirectoryResults>>>();

async function runSearch(db: DbOrTx, query: DirectoryQuery): Promise<DirectoryResults> {
  const taxonomy = await loadTaxonomy(db);
  const text = query.text.trim();
  const correctedText = text ? await correctSpelling(db, text) : null;
  const matched = text ? taxonomy.match(correctedText ?? text) : [];
  const pageSize = query.pageSize;
  const plan: SearchPlan = {
    query,
    taxonomy,
    texts: text ? (correctedText ? [text, correctedText] : [text]) : [],
    matchedTopicIds: expandTopics(
      taxonomy,
      matched.map((m) => m.slug),
    ),
    pageSize,
    offset: (Math.min(Math.max(query.page, 1), MAX_PAGE) - 1) * pageSize,
  };
  const result = (await db.execute(directorySql(plan))) as unknown as { rows: MainRow[] };
  const row = result.rows[0] as MainRow;
  return {
    total: row.total,
    results: toResults(row, taxonomy),
    facets: toFacets(row, query, taxonomy),
    correctedText,
    matchedTopics: matched.map((m) => ({ slug: m.slug, name: m.name })),
  };
}

/** The address of /groups showing this query (for paging, and for the guided flow's "see all in the directory"). */
export function directoryHref(query: DirectoryQuery, page = 1): string {
  const params = new URLSearchParams();
  if (query.text) params.set('q', query.text);
  for (const v of query.topics) params.append('topic', v);
  for (const v of query.formats) params.append('format', v);
  for (const v of query.leadership) params.append('leadership', v);
  for (const v of query.access) params.append('access', v);
  for (const v of query.languages) params.append('language', v);
  for (const v of query.audiences) params.append('audience', v);
  for (const v of query.when) params.append('when', v);
  for (const v of query.kinds) params.append('kind', v);
  if (query.near) {
    if (query.near.label === yourLocation) {
      params.set('lat', query.near.latitude.toFixed(4));
      params.set('lon', query.near.longitude.toFixed(4));
    } else params.set('near', query.near.label);
    params.set('within', String(query.withinKm));
  }
  if (query.when.length && query.timeZone !== 'UTC') params.set('tz', query.timeZone);
  if (query.sort !== 'relevance') params.set('sort', query.sort);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/groups?${search}` : '/groups';
}
