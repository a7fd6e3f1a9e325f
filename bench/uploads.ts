/**
 * Uploads: a 5 MB phone photo from upload to served thumbnail (p50/p95), and the server's memory
 * while 10 photos are processed at once. Not a timed test; see bench/README.md for the figures.
 *
 *   npm run bench:uploads                     # 30 uploads one after another, then 10 at once
 *   npm run bench:uploads -- --runs 50 --burst 10 --concurrency 2
 *   npm run bench:uploads -- --postgres postgres://postgres@127.0.0.1:5432/postgres   # as deployed
 *
 * Each upload is what a browser sends: a multipart POST /uploads (as attach.js makes it, the CSRF
 * token in its header), then GET /files/:publicId/thumb.webp, over app.inject on the embedded
 * database: the multipart parsing, the re-encoding and the serving route are all measured.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import sharp from 'sharp';
import { buildApp } from '../src/app.js';
import { signUp } from '../src/features/accounts/service.js';
import { openDatabase } from '../src/platform/db/client.js';
import { createJobQueue } from '../src/platform/jobs/queue.js';
import { createMailTransport, queuedMailer } from '../src/platform/mail/mailer.js';
import { folderStorage } from '../src/platform/storage/index.js';
import { setImageConcurrency } from '../src/features/files/processing.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    burst: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '2' },
    /** A PostgreSQL server (postgres://…/postgres): the bench makes its own database there and drops it. */
    postgres: { type: 'string' },
  },
});
const runs = Number(values.runs);
const burst = Number(values.burst);
setImageConcurrency(Number(values.concurrency));

/** A phone-like photo: 4000×3000, fine detail (noise, softened), EXIF with GPS, about 5 MB. */
async function phonePhoto(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const noise = randomBytes(width * height * 3);
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .blur(0.9)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Bench 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'mutual-bench-uploads-'));
  // On PostgreSQL the process holds what a deployed web process holds; PGlite adds the database itself.
  const benchDb = `mutual_bench_uploads_${randomBytes(4).toString('hex')}`;
  const admin = values.postgres ? new pg.Client({ connectionString: values.postgres }) : null;
  await admin?.connect();
  await admin?.query(`create database ${benchDb}`);
  const target = values.postgres ? new URL(values.postgres) : null;
  if (target) target.pathname = `/${benchDb}`;
  const database = target
    ? await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 5 })
    : await openDatabase({ kind: 'pglite', dataDir: join(dir, 'db') });
  await database.migrate();
  const jobs = createJobQueue(database, { worker: false, report: (error) => console.error(error) });
  const from = 'Mutual <no-reply@bench.test>';
  const mailer = queuedMailer(jobs, createMailTransport({ db: database.db, smtpUrl: undefined, from }), from);
  await jobs.start();
  const files = folderStorage(join(dir, 'files'));
  const app = await buildApp({
    database,
    mailer,
    files,
    baseUrl: 'http://localhost:3000',
    cookieSecret: randomBytes(32).toString('hex'),
    logLevel: 'silent',
    limits: { post: { max: 1_000_000, timeWindow: 60_000 } },
  });
  await app.ready();
  global.gc?.();
  const started = process.memoryUsage().rss;
  await signUp(database.db, {
    email: 'bench@example.org',
    password: 'bench-password',
    pseudonym: 'Bench',
  });
  const cookie = await logIn(app, 'bench@example.org', 'bench-password');
  const page = await app.inject({ method: 'GET', url: '/groups', headers: { cookie } });
  const csrf = /"x-csrf-token":"([^"]+)"/.exec(page.body.replace(/&quot;/g, '"'))?.[1];
  if (!csrf) throw new Error('no CSRF token on the page');
  const photo = await phonePhoto();
  console.log(
    `photo: 4000x3000 JPEG, ${(photo.length / 1024 / 1024).toFixed(1)} MB; image concurrency ${values.concurrency}; ` +
      `database ${target ? 'PostgreSQL' : 'PGlite (in this process)'}`,
  );

  // One multipart body, sent for every upload: the bench's own side holds one copy of the photo,
  // so the memory figures are the server's (app.inject runs it in this process).
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'IMG_0001.JPG');
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  const headers = { cookie, 'x-csrf-token': csrf, 'content-type': request.headers.get('content-type')! };
  const uploadAndFetch = async () => {
    const sent = await app.inject({ method: 'POST', url: '/uploads?place=pm', payload, headers });
    if (sent.statusCode !== 201) throw new Error(`upload: ${sent.statusCode} ${sent.body}`);
    const { thumbUrl } = JSON.parse(sent.body) as { thumbUrl: string };
    const res = await app.inject({ method: 'GET', url: thumbUrl, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`thumbnail: ${res.statusCode}`);
  };

  await uploadAndFetch(); // warm-up: sharp's and the database's first use
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await uploadAndFetch();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `one at a time, ${runs} uploads: p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms`,
  );

  global.gc?.();
  const rest = process.memoryUsage();
  let peakRss = rest.rss;
  let peakHeap = rest.heapUsed;
  let peakExternal = rest.external;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
  }, 10);
  const start = performance.now();
  await Promise.all(Array.from({ length: burst }, () => uploadAndFetch()));
  const took = performance.now() - start;
  clearInterval(sampler);
  console.log(
    `${burst} at once: all done in ${took.toFixed(0)} ms; RSS at start ${mb(started)}, at rest ${mb(rest.rss)}, peak ${mb(peakRss)} (+${mb(peakRss - rest.rss)}); heap peak ${mb(peakHeap)}; buffers peak ${mb(peakExternal)}`,
  );
  await app.close();
  await jobs.stop();
  await database.close();
  await admin?.query(`drop database if exists ${benchDb} with (force)`);
  await admin?.end();
  await rm(dir, { recursive: true, force: true });
}

/** Logs in through the login form, as a browser would; the session's cookie header. */
async function logIn(app: Awaited<ReturnType<typeof buildApp>>, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: { cookies: { name: string; value: string }[] }) => {
    for (const c of res.cookies) cookies.set(c.name, c.value);
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await app.inject({ method: 'GET', url: '/login' });
  keep(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode}`);
  keep(res);
  return header();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
