import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart, { type MultipartFile } from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import './api.js';
import { Forbidden, Invalid, NotFound, RateLimited, type NextStep } from '../errors.js';
import { assetContent, isAsset } from '../views/assets.js';
import type { MessageKey, Vars } from '../views/i18n.js';
import { formatDateTime } from '../views/time.js';
import { ErrorPage } from '../views/error-page.js';
import { isHtmx, pageContext, sendPage } from './page.js';

export interface HttpOptions {
  cookieSecret: string;
  secureCookies: boolean;
  /** Counts requests in Redis, so that a limit holds across every web process; in memory without it. */
  rateLimitRedis?: { redis: Redis; prefix: string } | undefined;
  /** The largest file one upload may be (the site's limit); 10 MB when absent. */
  maxUploadBytes?: number | undefined;
}

/** A file sent in a multipart form, read into memory (at most the site's limit). */
export interface UploadedPart {
  field: string;
  /** The name the browser gave it ('' when none). */
  filename: string;
  bytes: Buffer;
  /** Longer than the site allows: its bytes were cut off and must not be stored. */
  tooLarge: boolean;
}

/** At most this many files in one form; the attachment fields say so. */
export const MAX_FILES_PER_REQUEST = 4;

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
const compressedAssets = new Map<string, Promise<{ raw: Buffer; br: Buffer; gzip: Buffer }>>();

/** An asset read (or bundled) and compressed at the highest settings once per process. */
function compressedAsset(name: string) {
  let file = compressedAssets.get(name);
  if (!file) {
    file = Promise.resolve(assetContent(name)).then(async (raw) => ({
      raw,
      br: await brotli(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } }),
      gzip: await gzipped(raw, { level: 9 }),
    }));
    compressedAssets.set(name, file);
  }
  return file;
}

/** Security headers, cookies, CSRF, form bodies, rate limits, assets and error pages. */
export async function registerHttpPlatform(app: FastifyInstance, opts: HttpOptions): Promise<void> {
  app.decorateRequest('viewer', null);
  app.decorateRequest('apiCaller', null);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(opts.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: opts.secureCookies,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  // Brotli at a middling quality: most of the saving for little CPU, on every page.
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    // Pages are strings already in memory: compressing one in a single call is much cheaper than
    // a zlib stream per response (which also writes the socket in many small pieces), and a
    // 64 KB page takes about a millisecond at this quality.
    syncThreshold: 65536,
    // A 256 KB window rather than 4 MB: the same bytes for pages this size, a third less work.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_LGWIN]: 18 } },
  });
  await app.register(cookie, { secret: opts.cookieSecret });
  await app.register(csrf, {
    cookieKey: 'mutual_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, signed: true },
  });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Forms with attachments: their fields become the body as strings (so form parsing and the CSRF
  // field work as for any form), their files are read into request.uploads for the route.
  app.decorateRequest('uploads', null);
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: {
      fileSize: opts.maxUploadBytes ?? 10 * 1024 * 1024,
      files: MAX_FILES_PER_REQUEST,
      fields: 50,
      fieldSize: 256 * 1024,
      parts: MAX_FILES_PER_REQUEST + 50,
    },
    async onFile(this: FastifyRequest, part: MultipartFile) {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      // A file input left empty still sends a part, with no name and no bytes.
      if (bytes.length === 0 && part.filename === '') return;
      this.uploads ??= [];
      this.uploads.push({ field: part.fieldname, filename: part.filename, bytes, tooLarge: part.file.truncated });
    },
  });
  await app.register(
    rateLimit,
    opts.rateLimitRedis
      ? {
          global: false,
          // RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset: the IETF draft's names.
          enableDraftSpec: true,
          redis: opts.rateLimitRedis.redis,
          nameSpace: `${opts.rateLimitRedis.prefix}rate-limit:`,
          // While Redis is unreachable, serving people unlimited beats refusing everyone.
          skipOnError: true,
        }
      : { global: false, enableDraftSpec: true },
  );
  // Frames are small JSON (a circle's SDP, the biggest, is 20,000 characters; the hub holds each
  // topic to its own limit); anything bigger than this closes the socket. No per-message deflate:
  // for frames this small it saves little, and it would cost a compression context per socket
  // (hundreds of KB each) and a compression per socket for every event.
  await app.register(websocket, { options: { maxPayload: 65_536, perMessageDeflate: false } });

  // Every state change carries the token: a hidden field in forms, a header from htmx.
  app.addHook('preHandler', (request, reply, done) => {
    if (!stateChanging.has(request.method) || request.routeOptions.config.skipCsrf) return done();
    // A bearer token is not sent by browsers on their own, so it cannot be forged across sites;
    // a JSON API request that relies on the session cookie still needs the token.
    if (request.apiCaller) return done();
    // Nor can one forge what carries no session: the JSON API has no login form to protect, so a
    // program without a token is told it needs one (401), not that it lacks a CSRF token.
    if (!request.viewer && request.url.startsWith('/api/v1/')) return done();
    app.csrfProtection(request, reply, done);
  });

  app.get('/assets/:version/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!isAsset(name)) throw new NotFound();
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    const file = await compressedAsset(name);
    const accepts = String(request.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
    reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    // Compressed once, as small as Brotli and gzip can make it, rather than on every request.
    if (encoding) return reply.header('content-encoding', encoding).send(file[encoding]);
    return reply.send(file.raw);
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, 'notFound'));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof NotFound) return sendError(request, reply, 404, 'notFound');
    if (error instanceof Forbidden)
      return sendError(request, reply, 403, 'forbidden', error.reason, error.nextStep, error.vars);
    if (error instanceof RateLimited) return sendError(request, reply, 429, 'rateLimited');
    if (error instanceof Invalid) return sendError(request, reply, 400, 'badRequest');
    const e = error as { statusCode?: number; code?: string };
    if (e.code === 'FST_CSRF_INVALID_TOKEN' || e.code === 'FST_CSRF_MISSING_SECRET') {
      return sendError(request, reply, 403, 'csrf');
    }
    if (e.statusCode === 429) return sendError(request, reply, 429, 'rateLimited');
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return sendError(request, reply, e.statusCode, e.statusCode === 404 ? 'notFound' : 'badRequest');
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 500, 'server');
  });
}

export type ErrorKind = 'notFound' | 'forbidden' | 'rateLimited' | 'badRequest' | 'csrf' | 'server';

/** A refusal's values as its message takes them: dates in the reader's language and time zone. */
function messageVars(ctx: ReturnType<typeof pageContext>, given: Record<string, string | number | Date>): Vars {
  return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, v instanceof Date ? formatDateTime(ctx, v) : v]));
}

function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  kind: ErrorKind,
  reason?: string,
  nextStep?: NextStep,
  given?: Record<string, string | number | Date>,
) {
  const ctx = pageContext(request, reply);
  const vars = given && messageVars(ctx, given);
  if (isHtmx(request)) {
    // htmx does not swap error responses by default; a message in a header is shown by the page.
    return reply
      .status(status)
      .type('text/plain; charset=utf-8')
      .send(reason ? ctx.t(reason as MessageKey, vars) : ctx.t(`errors.${kind}.title`));
  }
  const next = nextStep && {
    href: `${nextStep.href}?next=${encodeURIComponent(request.method === 'GET' ? request.url : '/')}`,
    label: nextStep.label,
  };
  return sendPage(reply, ErrorPage({ ctx, kind, reason, vars, nextStep: next }), status);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    skipCsrf?: boolean;
  }
  interface FastifyRequest {
    /** The files of a multipart form, in the order sent; null for any other request. */
    uploads: UploadedPart[] | null;
  }
}
