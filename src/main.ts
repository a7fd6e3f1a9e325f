import 'dotenv/config';
import cluster from 'node:cluster';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config, type ProcessRole } from './config.js';
import { createMemoryBus, createRedisBus } from './platform/bus/index.js';
import { openDatabase } from './platform/db/client.js';
import { fanOut, scaledPostingLimits, scaledRateLimits } from './platform/deps.js';
import { schedulePeriodicWork } from './platform/jobs/periodic.js';
import { folderStorage } from './platform/storage/index.js';
import { s3Storage } from './platform/storage/s3.js';
import { createJobQueue } from './platform/jobs/queue.js';
import { createLogger } from './platform/log.js';
import { readFileSync } from 'node:fs';
import { createMailTransport, queuedMailer } from './platform/mail/mailer.js';
import { mailSecret } from './platform/mail/tokens.js';
import { checkRedis, connectRedis } from './platform/redis.js';
import { scheduleDirectoryStats } from './features/directory/index.js';
import { defineExportJob } from './features/privacy/index.js';
import { defineMailLists, startInboundServer, type MailContext } from './features/mail-lists/index.js';
import { defineNewsletters } from './features/newsletters/index.js';
import { defineSupportWork } from './features/support/index.js';
import { defineMeetingWork } from './features/meetings/index.js';
import { definePollWork } from './features/polls/index.js';
import { defineNotificationJobs, defineNotificationWork } from './features/notifications/index.js';
import { defineLinkPreviews } from './features/link-previews/index.js';
import { definePushWork, loadOrCreateVapidKeys } from './features/push/index.js';
import { defineWebhookJobs } from './features/webhooks/index.js';
import { messageNotificationSources } from './features/messages/index.js';
import { followingSources } from './features/following/index.js';
import { defineFileWork } from './features/files/index.js';

async function main() {
  const config = loadConfig();
  if (config.webProcesses > 1 && cluster.isPrimary) {
    superviseProcesses(config, createLogger(config.logLevel, 'supervisor'));
    return;
  }
  await runProcess(config, createLogger(config.logLevel, config.role));
}

/**
 * One process: web (pages, /live), worker (jobs such as mail) or both. Everything it opens is
 * closed on SIGTERM in the reverse order: first no new requests, then no new jobs, then the
 * connections the requests and jobs were using.
 */
