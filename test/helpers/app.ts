import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db/client.js';
import { defaultCircles, type CircleOptions, type StripeSettings } from '../../src/platform/deps.js';
import {
  fanOut,
  unlimitedPosting,
  type PostingLimits,
  type RateLimits,
  type UploadSettings,
} from '../../src/platform/deps.js';
import { Redis } from 'ioredis';
import webpush from 'web-push';
import { createMemoryBus, createRedisBus, type Bus } from '../../src/platform/bus/index.js';
import { createJobQueue, type JobQueue } from '../../src/platform/jobs/queue.js';
import { createMailTransport, queuedMailer, readOutbox, type Mailer } from '../../src/platform/mail/mailer.js';
import { mailSecret } from '../../src/platform/mail/tokens.js';
import { folderStorage, type FileStorage } from '../../src/platform/storage/index.js';
import { defineMailLists, type MailContext, type MailWork } from '../../src/features/mail-lists/index.js';
import { defineNewsletters } from '../../src/features/newsletters/index.js';
import { defineSupportWork } from '../../src/features/support/index.js';
import { defineMeetingWork } from '../../src/features/meetings/index.js';
import { definePollWork } from '../../src/features/polls/index.js';
import { defineNotificationJobs, defineNotificationWork } from '../../src/features/notifications/index.js';
import { defineWebhookJobs } from '../../src/features/webhooks/index.js';
import { defineLinkPreviews } from '../../src/features/link-previews/index.js';
import { definePushWork } from '../../src/features/push/index.js';
import { messageNotificationSources } from '../../src/features/messages/index.js';
import { followingSources } from '../../src/features/following/index.js';
import { defineFileWork } from '../../src/features/files/index.js';
import { signUp } from '../../src/features/accounts/service.js';
import { defineExportJob } from '../../src/features/privacy/index.js';
import { openTestDatabase } from './database.js';
import { LiveClient } from './live.js';

const generous = { max: 10_000, timeWindow: 60_000 };

export interface TestWorld {
  app: FastifyInstance;
  database: Database;
  mailer: Mailer;
  bus: Bus;
  /** The job queue, as a worker would run it: `drain()` runs every job that is due, with its real handler. */
  jobs: Pick<JobQueue, 'drain'>;
  /** What list mail, digests, newsletters and the inbound server work with (domain lists.test). */
  mail: MailContext;
  /**
   * What the worker does every few seconds, done now: looks for new posts to mail, digests and
   * newsletters that are due at `now`, threads a day without a reply, links to preview; then runs
   * every job until none is left.
   */
  mailTick(now?: Date): Promise<void>;
  /** The same as mailTick: all the worker's periodic work, then every job. */
  tick(now?: Date): Promise<void>;
  /** Where the world's uploads are kept. */
  files: FileStorage;
  /** An agent that keeps cookies and CSRF tokens, like one browser. */
  agent(): Agent;
  /** Creates an account directly (the first one becomes the site administrator). */
  createUser(
    pseudonym: string,
    password?: string,
  ): Promise<{ id: number; email: string; password: string; pseudonym: string }>;
  /** An agent already logged in as a new user. */
  member(pseudonym: string): Promise<Agent>;
  /** The outbox as a site administrator reads it once a worker has run the jobs due (mail is sent by jobs). */
  outbox(): ReturnType<typeof readOutbox>;
  close(): Promise<void>;
}

