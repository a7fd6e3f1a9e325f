/**
 * npm run bench:chat: one Mutual process, one room, many WebSocket clients (issue 6).
 *
 *   npm run bench:chat -- [--clients 1000] [--messages 200] [--idle 5000] [--only latency,throughput,memory]
 *                         [--database-url postgres://…] [--redis-url redis://…] [--via http|bus]
 *                         [--scenario thread|chat] [--posters 50] [--step-seconds 10] [--rates 10,25,50,…]
 *                         [--client-processes 1] [--settle 10] [--port 3911] [--compiled]
 *                         [--server-flags="--cpu-prof --cpu-prof-dir=/tmp/prof"] [--heap-snapshots dir]
 *
 * It makes a fresh database (PGlite in a temporary folder, or a new database on the PostgreSQL
 * server of --database-url, dropped afterwards), writes a group with its members and their
 * sessions in bulk, starts Mutual in a child process as production does (src/main.ts, or
 * dist/src/main.js with --compiled) and connects the clients from another child process
 * (bench/chat-clients.ts), with each member's session cookie and the site's Origin, subscribed to
 * the room. Then:
 *
 * - memory: the server's RSS and heap (after a full GC) before, and --settle seconds after, --idle
 *   connections sit idle in the room, per connection;
 * - latency: --messages messages posted one at a time, each waited for until every client has it:
 *   p50/p99 over all deliveries, and p50/p99 of the moment the last client got each message;
 * - throughput: stepped load (--rates messages per second, --step-seconds each), until a step
 *   where the p99 of delivery passes 100 ms or a delivery goes missing.
 *
 * Messages are posted through the real route, as members do (--via http: the posting service, its
 * rules, the database and the bus), or, with --via bus and Redis, published straight onto the bus
 * channel, to measure the fan-out alone. Times are the machine's clock (performance.timeOrigin +
 * performance.now()) in each process. The CPU time of the server, the clients and the bench's own
 * posting is printed with every step, so it shows when the load generator, not Mutual, is the limit.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { ClientCommand, ClientReport } from './chat-clients.js';
import { Histogram, percentileOf, round } from './chat-stats.js';
import { seedChatBench, type Seeded } from './chat-seed.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '200' },
    idle: { type: 'string', default: '5000' },
    /** Seconds the idle connections sit before the server's memory is read. */
    settle: { type: 'string', default: '10' },
    only: { type: 'string', default: 'memory,latency,throughput' },
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
    via: { type: 'string', default: 'http' },
    scenario: { type: 'string', default: 'chat' },
    posters: { type: 'string', default: '50' },
    'step-seconds': { type: 'string', default: '10' },
    rates: { type: 'string', default: '10,25,50,100,150,200,300,400,600,800,1000' },
    'client-processes': { type: 'string', default: '1' },
    port: { type: 'string', default: '3911' },
    compiled: { type: 'boolean', default: false },
    /** A folder for a heap snapshot of the server with its idle connections (run twice to compare). */
    'heap-snapshots': { type: 'string' },
    /** More flags for the server's node, given as --server-flags="--cpu-prof --cpu-prof-dir=/tmp/prof". */
    'server-flags': { type: 'string', default: '' },
  },
});
const clientCount = Number(args.clients);
const messageCount = Number(args.messages);
const idleCount = Number(args.idle);
const phases = new Set(args.only.split(','));
const via = args.via === 'bus' ? 'bus' : 'http';
const scenarioName = args.scenario === 'chat' ? 'chat' : 'thread';
const posterCount = Number(args.posters);
const stepSeconds = Number(args['step-seconds']);
const rates = args.rates.split(',').map(Number);
const clientProcesses = Math.max(1, Number(args['client-processes']));
const port = Number(args.port);
const baseUrl = `http://127.0.0.1:${port}`;
// --via bus needs the server on Redis; otherwise Redis is used only when asked for.
const redisUrl = args['redis-url'] ?? (via === 'bus' ? 'redis://127.0.0.1:6379' : undefined);
const redisPrefix = `mutual-chat-bench-${randomBytes(4).toString('hex')}:`;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------------------
// The database, the server and the client processes

