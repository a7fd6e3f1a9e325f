import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createMemoryBus, type Bus } from './platform/bus/index.js';
import type { Database } from './platform/db/client.js';
import {
  defaultPostingLimits,
  defaultRateLimits,
  defaultUploads,
  defaultCircles,
  type CircleOptions,
  type Deps,
  type EventSink,
  type PostingLimits,
  type PushOptions,
  type WebhookOptions,
  type RateLimits,
  type StripeSettings,
  type UploadSettings,
} from './platform/deps.js';
import { registerHttpPlatform } from './platform/http/server.js';
import { LiveTopics, liveRoutes } from './platform/live/hub.js';
import { createLogger } from './platform/log.js';
import type { Mailer } from './platform/mail/mailer.js';
import { folderStorage, type FileStorage } from './platform/storage/index.js';
import { mailSecret } from './platform/mail/tokens.js';
import { accountRoutes, securityRoutes, settingsRoutes } from './features/accounts/index.js';
import { adminRoutes } from './features/admin/routes.js';
import { trustRoutes } from './features/trust/index.js';
import { watchedWordRoutes } from './features/watched-words/index.js';
import { discussionSearchRoutes, forumApiRoutes, forumRoutes } from './features/forum/index.js';
import {
  directoryApiRoutes,
  directorySearchRoutes,
  directorySettingsRoutes,
  guidedRoutes,
  listingRoutes,
  seoRoutes,
} from './features/directory/index.js';
import { safetyRoutes } from './features/safety/index.js';
import { blockingRoutes } from './features/blocking/index.js';
import { contentWarningRoutes } from './features/content-warnings/index.js';
import { notificationRoutes } from './features/notifications/index.js';
import { moderationApiRoutes, moderationRoutes } from './features/moderation/index.js';
import { accessRoutes, groupApiRoutes, groupRoutes, memberApiRoutes, memberRoutes } from './features/groups/index.js';
import { paymentRoutes } from './features/payments/index.js';
import { organisationRoutes } from './features/organisations/index.js';
import { privacyRoutes, type ExportJob } from './features/privacy/index.js';
import { mailListRoutes } from './features/mail-lists/index.js';
import { newsletterRoutes } from './features/newsletters/index.js';
import { supportRoutes } from './features/support/index.js';
import { resourceRoutes } from './features/resources/index.js';
import { campaignRoutes } from './features/campaigns/index.js';
import { linkPreviewRoutes } from './features/link-previews/index.js';
import { meetingApiRoutes, meetingRoutes } from './features/meetings/index.js';
import { chatRoutes } from './features/chat/index.js';
import { circleRoutes } from './features/circles/index.js';
import { followingRoutes } from './features/following/index.js';
import { messageRoutes } from './features/messages/index.js';
import { pushRoutes } from './features/push/index.js';
import { apiPageRoutes, apiRoutes } from './features/api/index.js';
import { webhookRoutes } from './features/webhooks/index.js';
import { fileRoutes } from './features/files/index.js';
import { pollRoutes } from './features/polls/index.js';
import { agreementRoutes } from './features/agreements/index.js';

export interface AppOptions {
  database: Database;
  mailer: Mailer;
  baseUrl: string;
  cookieSecret: string;
  secureCookies?: boolean;
  trustProxy?: boolean;
  logLevel?: string;
  limits?: Partial<RateLimits>;
  /** What accounts may post, by trust level (docs/safety.md). */
  postingLimits?: PostingLimits | undefined;
  /** Card payments for group fees; off when absent. */
  stripe?: StripeSettings | undefined;
  /** Prepares members' data archives in the background (defined on the job queue before it starts). */
  exportJob?: ExportJob | undefined;
  /** Events between web processes; without one, the app keeps its own in memory (one process). */
  bus?: Bus | undefined;
  /** Rate limits counted in Redis, across processes; in memory without it. */
  rateLimitRedis?: { redis: Redis; prefix: string } | undefined;
  logger?: Logger | undefined;
  /** See Deps.searchCacheMs; tests turn it off so that a new group shows at once. */
  searchCacheMs?: number | undefined;
  /** MAIL_DOMAIN; the host name of baseUrl when absent. */
  mailDomain?: string | undefined;
  /** The notification jobs' sink (defineNotificationJobs); without it, events are logged and dropped. */
  events?: EventSink | undefined;
  /** Web Push (definePushWork); without it, the site offers no push notifications. */
  push?: PushOptions | undefined;
  /** Webhooks' operator settings (WEBHOOKS_ALLOW_PRIVATE_ADDRESSES); public https addresses only when absent. */
  webhooks?: WebhookOptions | undefined;
  /** Where uploads are kept: DATA_DIR/files or S3 (main.ts); a temporary folder when absent (tests). */
  files?: FileStorage | undefined;
  /** The site's limits on uploads (config FILES_*); the defaults when absent. */
  uploads?: Partial<UploadSettings> | undefined;
  /** Voice and video circles: CIRCLE_MESH_LIMIT, TURN and Janus (config); a mesh of 6, neither server, when absent. */
  circles?: CircleOptions | undefined;
}

