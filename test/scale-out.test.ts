import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createGroup } from '../src/features/groups/index.js';
import { createThread } from '../src/features/forum/index.js';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import { LiveClient } from './helpers/live.js';
import { TestSmtpServer } from './helpers/smtp.js';

/*
 * Mutual scaled out on one machine, as docs/deploy.md describes: two web processes (A and B) and
 * a worker, each a real `node src/main.ts`, sharing one PostgreSQL database and one Redis. What a
 * person does through A must hold on B: their session, the rate limits, live replies; and a job
 * queued through A runs once, in the worker.
 */

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
// CI's PostgreSQL pass must run this; the pass on the embedded database cannot (one process owns it).
if (process.env.CI === 'true' && databaseUrl && !redisUrl) {
  throw new Error('CI runs the scale-out test on PostgreSQL, which needs TEST_REDIS_URL=redis://127.0.0.1:6379');
}
if (!databaseUrl || !redisUrl) {
  console.warn(
    '\n!!! TEST_DATABASE_URL and TEST_REDIS_URL are not both set: the scale-out test (two web processes and a' +
      '\n!!! worker on PostgreSQL and Redis) is NOT running. Set both to run it, as CI does.\n',
  );
}

const root = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'scale-out-test-secret-that-is-long-enough';
const admin = { email: 'alder@example.org', password: 'the alder by the brook', pseudonym: 'Alder' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One running `npm start`, with what it has printed, for the failure message if it dies. */
class MutualProcess {
  readonly child: ChildProcess;
  output = '';
  exited: Promise<number | null>;

  constructor(
    readonly name: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves once the process says `text`; fails if it stops first. */
  async said(text: string): Promise<void> {
    while (!this.output.includes(text)) {
      const stopped = await Promise.race([
        this.exited.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 100)),
      ]);
      if (stopped && !this.output.includes(text))
        throw new Error(`${this.name} stopped before saying "${text}":\n${this.output}`);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A browser over real HTTP: keeps cookies and the page's CSRF token, whichever process answers. */
class Browser {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  async request(base: string, path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString();
    }
    const res = await fetch(base + path, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
    const text = await res.text();
    // Signed-in pages give htmx the token; a visitor's pages only in the forms that need one.
    const token =
      /x-csrf-token&quot;:&quot;([^&]+)&quot;/.exec(text)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, location: res.headers.get('location'), text };
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async live(base: string): Promise<LiveClient> {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/live`, { headers: { cookie: this.cookieHeader() } });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new LiveClient(socket);
  }
}

describe.runIf(databaseUrl && redisUrl)('scale-out: two web processes and a worker', { timeout: 60_000 }, () => {
  const name = `mutual_scale_${randomBytes(6).toString('hex')}`;
  const prefix = `mutual-scale-${randomBytes(6).toString('hex')}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'mutual-scale-'));
  const processes: MutualProcess[] = [];
  const sockets: LiveClient[] = [];
  let adminDb: pg.Client;
  let database: Database;
  let smtp: TestSmtpServer;
  let a = '';
  let b = '';
  const browser = new Browser();
  // Both drivers answer a raw statement with { rows }.
  const rows = async <T>(query: SQL) => ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    adminDb = new pg.Client({ connectionString: databaseUrl });
    await adminDb.connect();
    // An empty database: the three processes migrate it as they start, all at once.
    await adminDb.query(`create database ${name}`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    smtp = await new TestSmtpServer().start();
    const [portA, portB] = [await freePort(), await freePort()];
    a = `http://127.0.0.1:${portA}`;
    b = `http://127.0.0.1:${portB}`;
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redisUrl!,
      REDIS_PREFIX: prefix,
      SESSION_SECRET: SECRET,
      BASE_URL: a,
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Mutual <no-reply@scale.example.org>',
      MAIL_INBOUND_PORT: 'off',
      // Login: at most ceil(10 × 0.2) = 2 tries per address per 15 minutes, across every process.
      RATE_LIMIT_FACTOR: '0.2',
      LOG_LEVEL: 'info',
    };
    processes.push(
      new MutualProcess('web A', { ...env, MUTUAL_ROLE: 'web', PORT: String(portA) }),
      new MutualProcess('web B', { ...env, MUTUAL_ROLE: 'web', PORT: String(portB) }),
      new MutualProcess('worker', { ...env, MUTUAL_ROLE: 'worker' }),
    );
    await Promise.all([
      processes[0]!.said('Mutual is running'),
      processes[1]!.said('Mutual is running'),
      processes[2]!.said('worker is running jobs'),
    ]);
    database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(processes.map((p) => p.stop()));
    await database?.close();
    await smtp?.close();
    const redis = new Redis(redisUrl!);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await adminDb?.query(`drop database if exists ${name} with (force)`);
    await adminDb?.end();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('serves both web processes from one database', async () => {
    for (const base of [a, b]) {
      const health = await fetch(`${base}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'postgres' });
    }
  });

  it('keeps a session made on A working on B', async () => {
    await browser.request(a, '/setup');
    const setUp = await browser.request(a, '/setup', admin);
    expect(setUp.status).toBe(303);
    const account = await browser.request(b, '/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(`Your account (${admin.pseudonym})`);
  });

  it('counts a rate limit across both web processes', async () => {
    const stranger = new Browser();
    await stranger.request(a, '/login');
    const attempt = (base: string) =>
      stranger.request(base, '/login', { email: 'nobody@example.org', password: 'a wrong guess' });
    expect((await attempt(a)).status).toBe(400);
    expect((await attempt(b)).status).toBe(400);
    // Two tries were allowed in all, not two per process.
    expect((await attempt(a)).status).toBe(429);
    expect((await attempt(b)).status).toBe(429);
  });

  it('brings a reply posted through A to a page following the thread on B', async () => {
    const [owner] = await rows<{ id: number }>(sql`select id from users where email = ${admin.email}`);
    const actor = { id: owner!.id, pseudonym: admin.pseudonym, isAdmin: true };
    const group = await createGroup(database.db, actor, {
      name: 'Night shift carers',
      summary: 'For people who care for someone through the night.',
      description: '',
      tags: 'caring',
      language: 'en',
      leadership: 'peer',
      visibility: 'members',
    });
    const thread = await createThread(database.db, actor, group.slug, { title: 'Sleep', body: 'How do you rest?' });
    const socket = await browser.live(b);
    sockets.push(socket);
    expect(await socket.subscribe('thread', thread.id)).toEqual({ type: 'subscribed', topic: 'thread', id: thread.id });
    await browser.request(a, `/g/${group.slug}/t/${thread.id}`);
    const replied = await browser.request(a, `/threads/${thread.id}/replies`, { body: 'In short naps.' });
    expect(replied.status).toBe(303);
    expect(await socket.next()).toEqual({ type: 'thread.reply', threadId: thread.id, replies: 1 });
  });

  it('brings chat messages posted through A to a room followed on B, all of them, in order', async () => {
    const [owner] = await rows<{ id: number }>(sql`select id from users where email = ${admin.email}`);
    const actor = { id: owner!.id, pseudonym: admin.pseudonym, isAdmin: true };
    const group = await createGroup(database.db, actor, {
      name: 'Early risers',
      summary: 'For people awake before the birds, talking as it happens.',
      description: '',
      tags: 'sleep',
      language: 'en',
      leadership: 'peer',
      visibility: 'members',
    });
    const page = await browser.request(a, `/g/${group.slug}/chat`);
    expect(page.status).toBe(200);
    const roomId = Number(/action="\/chat\/rooms\/(\d+)\/messages"/.exec(page.text)![1]);
    const socket = await browser.live(b);
    sockets.push(socket);
    expect(await socket.subscribe('chat', roomId)).toEqual({ type: 'subscribed', topic: 'chat', id: roomId });
    const bodies = ['Morning.', 'The kettle is on.', 'Anyone else up?', 'Birds starting now.'];
    for (const body of bodies) {
      const sent = await browser.request(a, `/chat/rooms/${roomId}/messages`, { body });
      expect(sent.status).toBe(303);
    }
    const received: { id: number; body: string; authorName: string }[] = [];
    while (received.length < bodies.length) {
      const frame = await socket.next();
      // Who is here is told as people come and go; the messages are what this is about.
      if (frame.type === 'chat.message') received.push(frame.message as (typeof received)[number]);
    }
    expect(received.map((m) => m.body)).toEqual(bodies);
    expect(received.map((m) => m.id)).toEqual([...received.map((m) => m.id)].sort((x, y) => x - y));
    expect(new Set(received.map((m) => m.authorName))).toEqual(new Set([admin.pseudonym]));
  });

  it('runs a job queued through A once, in the worker', async () => {
    const subject = 'Choose a new password for Mutual';
    await browser.request(a, '/forgot-password');
    const asked = await browser.request(a, '/forgot-password', { email: admin.email });
    expect(asked.status).toBe(200);
    const mail = await smtp.receivedWhere((m) => m.subject === subject);
    expect(mail.to).toMatchObject({ text: admin.email });
    expect(smtp.messages.filter((m) => m.subject === subject)).toHaveLength(1);
    // Web processes only queue jobs: the worker took it, and completed it at the first try.
    // The mail server has the message a moment before the worker records the job as done.
    const jobs = () =>
      rows<{ state: string; retry_count: number }>(
        sql`select state, retry_count from pgboss.job where name = 'mail.send' and data->>'subject' = ${subject}`,
      );
    for (let i = 0; i < 100 && (await jobs()).some((job) => job.state === 'active'); i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await jobs()).toEqual([{ state: 'completed', retry_count: 0 }]);
  });
});
