import { z } from 'zod';
import {
  decodeCursor,
  encodeCursor,
  pageOf,
  pageQuery,
  problemSchema,
  type ApiRoutes,
} from '../../platform/http/api.js';
import { directoryAudiences, directoryFormats } from './schema.js';
import { accessChoices } from './search-query.js';
import { parseDirectoryQuery, searchDirectory, withinChoices } from './search.js';
import { directorySorts, timeWindows, type DirectoryResult } from './types.js';

/*
 * The directory through the JSON API: the same search as /groups, with the same filters, over the
 * same listed entries (groups, and listings of groups hosted elsewhere), never an unlisted group.
 */

/** A filter given once (`format=chat`) or repeated (`format=chat&format=forum`). */
function many<T extends z.ZodType>(item: T) {
  return z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
}

const directoryQuery = pageQuery.extend({
  q: z.string().max(200).optional().describe('Words to search for (names, summaries, topics; typos are corrected).'),
  topic: many(z.string().max(60)).describe('Topics by slug; a category includes its children. Repeatable.'),
  format: many(z.enum(directoryFormats)).describe('Ways to take part. Repeatable.'),
  leadership: many(z.enum(['peer', 'professional'])).describe('Repeatable.'),
  access: many(z.enum(accessChoices)).describe('How one joins, or "free" (no fee). Repeatable.'),
  language: many(z.string().regex(/^[a-z]{2,3}$/u)).describe('ISO 639 codes. Repeatable.'),
  audience: many(z.enum(directoryAudiences)).describe('"self" or "carers". Repeatable.'),
  when: many(z.enum(timeWindows)).describe('When meetings are, in `tz`. Repeatable.'),
  tz: z.string().max(64).optional().describe('An IANA time zone for `when`; UTC when absent.'),
  near: z.string().max(100).optional().describe('A place by name ("Leeds").'),
  lat: z.string().max(20).optional().describe('With `lon`: a location in place of `near`.'),
  lon: z.string().max(20).optional(),
  within: z.coerce
    .number()
    .int()
    .refine((n) => (withinChoices as readonly number[]).includes(n), `one of ${withinChoices.join(', ')}`)
    .optional()
    .describe(`Kilometres from the place: ${withinChoices.join(', ')} (25 when absent).`),
  kind: many(z.enum(['group', 'listing'])).describe('Groups here, or listings of groups hosted elsewhere.'),
  sort: z.enum(directorySorts).optional().describe('"distance" needs a place.'),
});

const entrySchema = z
  .object({
    kind: z.enum(['group', 'listing']),
    slug: z.string().nullable().describe("A group's address (use it with /api/v1/groups/{slug}); null for a listing."),
    url: z.string(),
    name: z.string(),
    summary: z.string(),
    leadership: z.enum(['peer', 'professional']),
    joinPolicy: z.enum(['open', 'approval', 'invitation', 'paid']),
    free: z.boolean(),
    visibility: z.enum(['public', 'members']),
    language: z.string(),
    formats: z.array(z.enum(directoryFormats)),
    audiences: z.array(z.enum(directoryAudiences)),
    topics: z.array(z.object({ slug: z.string(), name: z.string() })),
    tags: z.array(z.string()),
    memberCount: z.number().int(),
    lastActivityAt: z.date().nullable(),
    placeName: z.string().nullable(),
    distanceKm: z.number().nullable().describe('From the place asked for, when one was.'),
    meetingTimes: z.array(
      z.object({
        weekday: z.number().int().describe('0 is Sunday.'),
        startMinute: z.number().int().describe('Minutes after midnight, in `timeZone`.'),
        durationMinutes: z.number().int(),
        timeZone: z.string(),
        place: z.string(),
      }),
    ),
  })
  .meta({ id: 'DirectoryEntry' });

/** The directory's deepest page (search.ts's MAX_PAGE): deeper pages cost a long scan and help nobody. */
const LAST_PAGE = 250;

/** The cursor: the directory's page to show next and its size (the page size stays as the first request set it). */
const cursorKey = z.tuple([z.number().int().min(2), z.number().int().min(1).max(100)]);

function entryJson(r: DirectoryResult, baseUrl: string): z.infer<typeof entrySchema> {
  return {
    kind: r.kind,
    slug: r.kind === 'group' ? r.href.replace(/^\/g\//u, '') : null,
    url: `${baseUrl}${r.href}`,
    name: r.name,
    summary: r.summary,
    leadership: r.leadership,
    joinPolicy: r.access,
    free: r.free,
    visibility: r.visibility,
    language: r.language,
    formats: r.formats,
    audiences: r.audiences,
    topics: r.topics,
    tags: r.tags ?? [],
    memberCount: r.memberCount,
    lastActivityAt: r.lastActivityAt,
    placeName: r.placeName,
    distanceKm: r.distanceKm,
    meetingTimes: r.meetingTimes,
  };
}

export const directoryApiRoutes: ApiRoutes = async (api, deps) => {
  const baseUrl = deps.baseUrl.replace(/\/$/u, '');

  api.get(
    '/groups',
    {
      schema: {
        tags: ['Directory'],
        summary: 'Find groups',
        description:
          'The directory (/groups) with its filters: listed groups and listings of groups hosted elsewhere, ' +
          'most relevant first (or as `sort` says). Unlisted groups never appear. The cursor pages through the ' +
          "directory's own pages, up to 250 of them; the page size is the one the first request chose.",
        querystring: directoryQuery,
        response: {
          200: pageOf(entrySchema).extend({
            total: z.number().int().describe('How many entries match.'),
            correctedText: z.string().nullable().describe('The words searched for, when misspellings were corrected.'),
          }),
          400: problemSchema,
        },
      },
    },
    async (request) => {
      const { cursor, limit, q, within, ...filters } = request.query;
      const [page, pageSize] = decodeCursor(cursor, cursorKey) ?? [1, limit];
      const raw = { ...filters, q: q ?? '', within: within === undefined ? '' : String(within), page: String(page) };
      const query = { ...parseDirectoryQuery(raw, { timeZone: 'UTC' }), pageSize };
      const found = await searchDirectory(deps.db, query, { cacheMs: deps.searchCacheMs });
      // The directory stops at its last page: a page past it would repeat that one.
      const more = page < LAST_PAGE && (page - 1) * pageSize + found.results.length < found.total;
      return {
        items: found.results.map((r) => entryJson(r, baseUrl)),
        nextCursor: more && found.results.length > 0 ? encodeCursor([page + 1, pageSize]) : null,
        total: found.total,
        correctedText: found.correctedText,
      };
    },
  );
};
