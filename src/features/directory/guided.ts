import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import { withValues, type FieldErrors } from '../../platform/views/forms.js';
import { detectRisk } from '../safety/index.js';
import { readText, type Audience } from './guided-cues/index.js';
import { resolvePlace } from './places.js';
import { directoryFormats, type DirectoryFormat } from './schema.js';
import { emptyDirectoryQuery, matchTopics, searchDirectory, yourLocation } from './search.js';
import { listTopics, type MatchedTopic } from './topic-matching.js';
import type { DirectoryQuery, DirectoryResult, Place } from './types.js';

/*
 * "Help me find a group": a few questions, read kindly. Nothing a person types here is stored or
 * logged; it travels only in the address of the next step (the request log drops query strings)
 * and is read again on each request.
 */

export { readText, type Audience, type TextReading } from './guided-cues/index.js';

export const guidedSteps = ['about', 'for', 'way', 'language', 'where'] as const;
export type GuidedStep = (typeof guidedSteps)[number];
export const forWhomChoices = ['self', 'carer', 'both'] as const;
export type ForWhom = (typeof forWhomChoices)[number];
/** Languages offered in the flow: those with a text-search configuration (migration 0007). */
export const guidedLanguages = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ar', 'hi', 'tr'] as const;
export const ABOUT_MAX = 500;
/** Fewer fully fitting groups than this, and the flow relaxes the person's wishes. */
const ENOUGH = 3;
const SHOWN = 10;
const WITHIN_KM = 25;

export interface GuidedAnswers {
  /** What they are going through, in their words. */
  about: string;
  /** Categories chosen as quick answers (slugs of top-level topics). */
  topics: string[];
  forWhom: ForWhom | null;
  formats: DirectoryFormat[];
  /** null: any language, or not answered. */
  language: string | null;
  /** A place's name as typed; or lat/lon when they shared their location. */
  near: string;
  lat: number | null;
  lon: number | null;
}

