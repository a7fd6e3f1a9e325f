import { readFile } from 'node:fs/promises';
import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, Invalid, NotFound, RateLimited } from '../errors.js';
import { assetFiles } from '../views/assets.js';
import type { MessageKey } from '../views/i18n.js';
import { ErrorPage } from '../views/error-page.js';
import { isHtmx, pageContext, sendPage } from './page.js';

export interface HttpOptions {
  cookieSecret: string;
  secureCookies: boolean;
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Security headers, cookies, CSRF, form bodies, rate limits, assets and error pages. */
export async function registerHttpPlatform(app: FastifyInstance, opts: HttpOptions): Promise<void> {
  app.decorateRequest('viewer', null);

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
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } },
  });
  await app.register(cookie, { secret: opts.cookieSecret });
  await app.register(csrf, {
    cookieKey: 'mutual_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, signed: true },
  });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(rateLimit, { global: false });

  // Every state change carries the token: a hidden field in forms, a header from htmx.
  app.addHook('preHandler', (request, reply, done) => {
    if (!stateChanging.has(request.method) || request.routeOptions.config.skipCsrf) return done();
    app.csrfProtection(request, reply, done);
  });

  app.get('/assets/:version/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const path = assetFiles[name];
    if (!path) throw new NotFound();
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(await readFile(path));
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, 'notFound'));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof NotFound) return sendError(request, reply, 404, 'notFound');
    if (error instanceof Forbidden) return sendError(request, reply, 403, 'forbidden', error.reason);
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

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, kind: ErrorKind, reason?: string) {
  const ctx = pageContext(request, reply);
  if (isHtmx(request)) {
    // htmx does not swap error responses by default; a message in a header is shown by the page.
    return reply
      .status(status)
      .type('text/plain; charset=utf-8')
      .send(reason ? ctx.t(reason as MessageKey) : ctx.t(`errors.${kind}.title`));
  }
  return sendPage(reply, ErrorPage({ ctx, kind, reason }), status);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    skipCsrf?: boolean;
  }
}