export async function createWorld(
  opts: {
    limits?: Partial<RateLimits>;
    postingLimits?: PostingLimits;
    baseUrl?: string;
    logger?: Logger;
    /** Send mail to this SMTP server (a TestSmtpServer's url) rather than keep it in the outbox. */
    smtpUrl?: string;
    /** Web Push's VAPID key pair and subject; a fresh pair and a test subject when absent. */
    vapid?: { publicKey: string; privateKey: string; subject: string };
    /** Where uploads are kept (an S3 storage on loopback); a temporary folder when absent. */
    files?: FileStorage;
    /** The site's upload limits; the defaults when absent. */
    uploads?: Partial<UploadSettings>;
    /**
     * Webhooks: WEBHOOKS_ALLOW_PRIVATE_ADDRESSES (off when absent, as in production), and attempts
     * before a delivery fails (8 when absent). Deliveries reach only loopback (a test never reaches
     * the internet), and retries are due at once, so one tick runs them all.
     */
    webhooks?: { allowPrivateAddresses?: boolean; maxAttempts?: number };
    /** Card payments through Stripe (its webhook's secret signs test confirmations); off when absent. */
    stripe?: StripeSettings;
    /** Voice and video circles: the mesh limit, and a test's TURN or Janus server; a mesh of 6 and neither when absent. */
    circles?: Partial<CircleOptions>;
  } = {},
): Promise<TestWorld> {
  const database = await openTestDatabase();
  // A job or live event that goes wrong in a test is a bug: fail loudly.
  const fail = (error: Error) => {
    throw error;
  };
  const jobs = createJobQueue(database, { worker: false, report: fail });
  const from = 'Mutual <no-reply@lists.test>';
  const transport = createMailTransport({ db: database.db, smtpUrl: opts.smtpUrl, from });
  const mailer = queuedMailer(jobs, transport, from);
  const exportJob = defineExportJob(jobs, database.db);
  const cookieSecret = 'test-secret-that-is-long-enough-for-cookies';
  const baseUrl = opts.baseUrl ?? 'http://localhost:3000';
  const postingLimits = opts.postingLimits ?? unlimitedPosting;
  // The bus is made below; list mail reaches it through this object once it is.
  const mail: MailContext = {
    db: database.db,
    baseUrl,
    domain: 'lists.test',
    secret: mailSecret(cookieSecret),
    transport,
    mailer,
    postingLimits,
  };
  // The same notification sources as main.ts.
  const webhooks = { allowPrivateAddresses: opts.webhooks?.allowPrivateAddresses ?? false };
  const events = fanOut(
    defineNotificationJobs(jobs, mail, [...followingSources, ...messageNotificationSources]),
    defineWebhookJobs(jobs, {
      db: database.db,
      baseUrl,
      ...webhooks,
      loopbackOnly: true,
      maxAttempts: opts.webhooks?.maxAttempts,
      retryDelaySeconds: 0,
      timeoutMs: 5000,
    }),
  );
  mail.events = events;
  // Pushes go to endpoints the tests run on loopback, which production never reaches.
  const push = definePushWork(jobs, {
    db: database.db,
    vapid: opts.vapid ?? { ...webpush.generateVAPIDKeys(), subject: 'mailto:push@lists.test' },
    allowPrivateEndpoints: true,
    loopbackOnly: true,
    timeoutMs: 5000,
  });
  // Uploads go to a folder of the world's own, shared by every app on its database.
  const files = opts.files ?? folderStorage(await mkdtemp(join(tmpdir(), 'mutual-test-files-')));
  const mailWork: MailWork[] = [
    ...defineMailLists(jobs, mail),
    ...defineNewsletters(jobs, mail),
    ...defineSupportWork(jobs, { db: database.db, baseUrl }),
    ...defineMeetingWork(jobs, mail),
    // Polls whose closing time has come: closed, their voters told.
    ...definePollWork({ db: database.db }),
    // Tests serve the pages whose links are previewed on loopback, which production never fetches.
    ...defineLinkPreviews(jobs, database.db, { allowPrivateAddresses: true, loopbackOnly: true, baseUrl }),
    // The bell's count for notifications made inside other features' transactions; notification emails.
    ...defineNotificationWork(jobs, mail),
    ...push.work,
    // Files whose post, message, group or account is gone, and stale uploads: deleted from storage.
    ...defineFileWork({ db: database.db, files }),
  ];
  await jobs.start();
  // With TEST_REDIS_URL the world's live events and rate limits go through Redis, as in production.
  const redisUrl = process.env.TEST_REDIS_URL;
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
  const prefix = `mutual-test:${randomBytes(6).toString('hex')}:`;
  const bus = redis ? createRedisBus(redis, prefix, fail) : createMemoryBus(fail);
  mail.bus = bus;
  const app = await buildApp({
    files,
    uploads: opts.uploads,
    database,
    mailer,
    exportJob,
    bus,
    rateLimitRedis: redis ? { redis, prefix } : undefined,
    baseUrl,
    cookieSecret,
    mailDomain: mail.domain,
    events,
    push: push.routes,
    webhooks,
    stripe: opts.stripe,
    circles: { ...defaultCircles, ...opts.circles },
    logLevel: 'silent',
    logger: opts.logger,
    searchCacheMs: 0,
    limits: {
      signUp: generous,
      logIn: generous,
      post: generous,
      passwordReset: generous,
      api: generous,
      ...opts.limits,
    },
    // Like the rate limits above: tests of the trust limits ask for them (defaultPostingLimits).
    postingLimits,
  });
  await app.ready();
  const world: TestWorld = {
    app,
    database,
    mailer,
    bus,
    files,
    jobs,
    mail,
    async mailTick(now = new Date()) {
      for (const work of mailWork) await work.run(now);
      while ((await jobs.drain()) > 0);
    },
    tick: (now) => world.mailTick(now),
    agent: () => new Agent(app),
    async createUser(pseudonym, password = 'correct horse battery') {
      const email = `${pseudonym.toLowerCase().replace(/[^a-z0-9]/g, '')}@example.org`;
      const user = await signUp(database.db, { email, password, pseudonym });
      return { id: user.id, email, password, pseudonym };
    },
    async member(pseudonym) {
      const user = await world.createUser(pseudonym);
      const agent = world.agent();
      await agent.logIn(user.email, user.password);
      return agent;
    },
    async outbox() {
      await jobs.drain();
      return readOutbox(database.db);
    },
    async close() {
      await app.close();
      await jobs.stop();
      await bus.close();
      if (redis) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      }
      await database.close();
    },
  };
  return world;
}

