import { spawn, type ChildProcess } from 'node:child_process';
import { brotliCompressSync } from 'node:zlib';
import autocannon from 'autocannon';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

/**
 * npm run bench: starts Mutual on a database filled by `npm run bench:data` (or `npm run demo`)
 * and drives it with autocannon, printing one table. Not part of npm test.
 *
 *   npm run bench -- [--database-url postgres://…] [--data-dir ./data-bench] [--duration 20] [--connections 50]
 */
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const databaseUrl = args.get('database-url') ?? process.env.DATABASE_URL;
const dataDir = args.get('data-dir') ?? process.env.DATA_DIR ?? './data-bench';
const duration = Number(args.get('duration') ?? 20);
const connections = Number(args.get('connections') ?? 50);
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
    const db = await PGlite.create(`${dataDir}/pglite`);
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
  return spawn(process.execPath, ['--import', 'tsx', script], {
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
}

async function drive(s: Scenario) {
  const result = await autocannon({
    url: s.url,
    method: s.method ?? 'GET',
    headers: { 'accept-encoding': 'br, gzip', ...s.headers },
    body: s.body,
    connections,
    duration,
  });
  return {
    name: s.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
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
  const app = start('src/main.ts', {
    ...env,
    PORT: String(appPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_FACTOR: '100000',
  });
  const base = `http://127.0.0.1:${appPort}`;
  try {
    await Promise.all([waitFor(`http://127.0.0.1:${ceilingPort}/`), waitFor(`${base}/healthz`)]);
    const member = await logIn(base, targets.email);
    const scenarios: Scenario[] = [
      { name: 'ceiling: bare Fastify, 5 KB', url: `http://127.0.0.1:${ceilingPort}/` },
      { name: 'home page', url: `${base}/` },
      { name: 'directory', url: `${base}/groups` },
      { name: 'group page', url: `${base}/g/${targets.groupSlug}` },
      { name: 'thread page, signed in', url: `${base}${targets.threadPath}`, headers: { cookie: member.cookie } },
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
        body: new URLSearchParams({ body: 'Thinking of you. You are not alone in this.' }).toString(),
      },
    ];
    const rows = [];
    for (const s of scenarios) rows.push(await drive(s));
    const top = rows[0]!.rps || 1;
    console.log(
      `\nMutual bench on ${databaseUrl ? 'PostgreSQL' : 'PGlite'}: ${connections} connections, ${duration} s each\n`,
    );
    console.table(
      rows.map((r) => ({
        scenario: r.name,
        'req/s': Math.round(r.rps),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors,
        'of ceiling': `${Math.round((r.rps / top) * 100)}%`,
      })),
    );
    const weights = [];
    for (const [name, path, cookie] of [
      ['home page', '/', ''],
      ['directory', '/groups', ''],
      ['group page', `/g/${targets.groupSlug}`, ''],
      ['thread page', targets.threadPath, member.cookie],
    ] as const) {
      weights.push({ page: name, ...(await pageWeight(base, path, cookie)) });
    }
    console.log('\nPage weight (bytes, Brotli-compressed)\n');
    console.table(weights);
  } finally {
    ceiling.kill('SIGTERM');
    app.kill('SIGTERM');
  }
}

await main();
