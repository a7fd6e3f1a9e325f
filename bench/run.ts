import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { brotliCompressSync } from 'node:zlib';
import autocannon from 'autocannon';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { directorySearchPath } from './searches.js';

/**
 * npm run bench: starts Mutual on a database filled by `npm run bench:data` (or `npm run demo`)
 * and drives it with autocannon, printing one table. Not part of npm test.
 *
 *   npm run bench -- [--database-url postgres://…] [--data-dir ./data-bench] [--duration 20] [--connections 50]
 *                    [--runs 3] [--soak 600] [--web-processes 2] [--only directory]
 *
 * Each scenario runs `--runs` times and the median is printed. `--only words` runs only the
 * scenarios whose names contain one of the comma-separated words (`=name`: exactly that name),
 * and the ceiling. `--soak N` instead drives the
 * signed-in thread page for N seconds and reports the server's memory before, during and after.
 * `--web-processes N` (PostgreSQL only) runs N web processes and a worker, sharing Redis.
 */
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const databaseUrl = args.get('database-url') ?? process.env.DATABASE_URL;
const dataDir = args.get('data-dir') ?? process.env.DATA_DIR ?? './data-bench';
const duration = Number(args.get('duration') ?? 20);
const connections = Number(args.get('connections') ?? 50);
const runs = Number(args.get('runs') ?? 3);
const soak = args.has('soak') ? Number(args.get('soak') || 600) : null;
const webProcesses = Number(args.get('web-processes') ?? 1);
const only = (args.get('only') ?? '').split(',').filter(Boolean);
const redisUrl = args.get('redis-url') ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const appPort = 3901;
const ceilingPort = 3999;
const password = args.get('password') ?? process.env.BENCH_PASSWORD ?? 'bench-password';

type Row = Record<string, unknown>;

/** Finds what the scenarios need: a group, a thread with about 20 posts, and a member of its group. */
async function pickTargets(): Promise<{ groupSlug: string; threadPath: string; threadId: number; email: string }> {
  const q = `
    with t as (
      select p.thread_id, count(*) as n from posts p
      join threads th on th.id = p.thread_id join groups g on g.id = th.group_id
      where p.deleted_at is null and p.status = 'published' and g.visibility = 'public'
        and exists (select 1 from memberships m where m.group_id = g.id and m.role = 'member')
      group by p.thread_id order by abs(count(*) - 20), p.thread_id limit 1
    )
    select g.slug, th.id as thread_id, u.email
    from t join threads th on th.id = t.thread_id join groups g on g.id = th.group_id
    join memberships m on m.group_id = g.id and m.role = 'member'
    join users u on u.id = m.user_id
    limit 1`;
  let rows: Row[];
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    rows = (await client.query(q)).rows as Row[];
    await client.end();
  } else {
    const db = await PGlite.create(`${dataDir}/pglite`, { extensions: { pg_trgm } });
    rows = (await db.query<Row>(q)).rows;
    await db.close();
  }
  const row = rows[0];
  if (!row) throw new Error('No data to bench: run `npm run bench:data` (or `npm run demo`) first.');
  const threadId = Number(row.thread_id);
  return {
    groupSlug: String(row.slug),
    threadId,
    threadPath: `/g/${String(row.slug)}/t/${threadId}`,
    email: String(row.email),
  };
}

/** Runs a TypeScript entry point in its own Node process (no npx in between, so it can be stopped). */
function start(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  // Mutual itself runs as it does in production: compiled by `npm run build`, without tsx.
  const args = script.endsWith('.js') ? [script] : ['--import', 'tsx', script];
  return spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * The worker refreshes the directory's figures when it starts (tens of seconds of database work
 * on 100,000 entries): wait for it, so that the measurements do not include it. On PostgreSQL,
 * until no other statement has been running for 2 s; on PGlite, until a search answers in under 1 s.
 */
async function waitForStartupWork(base: string, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const started = Date.now();
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      while (Date.now() < until) {
        const { rows } = await client.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database()
             and pid <> pg_backend_pid() and state = 'active' and now() - query_start > interval '2 seconds'`,
        );
        if (Number(rows[0]?.n) === 0) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    } finally {
      await client.end();
    }
  } else {
    while (Date.now() < until) {
      const t = Date.now();
      await fetch(`${base}/groups?q=support`);
      if (Date.now() - t < 1_000) break;
    }
  }
  console.log(`Start-up work done after ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Logs in as a bench member and returns the cookies and a CSRF token for posting. */
async function logIn(base: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      jar.set(k!, v ?? '');
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await fetch(`${base}/login`);
  remember(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ _csrf: token, email, password }),
  });
  remember(res);
  if (res.status !== 303) throw new Error(`bench login failed (${res.status}); is the password ${password}?`);
  const signedIn = await fetch(`${base}/groups`, { headers: { cookie: cookie() } });
  remember(signedIn);
  const csrf = /x-csrf-token&quot;:&quot;([^&]+)&quot;/.exec(await signedIn.text())?.[1] ?? '';
  return { cookie: cookie(), csrf };
}