/** One browser's worth of state over app.inject: cookies and the page's CSRF token. */
export class Agent {
  private cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.maxAge === 0 || c.value === '' || (c.expires && c.expires.getTime() < Date.now()))
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    // Signed-in pages give htmx the token; a visitor's pages only in the forms that need one.
    const token =
      /x-csrf-token&quot;:&quot;([^&]+)&quot;/.exec(res.body)?.[1] ??
      /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    return res;
  }

  /** Posts a form as a browser would, with the CSRF token from the last page seen. */
  async post(
    url: string,
    form: Record<string, string | string[]> = {},
    opts: { htmx?: boolean; csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    // A signed-in page carries the token for htmx; a visitor's, only the pages with a form.
    if (opts.csrf === undefined && !this.csrf) await this.get('/groups');
    if (opts.csrf === undefined && !this.csrf) await this.get('/login');
    const params = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token && !opts.htmx) params.append('_csrf', token);
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) params.append(k, item);
    const headers: Record<string, string> = {
      cookie: this.cookieHeader(),
      'content-type': 'application/x-www-form-urlencoded',
      ...opts.headers,
    };
    if (opts.htmx) {
      headers['hx-request'] = 'true';
      if (token) headers['x-csrf-token'] = token;
    }
    const res = await this.app.inject({ method: 'POST', url, payload: params.toString(), headers });
    this.remember(res);
    return res;
  }

  /**
   * Posts a multipart form (files and fields) as a browser would, the CSRF token first among its
   * fields (or in the header for htmx and scripts). `form` is the global FormData.
   */
  async postMultipart(
    url: string,
    form: FormData,
    opts: { htmx?: boolean; script?: boolean; csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    if (opts.csrf === undefined && !this.csrf) await this.get('/groups');
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    const body = new FormData();
    const header = opts.htmx || opts.script;
    if (token && !header) body.append('_csrf', token);
    for (const [k, v] of form.entries()) body.append(k, v);
    const request = new Request('http://localhost/', { method: 'POST', body });
    const headers: Record<string, string> = {
      cookie: this.cookieHeader(),
      'content-type': request.headers.get('content-type')!,
    };
    if (opts.htmx) headers['hx-request'] = 'true';
    if (header && token) headers['x-csrf-token'] = token;
    const payload = Buffer.from(await request.arrayBuffer());
    const res = await this.app.inject({ method: 'POST', url, payload, headers });
    this.remember(res);
    return res;
  }

  /** Opens the site's WebSocket (/live) as this browser would, with its cookies. */
  async live(headers: Record<string, string> = {}): Promise<LiveClient> {
    return new LiveClient(await this.app.injectWS('/live', { headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  async logIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode}`);
    return res;
  }
}

/** The visible text of an HTML response, tags stripped, for asserting what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
