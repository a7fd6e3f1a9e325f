/**
 * The fan-out of a new post: a group of 10,000 members of whom 2,000 watch it. Through the real
 * path: a member posts a reply over HTTP (the app in this process, as `npm start` runs it by
 * default: web and worker together); the request sends post.created once it commits; the
 * notification job (pg-boss, a worker in this process, started as soon as the event is queued)
 * asks following's source for the recipients in one statement and writes their notifications,
 * deciding in the same statement which go out by email (email_due_at) and which by push (pushed_at
 * left for the push work): once the rows exist, every email and push is queued.
 *
 * Two groups of the same 10,000 members: "Quiet", which nobody watches, and "Watched", which 2,000
 * of them watch (wanting watched posts in the app, by email and by push, each with a push
 * subscription). Each round, on a machine too noisy to compare runs made minutes apart:
 *   1. a reply in Quiet, alone (the baseline request);
 *   2. a reply in Watched (its request, then its fan-out of 2,001 notifications starts);
 *   3. at once, a reply in Quiet again, while that fan-out runs;
 *   4. the time from 2's answer until all 2,001 notifications of it exist.
 * Then the job's own run, without the queue (the recipients' statement and the insert).
 *
 *   npm run bench:notifications -- --database-url postgres://postgres@127.0.0.1:5432/mutual_notifications_bench
 *     [--members 10000] [--watchers 2000] [--rounds 30] [--split] [--keep]
 *
 * --split runs the jobs in a worker process of its own, as MUTUAL_ROLE=web and MUTUAL_ROLE=worker
 * do (the worker polls for jobs every 2 s, as in production).
 *
 * It creates the database named in the URL (dropping one left by an earlier run) and drops it at
 * the end unless --keep.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { createSession } from '../src/features/accounts/service.js';
import { followingSources, postCreatedSource } from '../src/features/following/index.js';
import { createNotifications, defineNotificationJobs } from '../src/features/notifications/index.js';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import { unlimitedPosting } from '../src/platform/deps.js';
import { createJobQueue } from '../src/platform/jobs/queue.js';
import { createMailTransport, queuedMailer } from '../src/platform/mail/mailer.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? '' },
    members: { type: 'string', default: '10000' },
    watchers: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '30' },
    split: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    /** Internal: this process is --split's worker. */
    'worker-only': { type: 'boolean', default: false },
  },
});
const databaseUrl = args['database-url'];
if (!databaseUrl) throw new Error('--database-url postgres://…/<a database to create> is required');
const members = Number(args.members);
const watcherCount = Number(args.watchers);
const rounds = Number(args.rounds);

const target = new URL(databaseUrl);
const dbName = target.pathname.slice(1);
if (!/^[a-z_][a-z0-9_]*$/.test(dbName) || dbName === 'postgres') {
  throw new Error(`the bench creates and drops its own database: name one (not "${dbName}")`);
}
const adminUrl = new URL(databaseUrl);
adminUrl.pathname = '/postgres';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

