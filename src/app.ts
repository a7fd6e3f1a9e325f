import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from './platform/db/client.js';
import { defaultRateLimits, type Deps, type RateLimits, type StripeSettings } from './platform/deps.js';
import { registerHttpPlatform } from './platform/http/server.js';
import type { Mailer } from './platform/mail/mailer.js';
import { accountRoutes } from './features/accounts/index.js';
import { adminRoutes } from './features/admin/routes.js';
import { forumRoutes } from './features/forum/index.js';
import { accessRoutes, groupRoutes, memberRoutes } from './features/groups/index.js';
import { paymentRoutes } from './features/payments/index.js';
import { organisationRoutes } from './features/organisations/index.js';

export interface AppOptions {
  database: Database;
  mailer: Mailer;
  baseUrl: string;
  cookieSecret: string;
  secureCookies?: boolean;
  trustProxy?: boolean;
  logLevel?: string;
  limits?: Partial<RateLimits>;
  /** Card payments for group fees; off when absent. */
  stripe?: StripeSettings | undefined;
}

/** Assembles Mutual: the platform's HTTP layer, then every feature's routes. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info', redact: ['req.headers.cookie', 'req.headers.authorization'] },
    trustProxy: opts.trustProxy ?? false,
  });
  const secureCookies = opts.secureCookies ?? opts.baseUrl.startsWith('https:');
  // Every route, so the permission test can prove it covers them all.
  const routes: { method: string; url: string }[] = [];
  app.decorate('routeInventory', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  await registerHttpPlatform(app, { cookieSecret: opts.cookieSecret, secureCookies });

  const deps: Deps = {
    db: opts.database.db,
    mailer: opts.mailer,
    baseUrl: opts.baseUrl,
    secureCookies,
    limits: { ...defaultRateLimits, ...opts.limits },
    stripe: opts.stripe,
  };

  app.get('/healthz', async (_request, reply) => {
    try {
      await opts.database.ping();
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: opts.database.kind });
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  // Called directly rather than registered, so the session hook applies to every route.
  await accountRoutes(app, deps);
  await groupRoutes(app, deps);
  await accessRoutes(app, deps);
  await memberRoutes(app, deps);
  await paymentRoutes(app, deps);
  await organisationRoutes(app, deps);
  await forumRoutes(app, deps);
  await adminRoutes(app, deps);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeInventory: { method: string; url: string }[];
  }
}