interface Store {
  label: string;
  env: NodeJS.ProcessEnv;
  target: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  drop(): Promise<void>;
}

async function freshDatabase(): Promise<Store> {
  const url = args['database-url'];
  if (!url) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mutual-chat-bench-'));
    return {
      label: 'PGlite (in the server process)',
      env: { DATA_DIR: dataDir },
      target: { kind: 'pglite', dataDir: dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `mutual_chat_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${name}`;
  // Mutual keeps nothing there on PostgreSQL, but DATA_DIR must exist.
  const dataDir = mkdtempSync(join(tmpdir(), 'mutual-chat-bench-'));
  return {
    label: 'PostgreSQL',
    env: { DATABASE_URL: own.toString(), DATA_DIR: dataDir },
    target: { kind: 'postgres', url: own.toString() },
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

interface Server {
  child: ChildProcess;
  memory(): Promise<NodeJS.MemoryUsage & { spaces: Record<string, { size: number; used: number }> }>;
  /** Writes a heap snapshot of the server to this file. */
  snapshot(file: string): Promise<void>;
  /** How late the server's event loop ran since the last call (p99 and worst, ms). */
  loop(): Promise<{ p99Ms: number; maxMs: number }>;
  cpuMs(): number;
  stop(): Promise<void>;
}

async function startServer(store: Store): Promise<Server> {
  const entry = args.compiled ? 'dist/src/main.js' : 'src/main.ts';
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...args['server-flags'].split(' ').filter(Boolean),
      '--import',
      'tsx',
      '--import',
      './bench/chat-probe.ts',
      entry,
    ],
    {
      env: {
        ...process.env,
        ...store.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        BASE_URL: baseUrl,
        SESSION_SECRET: randomBytes(24).toString('hex'),
        LOG_LEVEL: 'warn',
        // Members post far faster here than people do: lift the limits, as npm run bench does.
        RATE_LIMIT_FACTOR: '100000',
        MAIL_INBOUND_PORT: 'off',
        LINK_PREVIEWS: 'off',
        WEB_PROCESSES: '1',
        MUTUAL_ROLE: 'all',
        ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix } : { REDIS_URL: '' }),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('Mutual stopped while starting');
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error('Mutual did not start within 2 minutes');
    await sleep(250);
  }
  // The probe (bench/chat-probe.ts) answers each question with a message of the same type.
  const asked = new Map<string, ((answer: never) => void)[]>();
  child.on('message', (answer: { type: string }) => asked.get(answer.type)?.shift()?.(answer as never));
  const ask = <T>(type: string, more: object = {}) =>
    new Promise<T>((resolve) => {
      asked.set(type, [...(asked.get(type) ?? []), resolve]);
      child.send({ type, ...more });
    });
  const ticks = 100; // USER_HZ on Linux
  return {
    child,
    memory: async () => {
      const answer = await ask<{ usage: NodeJS.MemoryUsage; spaces: Record<string, { size: number; used: number }> }>(
        'memory',
      );
      return { ...answer.usage, spaces: answer.spaces };
    },
    loop: () => ask<{ p99Ms: number; maxMs: number }>('loop'),
    snapshot: async (file) => {
      await ask<unknown>('snapshot', { file });
    },
    cpuMs: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** The client processes, with a way to wait for a message to have reached all of their clients. */
class Clients {
  private readonly children: ChildProcess[] = [];
  private readonly waiting = new Map<number, { left: number; done: (ok: boolean) => void }>();
  private readonly replies = new Map<ChildProcess, ((report: ClientReport) => void)[]>();

  constructor(count: number) {
    for (let i = 0; i < count; i += 1) {
      const child = fork('./bench/chat-clients.ts', [], { execArgv: ['--import', 'tsx'] });
      this.replies.set(child, []);
      child.on('message', (report: ClientReport) => {
        if (report.type === 'complete') {
          const wait = this.waiting.get(report.key);
          if (wait && --wait.left === 0) {
            this.waiting.delete(report.key);
            wait.done(true);
          }
          return;
        }
        this.replies.get(child)!.shift()?.(report);
      });
      this.children.push(child);
    }
  }

  private ask<R extends ClientReport>(child: ChildProcess, command: ClientCommand): Promise<R> {
    return new Promise((resolve) => {
      this.replies.get(child)!.push(resolve as (report: ClientReport) => void);
      child.send(command);
    });
  }

  /** Connects one client per session token, shared among the processes; resolves with how many made it. */
  async connect(tokens: string[], topic: string, id: number): Promise<{ connected: number; seconds: number }> {
    const started = now();
    const shares = this.children.map((_, i) => tokens.filter((__, j) => j % this.children.length === i));
    const reports = await Promise.all(
      this.children.map((child, i) =>
        this.ask<Extract<ClientReport, { type: 'connected' }>>(child, {
          type: 'connect',
          url: `${baseUrl.replace(/^http/, 'ws')}/live`,
          origin: baseUrl,
          tokens: shares[i]!,
          topic,
          id,
          concurrency: 32,
        }),
      ),
    );
    const connected = reports.reduce((n, r) => n + r.connected, 0);
    const failed = reports.find((r) => r.failed > 0);
    if (failed) console.warn(`  ${tokens.length - connected} clients could not connect: ${failed.firstError}`);
    return { connected, seconds: (now() - started) / 1000 };
  }

  /** Resolves true once every client has the message, false after timeoutMs. */
  reached(key: number, timeoutMs: number): Promise<boolean> {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        done(false);
      }, timeoutMs);
      this.waiting.set(key, {
        left: this.children.length,
        done: (ok) => {
          clearTimeout(timer);
          done(ok);
        },
      });
    });
  }

  async collect(sent: [number, number][]) {
    const reports = await Promise.all(
      this.children.map((child) =>
        this.ask<Extract<ClientReport, { type: 'collected' }>>(child, { type: 'collect', sent }),
      ),
    );
    const histogram = new Histogram();
    const perKey = new Map<number, { reached: number; lastAt: number }>();
    let stray = 0;
    for (const report of reports) {
      histogram.merge(report.histogram);
      stray += report.stray;
      for (const [key, reached, lastAt] of report.keys) {
        const seen = perKey.get(key) ?? { reached: 0, lastAt: 0 };
        perKey.set(key, { reached: seen.reached + reached, lastAt: Math.max(seen.lastAt, lastAt) });
      }
    }
    const sentAt = new Map(sent);
    const lastClient = [...perKey].map(([key, { lastAt }]) => lastAt - sentAt.get(key)!);
    const delivered = [...perKey.values()].reduce((n, k) => n + k.reached, 0);
    return { histogram, lastClient, delivered, stray };
  }

  async usage() {
    const reports = await Promise.all(
      this.children.map((child) => this.ask<Extract<ClientReport, { type: 'usage' }>>(child, { type: 'usage' })),
    );
    return {
      cpuMs: reports.reduce((n, r) => n + r.cpuMs, 0),
      loopDelayP99Ms: Math.max(...reports.map((r) => r.loopDelayP99Ms)),
    };
  }

  async disconnect(): Promise<void> {
    await Promise.all(this.children.map((child) => this.ask(child, { type: 'disconnect' })));
  }

  stop(): void {
    for (const child of this.children) child.kill();
  }
}