/** One value or many (a repeated key) as a list of strings, whatever arrived. */
const many = z
  .unknown()
  .optional()
  .transform((v) =>
    (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string'),
  );
const single = z
  .unknown()
  .optional()
  .transform((v) => {
    const first = Array.isArray(v) ? (v[0] as unknown) : v;
    return typeof first === 'string' ? first.trim() : '';
  });
const coordinate = (limit: number) =>
  single.transform((v) => (/^-?\d{1,3}(\.\d{1,8})?$/.test(v) && Math.abs(Number(v)) <= limit ? Number(v) : null));

// Never fails: a value that makes no sense is dropped, as if that question were skipped.
const rawAnswers = z.object({
  about: single.transform((v) => v.replace(/\s+/g, ' ')),
  topic: many.transform((l) => [...new Set(l.filter((s) => /^[a-z0-9-]{1,60}$/.test(s)))].slice(0, 12)),
  for: single.transform((v) => ((forWhomChoices as readonly string[]).includes(v) ? (v as ForWhom) : null)),
  way: many.transform((l) =>
    [...new Set(l)].filter((f): f is DirectoryFormat => (directoryFormats as readonly string[]).includes(f)),
  ),
  language: single.transform((v) => ((guidedLanguages as readonly string[]).includes(v) ? v : null)),
  near: single.transform((v) => v.replace(/\s+/g, ' ')),
  lat: coordinate(90),
  lon: coordinate(180),
  step: single,
});

export type GuidedPage = { step: number } | { step: 'results' };

export interface ReadAnswers {
  answers: GuidedAnswers;
  page: GuidedPage;
  place: Place | null;
  /** Problems with an answer, and the step to show them on. */
  errors: FieldErrors;
  errorStep: number | null;
}

/** The answers so far and the page asked for, from the query string; an answer that cannot be used sends the person back to its step. */
export function readAnswers(raw: unknown, locale: string): ReadAnswers {
  const r = rawAnswers.parse(raw && typeof raw === 'object' ? raw : {});
  const answers: GuidedAnswers = {
    about: r.about,
    topics: r.topic,
    forWhom: r.for,
    formats: r.way,
    language: r.language,
    near: r.near.slice(0, 200),
    lat: r.lat !== null && r.lon !== null ? r.lat : null,
    lon: r.lat !== null && r.lon !== null ? r.lon : null,
  };
  const number = Number.parseInt(r.step, 10);
  const page: GuidedPage =
    r.step === 'results'
      ? { step: 'results' }
      : number >= 1 && number <= guidedSteps.length
        ? { step: number }
        : { step: 1 };
  const errors: FieldErrors = {};
  let errorStep: number | null = null;
  if (answers.about.length > ABOUT_MAX) {
    errors.about = withValues('guided.errors.aboutLength', { max: ABOUT_MAX });
    errorStep = 1;
  }
  let place: Place | null = null;
  if (answers.near) {
    place = answers.near.length <= 100 ? resolvePlace(answers.near, locale) : null;
    if (!place && errorStep === null) {
      errors.near = withValues('guided.errors.placeUnknown', { place: answers.near.slice(0, 100) });
      errorStep = guidedSteps.indexOf('where') + 1;
    }
  } else if (answers.lat !== null && answers.lon !== null) {
    place = { label: yourLocation, latitude: answers.lat, longitude: answers.lon, country: null };
  }
  // Only the step being left is checked; a later page with an earlier problem goes back to it.
  const past = page.step === 'results' ? guidedSteps.length : page.step - 1;
  if (errorStep !== null && errorStep > past) return { answers, page, place, errors: {}, errorStep: null };
  return { answers, page, place, errors, errorStep };
}

/** The answers as query-string pairs (for hidden fields and links), leaving out one step's. */
export function answerPairs(a: GuidedAnswers, without?: GuidedStep): [string, string][] {
  const pairs: [string, string][] = [];
  if (without !== 'about') {
    if (a.about) pairs.push(['about', a.about]);
    for (const t of a.topics) pairs.push(['topic', t]);
  }
  if (without !== 'for' && a.forWhom) pairs.push(['for', a.forWhom]);
  if (without !== 'way') for (const f of a.formats) pairs.push(['way', f]);
  if (without !== 'language' && a.language) pairs.push(['language', a.language]);
  if (without !== 'where') {
    if (a.near) pairs.push(['near', a.near]);
    else if (a.lat !== null && a.lon !== null) pairs.push(['lat', String(a.lat)], ['lon', String(a.lon)]);
  }
  return pairs;
}

export function findUrl(a: GuidedAnswers, step: number | 'results', without?: GuidedStep): string {
  const params = new URLSearchParams([['step', String(step)], ...answerPairs(a, without)]);
  return `/find?${params.toString()}`;
}

// ---- Interpreting the answers ------------------------------------------------------------

/** A topic as the taxonomy gives it (cached by the directory for a minute). */
export type TopicInfo = MatchedTopic;

/** The whole taxonomy, for the quick choices and for finding a topic's category. */
export function loadTopics(db: DbOrTx): Promise<TopicInfo[]> {
  return listTopics(db);
}

/** The words read as someone who may be in danger now. */
export function readsAsDanger(a: GuidedAnswers): boolean {
  return a.about ? detectRisk(a.about).atRisk : false;
}

export interface Interpretation {
  audience: Audience | null;
  /** Topic slugs, the most fitting first: carers' topics first for carers. */
  tiers: string[][];
  /** Wider topics (categories), looked in only when the tiers give too few groups. */
  fallback: string[];
  /** What we understood, to show back to the person. */
  understood: { slug: string; name: string }[];
  /** The words read as someone who may be in danger now: help is shown above everything. */
  atRisk: boolean;
}

function decideAudience(said: ForWhom | null, fromText: Audience | null, choseCarers: boolean): Audience | null {
  if (said === 'carer') return 'carers';
  if (said === 'both') return 'both';
  // They said it is for themselves and then wrote of someone they look after: both, not one over the other.
  if (said === 'self') return fromText === 'carers' || fromText === 'both' ? 'both' : 'self';
  return fromText ?? (choseCarers ? 'carers' : null);
}

export async function interpretAnswers(db: DbOrTx, a: GuidedAnswers, all?: TopicInfo[]): Promise<Interpretation> {
  const taxonomy = all ?? (await loadTopics(db));
  const bySlug = new Map(taxonomy.map((t) => [t.slug, t]));
  const byId = new Map(taxonomy.map((t) => [t.id, t]));
  const chosen = a.topics.flatMap((s) => bySlug.get(s) ?? []);
  const reading = a.about ? readText(a.about) : { audience: null, lossTopic: null };
  const matched: TopicInfo[] = (a.about ? await matchTopics(db, a.about) : []).map((m) => byId.get(m.id) ?? m);
  const loss = reading.lossTopic ? bySlug.get(reading.lossTopic) : undefined;
  if (loss && !matched.some((m) => m.id === loss.id)) matched.unshift(loss);
  const audience = decideAudience(
    a.forWhom,
    reading.audience,
    chosen.some((c) => c.forCarers),
  );

  const fits = (t: TopicInfo) => (audience === 'carers' ? t.forCarers : audience === 'self' ? !t.forCarers : true);
  let primary = matched.filter(fits);
  if (primary.length === 0) primary = matched;
  if (primary.length === 0) primary = chosen;
  const carersCategory = taxonomy.find((t) => t.parentId === null && t.forCarers);
  const categories = primary.flatMap((t) =>
    t.parentId !== null && byId.get(t.parentId) ? [byId.get(t.parentId)!] : [],
  );
  const seen = new Set<string>();
  const tier = (list: TopicInfo[]) => list.filter((t) => !seen.has(t.slug) && seen.add(t.slug)).map((t) => t.slug);
  // For carers, their whole category belongs with the specific topic (dementia: also Caregiving);
  // for anyone else a category ("Long-term illness") is too wide unless little else is found.
  const main =
    audience === 'carers'
      ? [tier(primary), tier([...categories, ...(carersCategory ? [carersCategory] : [])]), tier(matched)]
      : [tier(primary), tier(matched)];
  return {
    audience,
    tiers: main.filter((t) => t.length > 0),
    fallback: tier([...categories, ...chosen]),
    understood: primary.map((t) => ({ slug: t.slug, name: t.name })),
    atRisk: readsAsDanger(a),
  };
}

// ---- Finding groups ----------------------------------------------------------------------

export type UnmetWish = 'place' | 'format' | 'language';

export interface GuidedResults {
  suggestions: DirectoryResult[];
  /** Wishes no group (none) or too few groups (few) met; the results then include groups without them. */
  unmet: { wish: UnmetWish; none: boolean }[];
  /** The same search in the full directory, to refine. */
  directoryUrl: string;
}

type Part = Partial<Pick<DirectoryQuery, 'formats' | 'near' | 'languages'>>;

/**
 * The searches that together make one level of wishes. In-person groups near the place come first;
 * the other ways of taking part are wished for anywhere, as where matters only in person.
 */
function partsAt(a: GuidedAnswers, place: Place | null, level: number): Part[] {
  const languages = level >= 2 || !a.language ? [] : [a.language];
  const inPerson = a.formats.length === 0 || a.formats.includes('in_person');
  const parts: Part[] = [];
  if (place && inPerson) parts.push({ formats: ['in_person'], near: place, languages });
  if (level >= 1) return [...parts, { formats: [], languages }];
  const others = place ? a.formats.filter((f) => f !== 'in_person') : a.formats;
  if (!(place && others.length === 0 && a.formats.length > 0)) parts.push({ formats: others, languages });
  return parts;
}

type Tier = Pick<DirectoryQuery, 'topics' | 'text'>;

/** Each tier searched at each level of wishes, until the suggestions are enough; in order of tier, then level. */
async function searchTiers(db: DbOrTx, a: GuidedAnswers, place: Place | null, tiers: Tier[], timeZone: string) {
  const lastLevel = a.language ? 2 : a.formats.length > 0 || place ? 1 : 0;
  const found: DirectoryResult[][][][] = [];
  let level = 0;
  for (; level <= lastLevel; level++) {
    const parts = partsAt(a, place, level);
    const atLevel = await Promise.all(
      tiers.map((tier) =>
        Promise.all(
          parts.map(async (part) => {
            const query: DirectoryQuery = {
              ...emptyDirectoryQuery(timeZone),
              ...tier,
              ...part,
              pageSize: SHOWN,
              withinKm: WITHIN_KM,
            };
            return (await searchDirectory(db, query)).results;
          }),
        ),
      ),
    );
    found.push(atLevel);
    if (distinct(atLevel.flat(2)).length >= ENOUGH) break;
  }
  level = Math.min(level, lastLevel);
  const ordered: DirectoryResult[] = [];
  tiers.forEach((_, t) => {
    for (let l = 0; l <= level; l++) for (const list of found[l]![t]!) ordered.push(...list);
  });
  return { found, level, suggestions: distinct(ordered).slice(0, SHOWN) };
}

/**
 * Groups for the answers, ranked by searchDirectory: first with every wish; if that gives too few,
 * without the way of taking part and the place, then without the language. Topic fit comes before
 * wishes: a carers' group that meets elsewhere is shown before a group for people with the illness.
 */
export async function findGroups(
  db: DbOrTx,
  a: GuidedAnswers,
  place: Place | null,
  meaning: Interpretation,
  timeZone: string,
): Promise<GuidedResults> {
  const tiers: Tier[] =
    meaning.tiers.length > 0
      ? meaning.tiers.map((t) => ({ topics: t, text: '' }))
      : [{ topics: [], text: a.about.slice(0, 200) }];
  let run = await searchTiers(db, a, place, tiers, timeZone);
  if (run.suggestions.length < ENOUGH && meaning.fallback.length > 0) {
    run = await searchTiers(db, a, place, [...tiers, { topics: meaning.fallback, text: '' }], timeZone);
  }
  const { found, level, suggestions } = run;
  const fully = distinct((found[0] ?? []).flat(2)).length;
  const unmet: GuidedResults['unmet'] = [];
  const inPersonNear = place && (a.formats.length === 0 || a.formats.includes('in_person'));
  if (inPersonNear && (found[0] ?? []).every((t) => (t[0] ?? []).length === 0))
    unmet.push({ wish: 'place', none: true });
  const otherWays = place ? a.formats.filter((f) => f !== 'in_person') : a.formats;
  if (level >= 1 && otherWays.length > 0) unmet.push({ wish: 'format', none: fully === 0 });
  if (level >= 2) unmet.push({ wish: 'language', none: fully === 0 });
  return { suggestions, unmet, directoryUrl: directoryUrl(a, place, meaning, level) };
}

function distinct(results: DirectoryResult[]): DirectoryResult[] {
  const seen = new Set<number>();
  return results.filter((r) => !seen.has(r.entryId) && seen.add(r.entryId));
}

/** /groups with the filters the suggestions came from, so the person can look further. */
function directoryUrl(a: GuidedAnswers, place: Place | null, meaning: Interpretation, level: number): string {
  const params = new URLSearchParams();
  const shown = meaning.audience === 'carers' ? meaning.tiers.slice(0, 2) : meaning.tiers.slice(0, 1);
  for (const slug of shown.flat()) params.append('topic', slug);
  if (meaning.tiers.length === 0 && a.about) params.set('q', a.about.slice(0, 200));
  if (level === 0) for (const f of a.formats) params.append('format', f);
  if (level < 2 && a.language) params.set('language', a.language);
  if (meaning.audience === 'carers') params.set('audience', 'carers');
  if (level === 0 && place) {
    if (a.near) params.set('near', place.label);
    else {
      params.set('lat', String(place.latitude));
      params.set('lon', String(place.longitude));
    }
  }
  const query = params.toString();
  return query ? `/groups?${query}` : '/groups';
}