interface Scenario {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Revalidation with an ETag: 304 is the expected answer. */
  expect304?: boolean;
  /** A new body for each request (posting the same words again is refused as a duplicate). */
  bodies?: () => string;
  /** A new path for each request (a different search each time). */
  paths?: () => string;
}

let replies = 0;

/** The latency below which a share of the samples fall, in ms. */
function percentile(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]! * 10) / 10;
}

async function driveOnce(s: Scenario, seconds = duration) {
  const load = [loadavg()[0]!];
  // Without a callback autocannon returns its instance, which is also a promise of the result.
  const instance = autocannon({
    url: s.url,
    method: s.method ?? 'GET',
    headers: { 'accept-encoding': 'br, gzip', ...s.headers },
    body: s.body,
    requests:
      s.bodies || s.paths
        ? [
            {
              setupRequest: (request) => ({
                ...request,
                ...(s.bodies ? { body: s.bodies() } : {}),
                ...(s.paths ? { path: s.paths() } : {}),
              }),
            },
          ]
        : undefined,
    connections,
    duration: seconds,
  }) as Promise<autocannon.Result> & autocannon.Instance;
  // autocannon's histogram has no 95th percentile: every response's time is kept instead.
  const times: number[] = [];
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  const result = await instance;
  load.push(loadavg()[0]!);
  const sorted = Float64Array.from(times).sort();
  return {
    rps: result.requests.average,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    // A 304 is the answer the scenario asks for, not an error.
    errors: result.errors + result.timeouts + result.non2xx - (s.expect304 ? (result['3xx'] ?? 0) : 0),
    load: Math.max(...load),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs a scenario `runs` times: the machine is shared and noisy, so the median tells more than one run. */
async function drive(s: Scenario) {
  const results = [];
  for (let i = 0; i < runs; i += 1) results.push(await driveOnce(s));
  return {
    name: s.name,
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p95: median(results.map((r) => r.p95)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    load: Math.max(...results.map((r) => r.load)),
  };
}

/** The resident memory of a process and the processes it started (web processes, a worker), in MB (Linux). */
function rssMb(pid: number | undefined): number {
  const kb = (id: string): number => {
    const status = readFileSync(`/proc/${id}/status`, 'utf8');
    const children = readFileSync(`/proc/${id}/task/${id}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) + children.reduce((n, child) => n + kb(child), 0);
  };
  return Math.round(kb(String(pid)) / 1024);
}

/** Drives the signed-in thread page for a long time, sampling the server's memory every 30 s. */
async function soakTest(app: ChildProcess, s: Scenario, seconds: number) {
  const before = rssMb(app.pid);
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssMb(app.pid)), 30_000);
  const result = await driveOnce(s, seconds);
  clearInterval(timer);
  // Let the collector settle, as a server at rest would.
  await new Promise((r) => setTimeout(r, 5_000));
  const after = rssMb(app.pid);
  console.log(`\nSoak: ${s.name}, ${connections} connections for ${seconds} s\n`);
  console.table([
    {
      'req/s': Math.round(result.rps),
      'p50 ms': result.p50,
      'p99 ms': result.p99,
      errors: result.errors,
      'RSS at rest MB': before,
      'RSS max MB': Math.max(before, ...samples),
      'RSS after MB': after,
      'RSS samples MB': samples.join(' '),
    },
  ]);
}

/** Bytes a browser downloads for a page: HTML, and the CSS and JS it links, Brotli-compressed. */
async function pageWeight(base: string, path: string, cookie = '') {
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  const html = await res.text();
  const size = async (re: RegExp) => {
    let total = 0;
    for (const m of html.matchAll(re))
      total += brotliCompressSync(Buffer.from(await (await fetch(`${base}${m[1]}`)).arrayBuffer())).length;
    return total;
  };
  return {
    html: brotliCompressSync(Buffer.from(html)).length,
    css: await size(/<link rel="stylesheet" href="([^"]+)"/g),
    js: await size(/<script src="([^"]+)"/g),
  };
}

async function main() {
  const targets = await pickTargets();
  const env = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir };
  const ceiling = start('bench/ceiling.ts', { PORT: String(ceilingPort) });
  // Rate limits would turn most of a load test's requests into 429s: lift them for this process.
  if (!existsSync('dist/src/main.js'))
    throw new Error('Run `npm run build` first: the bench measures the compiled build.');
  const app = start('dist/src/main.js', {
    ...env,
    PORT: String(appPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_FACTOR: '100000',
    MAIL_INBOUND_PORT: 'off',
    ...(webProcesses > 1
      ? { WEB_PROCESSES: String(webProcesses), REDIS_URL: redisUrl, REDIS_PREFIX: `bench-${process.pid}:` }
      : {}),
  });
  const base = `http://127.0.0.1:${appPort}`;
  try {
    await Promise.all([waitFor(`http://127.0.0.1:${ceilingPort}/`), waitFor(`${base}/healthz`)]);
    await waitForStartupWork(base);
    const member = await logIn(base, targets.email);
    // Warm up (code paths compiled, pools filled) before measuring memory at rest.
    await driveOnce({ name: 'warm-up', url: `${base}${targets.threadPath}`, headers: { cookie: member.cookie } }, 3);
    await new Promise((r) => setTimeout(r, 3_000));
    const restingRss = rssMb(app.pid);
    const threadSignedIn = {
      name: 'thread page, signed in',
      url: `${base}${targets.threadPath}`,
      headers: { cookie: member.cookie },
    };
    if (soak !== null) {
      await soakTest(app, threadSignedIn, soak);
      return;
    }
    // Weighed first: the reply scenario makes the thread longer.
    const weights = [];
    for (const [name, path, cookie] of [
      ['home page', '/', ''],
      ['directory', '/groups', ''],
      ['group page', `/g/${targets.groupSlug}`, ''],
      ['thread page', targets.threadPath, member.cookie],
    ] as const) {
      weights.push({ page: name, ...(await pageWeight(base, path, cookie)) });
    }
    const etag = (await fetch(`${base}/groups`)).headers.get('etag') ?? '';
    const scenarios: Scenario[] = [
      { name: 'ceiling: bare Fastify, 5 KB', url: `http://127.0.0.1:${ceilingPort}/` },
      { name: 'home page', url: `${base}/` },
      { name: 'directory', url: `${base}/groups` },
      { name: 'group page', url: `${base}/g/${targets.groupSlug}` },
      threadSignedIn,
      {
        name: 'directory, revalidated (304)',
        url: `${base}/groups`,
        headers: { 'if-none-match': etag },
        expect304: true,
      },
      {
        name: 'directory search: text, format and leadership',
        url: base,
        paths: (() => {
          let n = 0;
          return () => directorySearchPath(n++, false);
        })(),
      },
      {
        name: 'directory search: text, format, leadership, within 25 km',
        url: base,
        paths: (() => {
          let n = 0;
          return () => directorySearchPath(n++, true);
        })(),
      },
      {
        name: 'reply, signed in (POST)',
        url: `${base}/threads/${targets.threadId}/replies`,
        method: 'POST',
        headers: {
          cookie: member.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'hx-request': 'true',
          'x-csrf-token': member.csrf,
        },
        bodies: () =>
          new URLSearchParams({ body: `Thinking of you, day ${++replies}. You are not alone in this.` }).toString(),
      },
    ];
    const chosen = scenarios.filter(
      (s, i) =>
        i === 0 ||
        only.length === 0 ||
        only.some((w) => (w.startsWith('=') ? s.name === w.slice(1) : s.name.includes(w))),
    );
    // A search's first requests load the gazetteer, plan the queries and fill the caches: not measured.
    for (const s of chosen.filter((c) => c.paths)) await driveOnce(s, 3);
    const rows = [];
    for (const s of chosen) rows.push(await drive(s));
    const top = rows[0]!.rps || 1;
    console.log(
      `\nMutual bench on ${databaseUrl ? 'PostgreSQL' : 'PGlite'}${webProcesses > 1 ? `, ${webProcesses} web processes and a worker` : ''}: ${connections} connections, ${duration} s each, median of ${runs}\n`,
    );
    console.table(
      rows.map((r) => ({
        scenario: r.name,
        'req/s': Math.round(r.rps),
        'p50 ms': r.p50,
        'p95 ms': r.p95,
        'p99 ms': r.p99,
        errors: r.errors,
        'of ceiling': `${Math.round((r.rps / top) * 100)}%`,
        'load (1 min)': r.load.toFixed(1),
      })),
    );
    console.log('\nPage weight (bytes, Brotli-compressed)\n');
    console.table(weights);
    console.log(`\nServer memory (RSS): ${restingRss} MB at rest, ${rssMb(app.pid)} MB after the run\n`);
  } finally {
    ceiling.kill('SIGTERM');
    app.kill('SIGTERM');
  }
}

await main();
