import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import pg from 'pg';
import type { z } from 'zod';
import type { Database, DbOrTx } from '../db/client.js';

/** A kind of background job: its queue's name, the shape of its data, and what running one does. */
export interface JobDefinition<T> {
  /** Letters, digits, dots and dashes: 'mail.send'. */
  name: string;
  data: z.ZodType<T>;
  /**
   * Runs one job. A job that throws is tried again later (with growing delays), so running the
   * same job twice must do no harm: pg-boss runs each job once, but a worker can die after doing
   * the work and before recording that it did.
   */
  run(data: T, job: { id: string }): Promise<void>;
  retryLimit?: number;
  /** Seconds before the first retry; each later one waits twice as long. */
  retryDelay?: number;
  /** A job still running after this long is given up and retried. */
  expireInSeconds?: number;
}

/** How one job is queued. */
export interface SendOptions {
  /**
   * The job's own id (a UUID), for work that several runs or processes may queue: a job whose id
   * is already in the queue (waiting, running, or finished within the hour) is not queued again.
   */
  id?: string;
  /** Seconds from now before the job may run (a retry with a delay of the job's own choosing). */
  startAfter?: number;
}

/** Queues a job of one kind; the id is the job's, unique across the site. */
export interface JobSender<T> {
  send(data: T, options?: SendOptions): Promise<string>;
}

export interface JobQueue {
  /** Makes a kind of job known. Call before start(). */
  define<T>(job: JobDefinition<T>): JobSender<T>;
  /** Installs or upgrades the queue's tables when needed and creates every defined queue. */
  start(): Promise<void>;
  /** Runs jobs as they become due, in this process (the worker role). */
  work(): Promise<void>;
  /** Runs every job that is due now with its handler, until none is left; returns how many ran. */
  drain(): Promise<number>;
  /** Stops taking jobs, waits a little for those running, and leaves the database open. */
  stop(): Promise<void>;
}

export interface JobQueueOptions {
  /** This process runs jobs: keep the queue tidy (expire, archive) as well. */
  worker: boolean;
  /** How often an idle worker looks for new jobs. */
  pollingIntervalSeconds?: number;
  report: (error: Error, what: string) => void;
}

/**
 * pg-boss over the database Mutual already has, in both modes: on PostgreSQL through the same
 * pool; on PGlite (one connection, in this process) multi-statement scripts go to `exec` and
 * parameterised statements to `query`. Jobs are rows, so they survive crashes and restarts, and
 * workers take each one with SKIP LOCKED, so each runs once however many workers there are.
 */
export function createJobQueue(database: Database, opts: JobQueueOptions): JobQueue {
  const boss = new PgBoss({
    db: executor(database),
    schema: JOB_SCHEMA,
    supervise: opts.worker,
    schedule: false,
    migrate: true,
    // Jobs carry personal data (a mail’s address and text): finished ones go within a week.
    archiveCompletedAfterSeconds: 60 * 60,
    archiveFailedAfterSeconds: 7 * 24 * 60 * 60,
    deleteAfterDays: 7,
  });
  boss.on('error', (error) => opts.report(error, 'job queue'));
  const definitions = new Map<string, JobDefinition<unknown>>();
  // Workers in this process, by queue: a job sent here is started at once rather than at the next poll.
  const localWorkers = new Map<string, string>();
  let started = false;

  async function runOne(definition: JobDefinition<unknown>, job: PgBoss.Job<unknown>): Promise<void> {
    await definition.run(definition.data.parse(job.data), { id: job.id });
  }

  return {
    define<T>(job: JobDefinition<T>): JobSender<T> {
      if (started) throw new Error(`job ${job.name} defined after the queue started`);
      definitions.set(job.name, job as JobDefinition<unknown>);
      return {
        async send(data, options = {}) {
          const queued = await boss.send(job.name, job.data.parse(data) as object, {
            ...(options.id ? { id: options.id } : {}),
            ...(options.startAfter ? { startAfter: options.startAfter } : {}),
          });
          // pg-boss answers null for an id it already has: that job stands for this one.
          const id = queued ?? options.id;
          if (!id) throw new Error(`job ${job.name} was not queued`);
          const worker = localWorkers.get(job.name);
          if (worker) boss.notifyWorker(worker);
          return id;
        },
      };
    },

    async start() {
      await oneAtATime(database, async () => {
        await boss.start();
        for (const d of definitions.values()) {
          await boss.createQueue(d.name, {
            name: d.name,
            retryLimit: d.retryLimit ?? 5,
            retryDelay: d.retryDelay ?? 30,
            retryBackoff: true,
            expireInSeconds: d.expireInSeconds ?? 15 * 60,
          });
        }
      });
      started = true;
    },

    async work() {
      for (const d of definitions.values()) {
        const id = await boss.work(
          d.name,
          { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 },
          async (jobs) => {
            for (const job of jobs) {
              try {
                await runOne(d, job);
              } catch (error) {
                // pg-boss records the failure and retries later; the log says why.
                opts.report(error as Error, `job ${d.name}`);
                throw error;
              }
            }
          },
        );
        localWorkers.set(d.name, id);
      }
    },

    async drain() {
      let ran = 0;
      for (const d of definitions.values()) {
        for (;;) {
          const jobs = await boss.fetch<unknown>(d.name, { batchSize: 10 });
          if (jobs.length === 0) break;
          for (const job of jobs) {
            ran += 1;
            try {
              await runOne(d, job);
              await boss.complete(d.name, job.id);
            } catch (error) {
              opts.report(error as Error, `job ${d.name}`);
              await boss.fail(d.name, job.id, { message: (error as Error).message });
            }
          }
        }
      }
      return ran;
    },

    async stop() {
      localWorkers.clear();
      await boss.stop({ graceful: true, timeout: 10_000, close: false, wait: true });
    },
  };
}

/** Where pg-boss keeps its tables, beside Mutual's. */
const JOB_SCHEMA = 'pgboss';

/**
 * Deletes jobs of one kind whose data matches, queued, running, finished or archived: for
 * forgetting a person. Runs in the caller's transaction.
 */
export async function forgetJobs(db: DbOrTx, name: string, where: SQL): Promise<void> {
  for (const table of ['job', 'archive']) {
    await db.execute(
      sql`delete from ${sql.identifier(JOB_SCHEMA)}.${sql.identifier(table)} where name = ${name} and ${where}`,
    );
  }
}

/** Any number of our own choosing, the same in every process: "jobs" in ASCII. */
const START_LOCK = 0x6a6f6273;

/**
 * pg-boss installs its tables and creates queues on start, and does not survive several processes
 * doing so at once on a new database (deadlocks, "already exists"): they take turns. The lock is
 * held on a connection of its own, so the pool stays free for the work itself.
 */
async function oneAtATime(database: Database, work: () => Promise<void>): Promise<void> {
  if (database.kind !== 'postgres') return work();
  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
  const lock = new pg.Client(pool.options);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [START_LOCK]);
    await work();
  } finally {
    await lock.end();
  }
}

/** pg-boss's `db` option: how it sends SQL through Mutual's own connection(s). */
function executor(database: Database): PgBoss.Db {
  if (database.kind === 'postgres') {
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    return { executeSql: (text, values) => pool.query(text, values) };
  }
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return client.query(text, values);
      const results = await client.exec(text);
      return results.at(-1) ?? { rows: [] };
    },
  };
}