/** Assembles Mutual: the platform's HTTP layer, then every feature's routes. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = opts.logger ?? createLogger(opts.logLevel ?? 'info', 'web');
  const app = Fastify({
    // One log for the whole process when main.ts gives one; otherwise the app's own.
    loggerInstance: logger,
    trustProxy: opts.trustProxy ?? false,
  });
  const secureCookies = opts.secureCookies ?? opts.baseUrl.startsWith('https:');
  // Every route, so the permission test can prove it covers them all.
  const routes: { method: string; url: string }[] = [];
  app.decorate('routeInventory', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  await registerHttpPlatform(app, {
    cookieSecret: opts.cookieSecret,
    secureCookies,
    rateLimitRedis: opts.rateLimitRedis,
    maxUploadBytes: opts.uploads?.maxBytes ?? defaultUploads.maxBytes,
  });
  let bus = opts.bus;
  if (!bus) {
    const own = createMemoryBus((error, channel) => app.log.error({ err: error, channel }, 'live event lost'));
    app.addHook('onClose', () => own.close());
    bus = own;
  }
  const live = new LiveTopics();
  // What can be followed live, so the leak test can prove it covers every topic.
  app.decorate('liveTopics', live);
  app.decorate('baseUrl', opts.baseUrl.replace(/\/$/u, ''));

  const deps: Deps = {
    db: opts.database.db,
    mailer: opts.mailer,
    baseUrl: opts.baseUrl,
    secureCookies,
    limits: { ...defaultRateLimits, ...opts.limits },
    postingLimits: opts.postingLimits ?? defaultPostingLimits,
    bus,
    live,
    stripe: opts.stripe,
    searchCacheMs: opts.searchCacheMs ?? 10_000,
    mail: { domain: opts.mailDomain ?? new URL(opts.baseUrl).hostname, secret: mailSecret(opts.cookieSecret) },
    events: opts.events ?? {
      send: async (event) => app.log.warn({ event: event.type }, 'no job queue: notification event dropped'),
    },
    push: opts.push,
    webhooks: opts.webhooks,
    files: opts.files ?? folderStorage(mkdtempSync(join(tmpdir(), 'mutual-files-'))),
    uploads: { ...defaultUploads, ...opts.uploads },
    circles: opts.circles ?? defaultCircles,
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
  await securityRoutes(app, deps);
  await settingsRoutes(app, deps);
  await groupRoutes(app, deps);
  await directorySearchRoutes(app, deps);
  await directorySettingsRoutes(app, deps);
  await listingRoutes(app, deps);
  await seoRoutes(app, deps);
  await guidedRoutes(app, deps);
  await accessRoutes(app, deps);
  await memberRoutes(app, deps);
  await paymentRoutes(app, deps);
  await organisationRoutes(app, deps);
  await forumRoutes(app, deps);
  await discussionSearchRoutes(app, deps);
  await blockingRoutes(app, deps);
  await contentWarningRoutes(app, deps);
  await safetyRoutes(app, deps);
  await notificationRoutes(app, deps);
  await moderationRoutes(app, deps);
  await adminRoutes(app, deps);
  await trustRoutes(app, deps);
  await watchedWordRoutes(app, deps);
  await mailListRoutes(app, deps);
  await newsletterRoutes(app, deps);
  // These add to thread pages, so they come after the forum's routes (forum/extensions.ts).
  await supportRoutes(app, deps);
  await resourceRoutes(app, deps);
  await campaignRoutes(app, deps);
  await linkPreviewRoutes(app);
  await meetingRoutes(app, deps);
  await chatRoutes(app, deps);
  // Adds to the meetings' live rooms, so it comes after the chat's routes (chat/extensions.ts).
  await circleRoutes(app, deps);
  await followingRoutes(app, deps);
  await messageRoutes(app, deps);
  await pushRoutes(app, deps);
  await fileRoutes(app, deps);
  await pollRoutes(app, deps);
  await agreementRoutes(app, deps);
  await webhookRoutes(app, deps);
  await apiPageRoutes(app, deps);
  await privacyRoutes(app, deps, { exportJob: opts.exportJob });
  // The JSON API, on the same services and policies: each feature's routes in `<feature>/api.ts`.
  await apiRoutes(app, deps, [
    directoryApiRoutes,
    groupApiRoutes,
    memberApiRoutes,
    forumApiRoutes,
    meetingApiRoutes,
    moderationApiRoutes,
  ]);
  await liveRoutes(app, { bus, topics: live, baseUrl: opts.baseUrl });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeInventory: { method: string; url: string }[];
    liveTopics: LiveTopics;
  }
}
