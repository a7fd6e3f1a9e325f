/**
 * Search-engine visibility. A page is listed by search engines only by choice: a group's public
 * pages when the group is public, listed and chose it (directory_entries.search_engines), and
 * approved listings (whose search_engines is set on approval). Everything else is noindex and
 * absent from the sitemap.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { groups } from '../groups/schema.js';
import { meetingEventsLd, organizationLd, type PresenceSubject } from './json-ld.js';
import { directoryEntries } from './schema.js';
import type { MeetingTimeView } from './types.js';

/** What a page tells search engines about itself. */
export interface SearchPresence {
  indexable: boolean;
  jsonLd: unknown[];
}

export const notIndexed: SearchPresence = { indexable: false, jsonLd: [] };

/** A group as its pages know it (the groups feature's `GroupAccess` fits). */
export interface GroupForPresence {
  group: { id: number; slug: string; visibility: string; listed: boolean; name: string; summary: string };
  organisation: { slug: string; name: string } | null;
  /** Who is looking: null for a visitor (and a search engine). */
  actor: { id: number } | null;
}

/**
 * Entries search engines may list: listed, public, and opted in. Pending, declined and claimed
 * listings are not listed; members-only and unlisted groups never qualify. Written as the partial
 * index directory_entries_findable_idx is, so the planner uses it.
 */
export const findableSql: SQL = sql`${directoryEntries.listed} and ${directoryEntries.searchEngines} and ${directoryEntries.visibility} = 'public'`;

/**
 * A directory entry's meeting times, as one JSON column of the entry's row. The entry's id is
 * written out in full: Drizzle leaves a single table's columns unqualified, which inside this
 * subquery would name meeting_times.id instead.
 */
export const meetingTimesJsonSql = sql<MeetingTimeView[]>`coalesce((
  select json_agg(json_build_object('weekday', m.weekday, 'startMinute', m.start_minute,
    'durationMinutes', m.duration_minutes, 'timeZone', m.time_zone, 'place', m.place)
    order by m.weekday, m.start_minute)
  from meeting_times m where m.entry_id = directory_entries.id), '[]'::json)`;

/**
 * Whether a group's home and about pages may be listed by search engines, and their structured
 * data. The group's own visibility and listing are checked first (members-only and unlisted
 * groups are never indexable, whatever the setting says), then its choice, in one query.
 */
export async function groupSearchPresence(
  db: DbOrTx,
  access: GroupForPresence,
  baseUrl: string,
  now = new Date(),
): Promise<SearchPresence> {
  const { group } = access;
  if (group.visibility !== 'public' || !group.listed) return notIndexed;
  // Search engines read pages as visitors do. A signed-in person's page is personal (never cached,
  // never crawled), so it spares the query and says noindex like every other personal page.
  if (access.actor) return notIndexed;
  const site = baseUrl.replace(/\/$/u, '');
  const [entry] = await db
    .select({
      searchEngines: directoryEntries.searchEngines,
      placeName: directoryEntries.placeName,
      countryCode: directoryEntries.countryCode,
      latitude: directoryEntries.latitude,
      longitude: directoryEntries.longitude,
      free: directoryEntries.free,
      meetingTimes: meetingTimesJsonSql,
    })
    .from(directoryEntries)
    .where(eq(directoryEntries.groupId, group.id));
  if (!entry?.searchEngines) return notIndexed;
  const subject: PresenceSubject = {
    name: group.name,
    summary: group.summary,
    url: `${site}/g/${encodeURIComponent(group.slug)}`,
    placeName: entry.placeName,
    countryCode: entry.countryCode,
    latitude: entry.latitude,
    longitude: entry.longitude,
    free: entry.free,
    parent: access.organisation
      ? { name: access.organisation.name, url: `${site}/o/${encodeURIComponent(access.organisation.slug)}` }
      : null,
    meetingTimes: entry.meetingTimes,
  };
  return { indexable: true, jsonLd: [organizationLd(subject), ...meetingEventsLd(subject, now)] };
}

/** A listing page's structured data (approved listings are always indexable). */
export function listingSearchPresence(subject: PresenceSubject, now = new Date()): SearchPresence {
  return { indexable: true, jsonLd: [organizationLd(subject), ...meetingEventsLd(subject, now)] };
}

// Sitemaps ------------------------------------------------------------------------------------

