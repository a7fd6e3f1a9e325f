import { createHash } from 'node:crypto';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { Forbidden, Invalid, NotFound, RateLimited } from '../errors.js';
import { translator, type MessageKey } from '../views/i18n.js';

/**
 * What the JSON API (/api/v1) shares across features: the caller a bearer token stands for,
 * scopes, RFC 9457 problem responses, cursor pagination and ETags. Each feature writes its own
 * API routes in `<feature>/api.ts` on the same services and policies as its pages; the api
 * feature (src/features/api) sets up the /api/v1 context they are registered in.
 */

/** A token's scopes only narrow what its person may do; they never add to it. */
export const apiScopes = ['read', 'write', 'moderate', 'admin'] as const;
export type ApiScope = (typeof apiScopes)[number];

/** Who is calling through a bearer token; null for a browser session or nobody. */
export interface ApiCaller {
  tokenId: number;
  scopes: ApiScope[];
  /** An organisation token reaches only that organisation's groups. */
  organisationId: number | null;
}

/** The /api/v1 context: routes declare zod schemas, which validate, serialise and document them. */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Every scope but 'read' includes reading: a token made to post can read what it posts into. */
export function hasScope(caller: ApiCaller | null, needed: ApiScope): boolean {
  if (!caller) return true;
  return caller.scopes.includes(needed) || (needed === 'read' && caller.scopes.length > 0);
}

/**
 * Refuses, as if it did not exist, a group an organisation token may not reach. Call it wherever
 * an API route has found the group it works in (services decide the rest, as for a page).
 */
export function assertTokenReaches(request: FastifyRequest, group: { organisationId: number | null }): void {
  const caller = request.apiCaller;
  if (caller?.organisationId != null && group.organisationId !== caller.organisationId) throw new NotFound();
}

// ---------------------------------------------------------------------------------------------
// Problems (RFC 9457)
// ---------------------------------------------------------------------------------------------

/** The stable problem types; each is documented at /api/docs#problem-<type>. */
export const problemTypes = {
  'not-found': { status: 404, title: 'Not found' },
  unauthorized: { status: 401, title: 'A valid access token is needed' },
  forbidden: { status: 403, title: 'Not allowed' },
  'insufficient-scope': { status: 403, title: 'The token does not have the scope this needs' },
  csrf: { status: 403, title: 'The form or request is missing its CSRF token' },
  invalid: { status: 400, title: 'The request is not valid' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  server: { status: 500, title: 'Something went wrong on our side' },
} as const;
export type ProblemType = keyof typeof problemTypes;

export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem; stable, documented at /api/docs.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .describe('Field errors, by field name ("" for the request as a whole).'),
  })
  .meta({ id: 'Problem' });

export function problemTypeUri(baseUrl: string, type: ProblemType): string {
  return `${baseUrl.replace(/\/$/u, '')}/api/docs#problem-${type}`;
}

export function sendProblem(
  reply: FastifyReply,
  baseUrl: string,
  type: ProblemType,
  extra: { detail?: string | undefined; errors?: Record<string, string> | undefined } = {},
): FastifyReply {
  const { status, title } = problemTypes[type];
  return (
    reply
      .status(status)
      .type('application/problem+json; charset=utf-8')
      .header('cache-control', 'no-store')
      .serializer(JSON.stringify)
      // An object, not a string: Fastify runs a reply's own serializer on a string too (it would encode it twice).
      .send({ type: problemTypeUri(baseUrl, type), title, status, ...extra })
  );
}

const t = translator('en');
const say = (key: string, vars?: Record<string, string | number | Date>) =>
  t(key as MessageKey, vars && Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])));