type Query = (text: string, params?: unknown[]) => Promise<pg.QueryResult>;
const ms = (from: number, to = performance.now()) => to - from;
const sleep = (n: number) => new Promise((resolve) => setTimeout(resolve, n));

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`;
}

interface Filled {
  ownerId: number;
  posterId: number;
  quiet: { slug: string; threadId: number };
  watched: { slug: string; threadId: number };
}

/** Both groups with every member in them (the owner first, then the poster), and a discussion in each. */
async function fill(query: Query): Promise<Filled> {
  const started = performance.now();
  await query(
    `insert into users (email, email_verified_at, pseudonym, password_hash)
     select 'member' || i || '@bench.test', now() - interval '30 days', 'Member ' || i, 'not-a-hash'
     from generate_series(1, $1::int) i`,
    [members],
  );
  const ids = (await query(`select min(id) as owner, min(id) + 1 as poster from users`)).rows[0]!;
  const ownerId = Number(ids.owner);
  const posterId = Number(ids.poster);
  async function group(slug: string, name: string) {
    const { rows } = await query(
      `insert into groups (slug, name, summary, description, created_by, member_count)
       values ($1, $2, 'People awake at night.', 'We talk here.', $3, $4) returning id`,
      [slug, name, ownerId, members],
    );
    const groupId = Number(rows[0]!.id);
    await query(
      `insert into memberships (group_id, user_id, role, joined_at)
       select $1, id, case when id = $2 then 'owner' else 'member' end::group_role, now() - interval '30 days' from users`,
      [groupId, ownerId],
    );
    const thread = await query(
      `insert into threads (group_id, author_id, title) values ($1, $2, 'Awake again') returning id`,
      [groupId, ownerId],
    );
    const threadId = Number(thread.rows[0]!.id);
    await query(
      `insert into posts (group_id, thread_id, author_id, is_opening, body, body_html)
       values ($1, $2, $3, true, 'Three in the morning and wide awake.', '<p>Three in the morning and wide awake.</p>')`,
      [groupId, threadId, ownerId],
    );
    return { groupId, slug, threadId };
  }
  const quiet = await group('quiet', 'Quiet');
  const watched = await group('watched', 'Watched');
  // 2,000 members (neither the owner nor the poster) watch "Watched".
  const watchers = `select id as user_id from users where id > $1 + 1 order by id limit $2`;
  const params = [ownerId, watcherCount];
  await query(
    `insert into group_follows (user_id, group_id, level) select user_id, ${watched.groupId}, 'watching' from (${watchers}) w`,
    params,
  );
  await query(
    `insert into notification_preferences (user_id, kind, in_app, email, push)
     select user_id, 'watched_post', true, true, true from (${watchers}) w`,
    params,
  );
  await query(
    `insert into push_subscriptions (user_id, endpoint, p256dh, auth)
     select user_id, 'https://push.bench.test/' || user_id, 'key', 'auth' from (${watchers}) w`,
    params,
  );
  await query('analyze');
  console.log(
    `filled: 2 groups of ${members} members, ${watcherCount} watching one of them (${(ms(started) / 1000).toFixed(1)} s)`,
  );
  return { ownerId, posterId, quiet, watched };
}

/** A browser's session and CSRF token, over app.inject. */
async function signedIn(app: FastifyInstance, database: Database, userId: number) {
  const { token } = await createSession(database.db, userId);
  const cookies = new Map([['mutual_session', token]]);
  let csrf = '';
  const remember = (res: LightMyRequestResponse) => {
    for (const c of res.cookies) cookies.set(c.name, c.value);
    csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? csrf;
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    async get(url: string) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: cookie() } });
      remember(res);
      return res;
    },
    async post(url: string, form: Record<string, string>) {
      const payload = new URLSearchParams({ _csrf: csrf, ...form }).toString();
      const res = await app.inject({
        method: 'POST',
        url,
        payload,
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      });
      remember(res);
      return res;
    },
  };
}

/** --split's worker: the notification job, run as the worker role runs it, until told to stop. */
async function workerOnly() {
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
  const jobs = createJobQueue(database, {
    worker: true,
    report: (error, what) => console.error(`${what}: ${error.message}`),
  });
  defineNotificationJobs(jobs, { db: database.db }, followingSources);
  await jobs.start();
  await jobs.work();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void jobs.stop().then(() => database.close().then(() => process.exit(0)));
  });
}

async function main() {
  await admin(`drop database if exists ${dbName} with (force)`);
  await admin(`create database ${dbName}`);
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    await database.migrate();
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    const query: Query = (text, params) => pool.query(text, params);
    const filled = await fill(query);

    const jobs = createJobQueue(database, {
      worker: !args.split,
      report: (error, what) => console.error(`${what}: ${error.message}`),
    });
    const from = 'Mutual <no-reply@bench.test>';
    const transport = createMailTransport({ db: database.db, smtpUrl: undefined, from });
    const mailer = queuedMailer(jobs, transport, from);
    const events = defineNotificationJobs(jobs, { db: database.db }, followingSources);
    await jobs.start();
    let worker: ReturnType<typeof spawn> | undefined;
    if (args.split) {
      const child = spawn(
        process.execPath,
        [...process.execArgv, process.argv[1]!, '--worker-only', '--database-url', databaseUrl],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      worker = child;
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    } else {
      await jobs.work();
    }
    console.log(args.split ? 'web and worker in two processes' : 'web and worker in one process');
    const app = await buildApp({
      database,
      mailer,
      baseUrl: 'https://mutual.bench.test',
      cookieSecret: 'bench-secret-that-is-long-enough-for-cookies',
      logLevel: 'warn',
      limits: { post: { max: 100_000, timeWindow: 60_000 } },
      postingLimits: unlimitedPosting,
      events,
      searchCacheMs: 0,
    });
    await app.ready();
    const poster = await signedIn(app, database, filled.posterId);
    await poster.get(`/g/quiet/t/${filled.quiet.threadId}`);

    const told = async (postId: number) =>
      Number((await query(`select count(*)::int as n from notifications where post_id = $1`, [postId])).rows[0]!.n);
    /** Posts a reply; answers its latency and its id. */
    async function reply(thread: number, body: string): Promise<{ latency: number; postId: number; at: number }> {
      const started = performance.now();
      const res = await poster.post(`/threads/${thread}/replies`, { body });
      const at = performance.now();
      if (res.statusCode !== 303) throw new Error(`the reply was refused: ${res.statusCode}`);
      return { latency: ms(started, at), postId: Number(/#post-(\d+)/.exec(String(res.headers.location))![1]), at };
    }
    /** Waits until the post's notification job is taken by a worker; false if it was done before we saw it. */
    async function taken(postId: number): Promise<boolean> {
      for (;;) {
        const { rows } = await query(
          `select state from pgboss.job where name = 'notifications.event' and (data->>'postId')::int = $1`,
          [postId],
        );
        const state = rows[0]?.state as string | undefined;
        if (state === 'active') return true;
        if (state === 'completed' || state === undefined) return false;
        await sleep(1);
      }
    }
    async function waitFor(postId: number, expected: number): Promise<void> {
      const started = performance.now();
      while ((await told(postId)) < expected) {
        if (ms(started) > 120_000) throw new Error(`post ${postId}: fewer than ${expected} notifications`);
        await sleep(5);
      }
    }

    // How long this process's event loop was held at a time, while the rounds ran.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const alone: number[] = [];
    const watchedPosts: number[] = [];
    const during: number[] = [];
    const fanOut: number[] = [];
    let overlapped = 0;
    const expected = watcherCount + 1; // the watchers, and the discussion's author (a reply)
    for (let i = -3; i < rounds; i += 1) {
      if (i === 0) loop.enable();
      // 1. Alone: nothing else running.
      const quiet = await reply(filled.quiet.threadId, `Still awake, round ${i}.`);
      await waitFor(quiet.postId, 1);
      // 2. A post 2,000 people watch, then 3. another post while its fan-out runs.
      const watched = await reply(filled.watched.threadId, `Watched reply, round ${i}.`);
      // Sent once a worker has taken the fan-out's job (pg-boss marks it active), before it is done.
      const runningBefore = await taken(watched.postId);
      const next = await reply(filled.quiet.threadId, `While it fans out, round ${i}.`);
      await waitFor(watched.postId, expected);
      const done = performance.now();
      await waitFor(next.postId, 1);
      if (i < 0) continue; // warm-up
      alone.push(quiet.latency);
      watchedPosts.push(watched.latency);
      during.push(next.latency);
      fanOut.push(ms(watched.at, done));
      if (runningBefore) overlapped += 1;
    }
    loop.disable();
    console.log(`${rounds} rounds:`);
    console.log(`  a reply, nothing else running:                     ${stats(alone)}`);
    console.log(`  a reply that ${watcherCount} members watch:                 ${stats(watchedPosts)}`);
    console.log(`  a reply while that fan-out runs (${overlapped} of ${rounds} overlapped): ${stats(during)}`);
    console.log(`  from its answer until all ${expected} notifications exist:  ${stats(fanOut)}`);
    const held = (n: number) => `${(n / 1e6).toFixed(0)} ms`;
    console.log(`  the event loop held: p99 ${held(loop.percentile(99))}, max ${held(loop.max)}`);

    // The job's own run, without the queue: the recipients' statement and the insert, one transaction.
    const runs: number[] = [];
    const asking: number[] = [];
    let queued = '';
    for (let i = 0; i < 10; i += 1) {
      const { postId } = await reply(filled.watched.threadId, `Measured alone ${i}.`);
      await waitFor(postId, expected);
      // Its job ran already: take its notifications away and write them again.
      await query(`delete from notifications where post_id = $1`, [postId]);
      const started = performance.now();
      await database.db.transaction(async (tx) => {
        const rows = await postCreatedSource.recipients(tx, { postId });
        asking.push(ms(started));
        await createNotifications(tx, rows);
      });
      runs.push(ms(started));
      const { rows } = await query(
        `select count(*)::int as n, count(*) filter (where email_due_at is not null)::int as email,
           count(*) filter (where pushed_at is null)::int as push from notifications where post_id = $1`,
        [postId],
      );
      queued = `${rows[0]!.n} notifications, ${rows[0]!.email} to go by email, ${rows[0]!.push} by push`;
    }
    console.log(`the job's run alone (one transaction):    ${stats(runs)}`);
    console.log(`  of which the recipients' statement:     ${stats(asking)}`);
    console.log(`  each post: ${queued}`);
    await app.close();
    await jobs.stop();
    mailer.close();
    if (worker) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
  } finally {
    await database.close();
    if (!args.keep) await admin(`drop database if exists ${dbName} with (force)`);
  }
}

if (args['worker-only']) await workerOnly();
else await main();