/** Pages of the site itself that are always in the sitemap. */
export const sitePages = ['/', '/groups', '/find', '/help'];

/**
 * Entries per sitemap file: a group gives two addresses (home and about), so a file stays under
 * the protocol's 50,000 addresses, with room for the site's own pages in the first.
 */
export const ENTRIES_PER_SITEMAP = 20_000;

export interface SitemapUrl {
  path: string;
  lastmod: Date | null;
}

export async function sitemapFileCount(db: DbOrTx, perFile = ENTRIES_PER_SITEMAP): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(directoryEntries)
    .where(findableSql);
  return Math.max(1, Math.ceil((row?.n ?? 0) / perFile));
}

/** The addresses in sitemap file `file` (1-based), in one query; null past the last file. */
export async function sitemapUrls(
  db: DbOrTx,
  file: number,
  perFile = ENTRIES_PER_SITEMAP,
): Promise<SitemapUrl[] | null> {
  const rows = await db
    .select({
      kind: directoryEntries.kind,
      slug: groups.slug,
      listingId: directoryEntries.listingId,
      lastmod: sql<
        string | null
      >`greatest(${directoryEntries.updatedAt}, ${directoryEntries.lastActivityAt}, ${groups.lastActivityAt})`,
    })
    .from(directoryEntries)
    .leftJoin(groups, eq(groups.id, directoryEntries.groupId))
    // The file's first entry is found on the partial index alone, so only this file's rows are
    // joined (an OFFSET would join every earlier file's rows too: three times slower at 100,000).
    .where(
      and(
        findableSql,
        sql`${directoryEntries.id} >= (select d.id from directory_entries d
          where d.listed and d.search_engines and d.visibility = 'public'
          order by d.id offset ${(file - 1) * perFile} limit 1)`,
      ),
    )
    .orderBy(asc(directoryEntries.id))
    .limit(perFile);
  if (rows.length === 0 && file > 1) return null;
  const urls: SitemapUrl[] = file === 1 ? sitePages.map((path) => ({ path, lastmod: null })) : [];
  for (const r of rows) {
    const lastmod = r.lastmod ? new Date(r.lastmod) : null;
    if (r.kind === 'group' && r.slug) {
      const home = `/g/${encodeURIComponent(r.slug)}`;
      urls.push({ path: home, lastmod }, { path: `${home}/about`, lastmod });
    } else if (r.kind === 'listing' && r.listingId !== null) {
      urls.push({ path: `/listings/${r.listingId}`, lastmod });
    }
  }
  return urls;
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function sitemapXml(baseUrl: string, urls: SitemapUrl[]): string {
  const body = urls
    .map(
      (u) =>
        `<url><loc>${xmlEscape(baseUrl + u.path)}</loc>${u.lastmod ? `<lastmod>${u.lastmod.toISOString()}</lastmod>` : ''}</url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}

export function sitemapIndexXml(baseUrl: string, files: number): string {
  const body = Array.from(
    { length: files },
    (_, i) => `<sitemap><loc>${xmlEscape(`${baseUrl}/sitemaps/${i + 1}.xml`)}</loc></sitemap>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</sitemapindex>\n`;
}

/**
 * Personal and form pages that crawlers need not fetch. Pages that must never be listed also say
 * noindex themselves (the Layout's default), which is what keeps them out of results.
 */
const disallowed = [
  '/account',
  '/admin',
  '/notifications',
  '/search',
  '/g/*/t/',
  '/g/*/threads/new',
  '/g/*/members',
  '/g/*/apply',
  '/g/*/applications',
  '/g/*/invitations',
  '/g/*/settings',
  '/g/*/edit',
  '/g/*/listing',
  '/g/*/review',
  '/g/*/silences',
  '/g/*/safety',
  '/g/*/name',
  '/g/*/audit',
  '/g/*/fees',
  '/g/*/pay',
  '/g/*/payments',
  '/o/*/admins',
  '/o/*/groups/new',
  '/posts/',
  '/listings/new',
  '/listings/mine',
  '/listings/*/claim',
  '/listings/*/edit',
  '/groups/new',
  '/organisations/new',
  '/invite/',
  '/login',
  '/logout',
  '/signup',
  '/setup',
  '/forgot-password',
  '/reset-password/',
  '/verify-email/',
  '/places',
  '/live',
];

export function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    ...disallowed.map((path) => `Disallow: ${path}`),
    'Allow: /',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}
