import { asc } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { topics } from './schema.js';

export interface MatchedTopic {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  forCarers: boolean;
}

/** The taxonomy as search reads it: looked up by slug and id, with each category's children and every phrase that names a topic. */
export interface Taxonomy {
  list: MatchedTopic[];
  bySlug: Map<string, MatchedTopic>;
  byId: Map<number, MatchedTopic>;
  children: Map<number, number[]>;
  /** parentsArray[id - 1] is the topic's category (null for a category): a PostgreSQL array subscripted by id. */
  parentsArray: (number | null)[];
  /** Topics named in a piece of text, longest phrase first. */
  match(text: string): MatchedTopic[];
}

/**
 * Topics change rarely (a site admin edits them), and search reads them on every request: each
 * process keeps them for a minute. Time, not events, keeps processes in step, so an edit shows
 * everywhere within a minute with nothing to broadcast.
 */
const TTL_MS = 60_000;
const cache = new WeakMap<object, { at: number; taxonomy: Promise<Taxonomy> }>();

export function loadTaxonomy(db: DbOrTx): Promise<Taxonomy> {
  const cached = cache.get(db);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.taxonomy;
  const taxonomy = readTaxonomy(db);
  cache.set(db, { at: Date.now(), taxonomy });
  // A failed read must not be remembered.
  taxonomy.catch(() => cache.delete(db));
  return taxonomy;
}

/** Forget the cached taxonomy of this database at once (after an admin's edit, in the same process). */
export function forgetTaxonomy(db: DbOrTx): void {
  cache.delete(db);
}

/**
 * Lower case, accents and punctuation away, as words: "Crohn’s  Disease!" → ["crohn's", "disease"].
 * Apostrophes stay inside words and "+" at their end ("lgbtqia+"), as the taxonomy spells them.
 */
export function normaliseWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}'+/]+/gu, ' ')
    .split(' ')
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

async function readTaxonomy(db: DbOrTx): Promise<Taxonomy> {
  const rows = await db
    .select({
      id: topics.id,
      slug: topics.slug,
      name: topics.name,
      parentId: topics.parentId,
      forCarers: topics.forCarers,
      synonyms: topics.synonyms,
    })
    .from(topics)
    .orderBy(asc(topics.position), asc(topics.name));
  const list: MatchedTopic[] = rows.map((t) => ({
    id: t.id,
    slug: t.slug,
    name: t.name,
    parentId: t.parentId,
    forCarers: t.forCarers,
  }));
  const byId = new Map(list.map((t) => [t.id, t]));
  const children = new Map<number, number[]>();
  for (const t of list) {
    if (t.parentId === null) continue;
    children.set(t.parentId, [...(children.get(t.parentId) ?? []), t.id]);
  }
  const maxId = Math.max(0, ...list.map((t) => t.id));
  const parentsArray = Array.from({ length: maxId }, (_, i) => byId.get(i + 1)?.parentId ?? null);
  // Each phrase ("multiple sclerosis", "ms") and the topics it names, longest first.
  const phrases = new Map<string, MatchedTopic[]>();
  for (const row of rows) {
    const topic = byId.get(row.id) as MatchedTopic;
    for (const phrase of [row.name, ...row.synonyms]) {
      const key = normaliseWords(phrase).join(' ');
      if (!key) continue;
      const named = phrases.get(key) ?? [];
      if (!named.includes(topic)) named.push(topic);
      phrases.set(key, named);
    }
  }
  const ordered = [...phrases.entries()].sort((a, b) => b[0].length - a[0].length);
  return {
    list,
    bySlug: new Map(list.map((t) => [t.slug, t])),
    byId,
    children,
    parentsArray,
    match(text) {
      let padded = ` ${normaliseWords(text).join(' ')} `;
      const found: MatchedTopic[] = [];
      for (const [phrase, named] of ordered) {
        const at = padded.indexOf(` ${phrase} `);
        if (at < 0) continue;
        // A longer phrase takes its words: "multiple sclerosis" is not also "sclerosis".
        padded = `${padded.slice(0, at)} ${'_'.repeat(phrase.length)} ${padded.slice(at + phrase.length + 2)}`;
        for (const t of named) if (!found.includes(t)) found.push(t);
      }
      return found;
    },
  };
}

/**
 * Topics a piece of text names, by their name or a synonym, as whole words or phrases, longest
 * first ("my mum has dementia" → Caring for someone with dementia, Living with dementia, …).
 */
export async function matchTopics(db: DbOrTx, text: string): Promise<MatchedTopic[]> {
  return (await loadTaxonomy(db)).match(text);
}

/** Every topic, categories and their children in the admins' order (cached like matching). */
export async function listTopics(db: DbOrTx): Promise<MatchedTopic[]> {
  return (await loadTaxonomy(db)).list;
}