// ------------------------------------------------------------------------------------------------
// What is posted, and how

interface Scenario {
  topic: string;
  id: number;
  /** Posts message seq as a member; resolves with the HTTP status. */
  post(seq: number): Promise<number>;
  /** The key clients find in the frame of message seq. */
  key(seq: number): number;
}

/** A sentence of about the length people write in a chat, carrying its sequence number. */
const messageText = (seq: number) =>
  `[#${seq}] Thank you all for being here tonight, it helps more than I can say. (${randomBytes(3).toString('hex')})`;

/** The cookies and CSRF token of a member, from a page they load as anyone would. */
async function signedInPoster(token: string, page: string): Promise<{ cookie: string; csrf: string }> {
  const session = `mutual_session=${token}`;
  const res = await fetch(`${baseUrl}${page}`, { headers: { cookie: session } });
  const csrfCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('mutual_csrf='));
  const html = await res.text();
  const csrf =
    /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? /x-csrf-token&quot;:&quot;([^&]+)&quot;/.exec(html)?.[1];
  if (!csrf || !csrfCookie) throw new Error(`no CSRF token on ${page} (${res.status})`);
  return { cookie: `${session}; ${csrfCookie}`, csrf };
}

async function makeScenario(seeded: Seeded, redis: Redis | undefined): Promise<Scenario> {
  const posters = await Promise.all(
    seeded.tokens
      .slice(0, posterCount)
      .map((token) =>
        signedInPoster(token, seeded.thread ? `/g/${seeded.slug}/t/${seeded.thread.id}` : `/g/${seeded.slug}/chat`),
      ),
  );
  const poster = (seq: number) => posters[seq % posters.length]!;
  if (scenarioName === 'thread') {
    const thread = seeded.thread!;
    // Replies are counted in the thread's row, one transaction at a time: the nth reply announces base + n.
    const key = (seq: number) => thread.replies + seq;
    return {
      topic: 'thread',
      id: thread.id,
      key,
      post: async (seq) => {
        if (redis) {
          const event = { type: 'thread.reply', threadId: thread.id, replies: key(seq) };
          await redis.publish(`${redisPrefix}bus:thread:${thread.id}`, JSON.stringify(event));
          return 200;
        }
        const { cookie, csrf } = poster(seq);
        const res = await fetch(`${baseUrl}/threads/${thread.id}/replies`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: baseUrl },
          body: new URLSearchParams({ _csrf: csrf, body: messageText(seq) }),
        });
        await res.arrayBuffer();
        return res.status;
      },
    };
  }
  const room = seeded.room!;
  return {
    topic: 'chat',
    id: room.id,
    key: (seq) => seq,
    post: async (seq) => {
      if (redis) {
        // What the chat service announces after a message commits (src/features/chat/live.ts).
        const event = {
          type: 'chat.message',
          roomId: room.id,
          message: {
            id: seq,
            authorName: 'Chat member 2',
            body: messageText(seq),
            createdAt: new Date().toISOString(),
          },
          authorId: room.authorId,
        };
        await redis.publish(`${redisPrefix}bus:chat:${room.id}`, JSON.stringify(event));
        return 200;
      }
      const { cookie, csrf } = poster(seq);
      const res = await fetch(`${baseUrl}/chat/rooms/${room.id}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          cookie,
          origin: baseUrl,
        },
        body: new URLSearchParams({ _csrf: csrf, body: messageText(seq) }),
      });
      await res.arrayBuffer();
      return res.status;
    },
  };
}

// ------------------------------------------------------------------------------------------------
// The phases

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

async function measureMemory(server: Server, clients: Clients, seeded: Seeded, scenario: Scenario) {
  // Warm up: the code paths of a connection compiled and the pools filled, so that what is
  // measured is what each connection holds.
  await clients.connect(seeded.tokens.slice(0, 200), scenario.topic, scenario.id);
  await clients.disconnect();
  await sleep(1_000);
  const before = await server.memory();
  const { connected, seconds } = await clients.connect(seeded.tokens.slice(0, idleCount), scenario.topic, scenario.id);
  // Idle: what arriving cost (presence told to the room, the garbage of the requests) settles first.
  await sleep(Number(args.settle) * 1000);
  const after = await server.memory();
  // Only one, at the end: once V8 has taken a snapshot, every later collection also keeps its
  // object ids up to date, which slows the server down many times over. Compare two runs instead.
  const snapshots = args['heap-snapshots'];
  if (snapshots) await server.snapshot(join(snapshots, `with-${connected}.heapsnapshot`));
  await clients.disconnect();
  await sleep(2_000);
  const released = await server.memory();
  const per = (key: keyof NodeJS.MemoryUsage) => round((after[key] - before[key]) / connected / 1024, 1);
  const growth = Object.entries(after.spaces)
    .map(([space, { size, used }]) => {
      const was = before.spaces[space] ?? { size: 0, used: 0 };
      return { space, size: (size - was.size) / connected / 1024, used: (used - was.used) / connected / 1024 };
    })
    .filter((g) => Math.abs(g.size) >= 0.5 || Math.abs(g.used) >= 0.5);
  console.log(
    `\nMemory: ${connected} idle connections, each subscribed to the room (connected in ${round(seconds)} s, measured ${args.settle} s later)`,
  );
  console.log('                 before      with them   per connection   after they closed');
  for (const key of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const) {
    console.log(
      `  ${key.padEnd(13)} ${String(mb(before[key])).padStart(7)} MB ${String(mb(after[key])).padStart(9)} MB ` +
        `${String(per(key)).padStart(10)} KB ${String(mb(released[key])).padStart(14)} MB`,
    );
  }
  console.log(
    `  heap spaces, KB per connection (size/used): ${growth.map((g) => `${g.space} ${round(g.size)}/${round(g.used)}`).join(', ')}`,
  );
  return { connected, rssKb: per('rss'), heapKb: per('heapUsed') };
}

function cpuMeter(server: Server, clients: Clients) {
  const start = { at: now(), server: server.cpuMs(), own: process.cpuUsage() };
  void clients.usage();
  void server.loop();
  return async () => {
    const wall = now() - start.at;
    const own = process.cpuUsage(start.own);
    const client = await clients.usage();
    const loop = await server.loop();
    const share = (ms: number) => `${Math.round((100 * ms) / wall)}%`;
    return {
      server: share(server.cpuMs() - start.server),
      clients: share(client.cpuMs),
      bench: share((own.user + own.system) / 1000),
      clientLoopP99: round(client.loopDelayP99Ms),
      serverLoop: `${round(loop.p99Ms)}/${round(loop.maxMs)}`,
      load: round(loadavg()[0]!, 1),
    };
  };
}

let nextSeq = 1;

async function measureLatency(server: Server, clients: Clients, scenario: Scenario) {
  const run = async (count: number) => {
    const sent: [number, number][] = [];
    const postMs: number[] = [];
    let failed = 0;
    for (let i = 0; i < count; i += 1) {
      const seq = nextSeq++;
      const key = scenario.key(seq);
      const reached = clients.reached(key, 10_000);
      const at = now();
      sent.push([key, at]);
      const status = await scenario.post(seq).catch(() => 0);
      postMs.push(now() - at);
      if (status === 0 || status >= 400) failed += 1;
      await reached;
      // A pause between messages, so each is measured on its own.
      await sleep(5);
    }
    return { sent, postMs, failed };
  };
  await run(Math.min(50, messageCount));
  await clients.collect([]);
  const cpu = cpuMeter(server, clients);
  const { sent, postMs, failed } = await run(messageCount);
  const usage = await cpu();
  const result = await clients.collect(sent);
  const expected = sent.length * clientCount;
  const figures = {
    p50: result.histogram.percentile(0.5),
    p99: result.histogram.percentile(0.99),
    lastP50: round(percentileOf(result.lastClient, 0.5)),
    lastP99: round(percentileOf(result.lastClient, 0.99)),
    postP50: round(percentileOf(postMs, 0.5)),
    postP99: round(percentileOf(postMs, 0.99)),
  };
  console.log(
    `\nLatency: ${sent.length} messages one at a time to ${clientCount} clients (${via === 'bus' ? 'published on the bus' : 'posted over HTTP'})`,
  );
  console.log(
    `  every delivery: p50 ${figures.p50} ms, p99 ${figures.p99} ms (${result.delivered} of ${expected} delivered, ${failed} posts refused)`,
  );
  console.log(`  last client reached: p50 ${figures.lastP50} ms, p99 ${figures.lastP99} ms`);
  if (via === 'http') console.log(`  the post's own answer: p50 ${figures.postP50} ms, p99 ${figures.postP99} ms`);
  console.log(
    `  CPU: server ${usage.server}, clients ${usage.clients}, bench ${usage.bench} of a core; load ${usage.load}`,
  );
  console.log(`  event loop lag (p99/worst ms): server ${usage.serverLoop}, clients p99 ${usage.clientLoopP99}`);
  return figures;
}

async function measureThroughput(server: Server, clients: Clients, scenario: Scenario) {
  console.log(
    `\nThroughput: ${clientCount} clients, ${stepSeconds} s per step (${via === 'bus' ? 'published on the bus' : 'posted over HTTP'})`,
  );
  console.log(
    '  msg/s  sent/s  delivered  p50 ms  p99 ms  last p99  post p99  server  clients  bench  server lag  client lag  load',
  );
  let sustained = 0;
  for (const rate of rates) {
    const count = Math.round(rate * stepSeconds);
    const sent: [number, number][] = [];
    const reached: Promise<boolean>[] = [];
    const posts: Promise<void>[] = [];
    const postMs: number[] = [];
    let failed = 0;
    const cpu = cpuMeter(server, clients);
    const start = now();
    for (let i = 0; i < count; i += 1) {
      const wait = start + (i * 1000) / rate - now();
      if (wait > 1) await sleep(wait);
      const seq = nextSeq++;
      const key = scenario.key(seq);
      reached.push(clients.reached(key, 15_000));
      const at = now();
      sent.push([key, at]);
      posts.push(
        scenario.post(seq).then(
          (status) => {
            postMs.push(now() - at);
            if (status >= 400) failed += 1;
          },
          () => {
            failed += 1;
          },
        ),
      );
    }
    const sendRate = count / ((now() - start) / 1000);
    await Promise.all(posts);
    await Promise.all(reached);
    const usage = await cpu();
    const result = await clients.collect(sent);
    const expected = count * clientCount;
    const p50 = result.histogram.percentile(0.5);
    const p99 = result.histogram.percentile(0.99);
    const ok = result.delivered === expected && failed === 0 && p99 <= 100 && sendRate >= rate * 0.95;
    console.log(
      `  ${String(rate).padStart(5)}  ${String(Math.round(sendRate)).padStart(6)}  ${`${round((100 * result.delivered) / expected)}%`.padStart(9)}  ` +
        `${String(p50).padStart(6)}  ${String(p99).padStart(6)}  ${String(round(percentileOf(result.lastClient, 0.99))).padStart(8)}  ` +
        `${String(round(percentileOf(postMs, 0.99))).padStart(8)}  ${usage.server.padStart(6)}  ${usage.clients.padStart(7)}  ` +
        `${usage.bench.padStart(5)}  ${usage.serverLoop.padStart(10)}  ${String(usage.clientLoopP99).padStart(10)}  ${String(usage.load).padStart(4)}` +
        (failed ? `  (${failed} posts refused)` : ''),
    );
    if (!ok) break;
    sustained = rate;
    await sleep(2_000);
  }
  console.log(`  sustained: ${sustained} messages/s with every client keeping up and p99 ≤ 100 ms`);
  return sustained;
}

// ------------------------------------------------------------------------------------------------

async function main() {
  const store = await freshDatabase();
  const members = Math.max(clientCount, phases.has('memory') ? idleCount : 0, posterCount);
  console.log(
    `Chat bench: ${store.label}, ${members} members, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${round(loadavg()[0]!, 1)}`,
  );
  let server: Server | undefined;
  let clients: Clients | undefined;
  let redis: Redis | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      clients?.stop();
      await redis?.quit();
      await server?.stop();
      await store.drop();
    })());
  // Stopped by hand (Ctrl-C): the server, the clients and the database go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  try {
    const seedStarted = now();
    const seeded = await seedChatBench(store.target, members, { scenario: scenarioName });
    console.log(`  seeded in ${round((now() - seedStarted) / 1000)} s`);
    server = await startServer(store);
    clients = new Clients(clientProcesses);
    if (via === 'bus') redis = new Redis(redisUrl!);
    const scenario = await makeScenario(seeded, redis);
    const summary: Record<string, unknown> = {};
    if (phases.has('memory')) summary.memory = await measureMemory(server, clients, seeded, scenario);
    if (phases.has('latency') || phases.has('throughput')) {
      const { connected, seconds } = await clients.connect(
        seeded.tokens.slice(0, clientCount),
        scenario.topic,
        scenario.id,
      );
      console.log(`\n${connected} clients connected and subscribed in ${round(seconds)} s`);
      if (phases.has('latency')) summary.latency = await measureLatency(server, clients, scenario);
      if (phases.has('throughput')) summary.sustained = await measureThroughput(server, clients, scenario);
      const rss = (await server.memory()).rss;
      console.log(`\nServer RSS after the run: ${mb(rss)} MB`);
    }
    console.log(`\n${JSON.stringify(summary)}`);
  } finally {
    await cleanUp();
  }
}

await main();