/** Maps what services throw (and what Fastify and zod refuse) to problems, as the page handler maps them to pages. */
export function apiErrorHandler(baseUrl: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof NotFound) return sendProblem(reply, baseUrl, 'not-found');
    if (error instanceof Unauthenticated) {
      reply.header('www-authenticate', 'Bearer realm="mutual"');
      return sendProblem(reply, baseUrl, 'unauthorized');
    }
    if (error instanceof Forbidden)
      return sendProblem(reply, baseUrl, 'forbidden', { detail: say(error.reason, error.vars) });
    if (error instanceof RateLimited) return sendProblem(reply, baseUrl, 'rate-limited');
    if (error instanceof Invalid) {
      const errors = Object.fromEntries(Object.entries(error.fieldErrors).map(([field, key]) => [field, say(key)]));
      return sendProblem(reply, baseUrl, 'invalid', { errors });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors: Record<string, string> = {};
      for (const issue of error.validation) {
        const field = issue.instancePath.replace(/^\//u, '').replaceAll('/', '.');
        errors[field] ??= issue.message ?? 'invalid';
      }
      return sendProblem(reply, baseUrl, 'invalid', {
        detail: `The ${error.validationContext ?? 'request'} is not valid.`,
        errors,
      });
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      return sendProblem(reply, baseUrl, 'csrf');
    }
    if (error.statusCode === 429) return sendProblem(reply, baseUrl, 'rate-limited');
    if (error.statusCode === 404) return sendProblem(reply, baseUrl, 'not-found');
    if (error.statusCode === 415 || error.statusCode === 413 || error.statusCode === 400) {
      return sendProblem(reply, baseUrl, 'invalid', { detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled API error');
    return sendProblem(reply, baseUrl, 'server');
  };
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/** Every list takes these: an opaque cursor from the previous page's `nextCursor`, and a page size. */
export const pageQuery = z.object({
  cursor: z.string().max(500).optional().describe('`nextCursor` from the previous page; absent for the first.'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** A page of a list, as every list route answers it. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  });
}

/** The key of the last item, opaque to callers (base64url JSON). */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor's key, or an Invalid that names the cursor field when it was not one of ours. */
export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, key: T): z.infer<T> | null {
  if (cursor === undefined) return null;
  try {
    return key.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new Invalid({ cursor: 'api.errors.cursor' });
  }
}

/**
 * A page from rows fetched with `limit + 1`: the extra row only says there is a next page, whose
 * cursor is the key of the last row shown.
 */
export function toPage<R, I>(
  rows: R[],
  limit: number,
  key: (row: R) => readonly (string | number)[],
  item: (row: R) => I,
): { items: I[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return { items: shown.map(item), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

// ---------------------------------------------------------------------------------------------
// ETags
// ---------------------------------------------------------------------------------------------

/**
 * A weak ETag on every successful read, and 304 Not Modified when the caller already has it.
 * Answers depend on who asks, so they vary by Authorization and Cookie and stay private.
 */
export function addEtags(api: ApiInstance): void {
  api.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag).header('vary', 'Authorization, Cookie').header('cache-control', 'private, no-cache');
    const given = request.headers['if-none-match'];
    if (given && given.split(',').some((tag) => tag.trim() === etag)) {
      reply.status(304);
      return '';
    }
    return payload;
  });
}

/** A feature's API routes (`<feature>/api.ts`), registered by the api feature in the /api/v1 context. */
export type ApiRoutes = (api: ApiInstance, deps: Deps) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request carries a valid bearer token (src/features/api). */
    apiCaller: ApiCaller | null;
  }
  interface FastifyContextConfig {
    /** The token scope an API route needs; GET routes need 'read' and others 'write' when absent. */
    scope?: ApiScope;
  }
}

/** Thrown where an API route needs a signed-in person and has none: 401 with a Bearer challenge. */
export class Unauthenticated extends Error {
  constructor() {
    super('unauthenticated');
  }
}

/** The person behind the request (token or session), or a 401 problem. */
export function apiViewer(request: FastifyRequest): NonNullable<FastifyRequest['viewer']> {
  if (!request.viewer) throw new Unauthenticated();
  return request.viewer;
}