async function runProcess(config: Config, log: Logger) {
  const web = config.role !== 'worker';
  const worker = config.role !== 'web';
  if (config.role === 'web' && !config.redis) {
    log.warn(
      'MUTUAL_ROLE=web without REDIS_URL: with more than one web process, live updates and rate limits stay within each',
    );
  }
  const database = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir },
  );
  await database.migrate();

  const redis = config.redis
    ? connectRedis(config.redis.url, (error, what) => log.error({ err: error }, `${what}: ${error.message}`))
    : undefined;
  if (redis && config.redis) await checkRedis(redis, config.redis.url);
  const reportBusError = (error: Error, channel: string) => log.warn({ err: error, channel }, 'live event lost');
  const bus =
    redis && config.redis
      ? createRedisBus(redis, config.redis.prefix, reportBusError)
      : createMemoryBus(reportBusError);

  const jobs = createJobQueue(database, {
    worker,
    report: (error, what) => log.error({ err: error }, `${what}: ${error.message}`),
  });
  const transport = createMailTransport({
    db: database.db,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    dkim: config.dkim && {
      domainName: config.mailDomain,
      keySelector: config.dkim.keySelector,
      privateKey: readFileSync(config.dkim.privateKeyFile, 'utf8'),
    },
  });
  const mailer = queuedMailer(jobs, transport, config.mailFrom);
  const exportJob = defineExportJob(jobs, database.db);
  const postingLimits = scaledPostingLimits(config.rateLimitFactor);
  const mail: MailContext = {
    db: database.db,
    baseUrl: config.baseUrl,
    domain: config.mailDomain,
    secret: mailSecret(config.sessionSecret),
    transport,
    mailer,
    bus,
    postingLimits,
  };
  // Who is told of what happened (replies, mentions, reactions, private messages): features' sources.
  // … and webhooks, told of the same events (src/features/webhooks).
  const events = fanOut(
    defineNotificationJobs(jobs, mail, [...followingSources, ...messageNotificationSources]),
    defineWebhookJobs(jobs, {
      db: database.db,
      baseUrl: config.baseUrl,
      allowPrivateAddresses: config.webhooks.allowPrivateAddresses,
    }),
  );
  mail.events = events;
  // Web Push: the key pair from the environment, or the one kept in the data directory.
  const push = definePushWork(jobs, {
    db: database.db,
    vapid: { ...(config.push.vapid ?? loadOrCreateVapidKeys(config.dataDir)), subject: config.push.subject },
    allowPrivateEndpoints: config.push.allowPrivateEndpoints,
  });
  // Uploads: S3-compatible storage when configured (shared by every process), else DATA_DIR/files.
  const files = config.files.s3 ? s3Storage(config.files.s3) : folderStorage(join(config.dataDir, 'files'));
  const periodicWork = [
    ...defineMailLists(jobs, mail),
    ...defineNewsletters(jobs, mail),
    ...defineSupportWork(jobs, { db: database.db, baseUrl: config.baseUrl }),
    ...defineMeetingWork(jobs, mail),
    // Polls whose closing time has come: closed, their voters told.
    ...definePollWork({ db: database.db }),
    ...defineLinkPreviews(jobs, database.db, { enabled: config.linkPreviews, baseUrl: config.baseUrl }),
    // The bell's count for notifications made inside other features' transactions; notification emails.
    ...defineNotificationWork(jobs, mail),
    ...push.work,
    // Deletes the bytes of files whose post, message, group or account is gone, and stale uploads.
    ...defineFileWork({ db: database.db, files }),
  ];
  await jobs.start();
  if (worker) await jobs.work();
  // New posts to mail, digests and newsletters that are due: looked for by the worker.
  const stopMailWork = worker
    ? schedulePeriodicWork(periodicWork, (error, what) => log.error({ err: error }, `${what}: ${error.message}`))
    : undefined;
  // Replies, new discussions and bounces by email: the worker's too, so one process listens.
  const inbound =
    worker && config.inboundPort !== undefined
      ? await startInboundServer(mail, {
          port: config.inboundPort,
          host: config.host,
          maxBytes: config.mailMaxBytes,
          report: (error, what) => log.error({ err: error }, `inbound mail: ${what}: ${error.message}`),
        })
      : undefined;
  // The directory's activity figures, "did you mean" words and meeting times, kept fresh by the worker.
  const stopDirectoryStats = worker
    ? scheduleDirectoryStats(database.db, (error) => log.error({ err: error }, `directory stats: ${error.message}`))
    : undefined;

  const app = web
    ? await buildApp({
        limits: scaledRateLimits(config.rateLimitFactor),
        postingLimits,
        mailDomain: config.mailDomain,
        database,
        mailer,
        exportJob,
        bus,
        rateLimitRedis: redis && config.redis ? { redis, prefix: config.redis.prefix } : undefined,
        logger: log,
        baseUrl: config.baseUrl,
        cookieSecret: config.sessionSecret,
        secureCookies: config.secureCookies,
        trustProxy: config.trustProxy,
        stripe: config.stripe,
        events,
        webhooks: config.webhooks,
        push: push.routes,
        files,
        uploads: config.files,
        circles: config.circles,
      })
    : undefined;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing requests and jobs, then closing connections');
    // Stops accepting connections, closes live sockets and waits for requests in flight.
    await app?.close();
    stopDirectoryStats?.();
    stopMailWork?.();
    await inbound?.close();
    await jobs.stop();
    mailer.close();
    await bus.close();
    await redis?.quit();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const where = database.kind === 'pglite' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL';
  if (app) {
    await app.listen({ port: config.port, host: config.host });
    log.info(
      `Mutual is running at ${config.baseUrl} on ${where}${worker ? '' : ' (web only: a worker runs the jobs)'}`,
    );
  } else {
    log.info(`Mutual's worker is running jobs on ${where}`);
  }
  if (inbound) log.info(`Receiving mail for ${config.mailDomain} on port ${inbound.port}`);
}

/**
 * WEB_PROCESSES > 1: this process only starts and watches the others. The web processes share
 * PORT (Node's cluster hands each new connection to one of them); with MUTUAL_ROLE=all a worker
 * process runs the jobs. A process that dies is replaced; one that dies while starting stops
 * everything, as its problem (a bad setting, a database out of reach) would only repeat.
 */
function superviseProcesses(config: Config, log: Logger) {
  const running = new Map<number, ProcessRole>();
  let stopping = false;

  const start = (role: 'web' | 'worker') => {
    const startedAt = Date.now();
    const child = cluster.fork({ MUTUAL_ROLE: role, WEB_PROCESSES: '1' });
    running.set(child.id, role);
    child.on('exit', (code, signal) => {
      running.delete(child.id);
      if (stopping) {
        if (running.size === 0) process.exit();
        return;
      }
      if (Date.now() - startedAt < 10_000) {
        log.error({ role, code, signal }, 'a process stopped while starting; stopping Mutual');
        stop(1);
        return;
      }
      log.error({ role, code, signal }, 'a process stopped; starting another');
      start(role);
    });
  };

  const stop = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    for (const child of Object.values(cluster.workers ?? {})) child?.process.kill('SIGTERM');
    if (running.size === 0) process.exit(exitCode);
  };

  for (let i = 0; i < config.webProcesses; i += 1) start('web');
  if (config.role === 'all') start('worker');
  log.info(
    `Mutual is starting ${config.webProcesses} web processes${config.role === 'all' ? ' and a worker' : ''} on port ${config.port}`,
  );
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
