/**
 * The daily digest for 10,000 members of one group, through the real path: the digest work finds
 * who is due, pg-boss workers run the jobs, nodemailer hands each message to an SMTP relay on
 * loopback that accepts and counts them (bodies dropped). Measured from the start of the work to
 * the last message the relay accepted.
 *
 *   npm run bench:digest -- --database-url postgres://postgres@127.0.0.1:5432/mutual_digest_bench
 *     [--members 10000] [--threads 40] [--replies 400] [--connections 5] [--keep]
 *
 * It creates the database named in the URL (dropping one left by an earlier run) and drops it at
 * the end unless --keep.
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { openDatabase } from '../src/platform/db/client.js';
import { createJobQueue } from '../src/platform/jobs/queue.js';
import { createMailTransport, queuedMailer } from '../src/platform/mail/mailer.js';
import { mailSecret } from '../src/platform/mail/tokens.js';
import type { MailContext } from '../src/features/mail-lists/index.js';
import { defineDigests, dueDigests } from '../src/features/mail-lists/digests.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? '' },
    members: { type: 'string', default: '10000' },
    threads: { type: 'string', default: '40' },
    replies: { type: 'string', default: '400' },
    connections: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const databaseUrl = args['database-url'];
if (!databaseUrl) throw new Error('--database-url postgres://…/<a database to create> is required');
const members = Number(args.members);
const threadCount = Number(args.threads);
const replyCount = Number(args.replies);
const writers = 50;

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

const seconds = (from: number, to = performance.now()) => ((to - from) / 1000).toFixed(2);

/**
 * The relay, in a thread of its own (a real relay is another machine, and must not share the
 * sender's CPU): accepts every message, counts it, keeps nothing, and reports each acceptance.
 */
const relayCode = `
const { parentPort } = require('node:worker_threads');
const { SMTPServer } = require('smtp-server');
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 100,
  onData(stream, _session, callback) {
    let bytes = 0;
    stream.on('data', (chunk) => { bytes += chunk.length; });
    stream.on('end', () => {
      parentPort.postMessage({ accepted: 1, bytes });
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.server.address().port }));
parentPort.on('message', (m) => { if (m === 'close') server.close(() => process.exit(0)); });
`;

async function startRelay() {
  const worker = new Worker(relayCode, { eval: true });
  const relay: { accepted: number; bytes: number; lastAcceptedAt: number; onAccepted: () => void } = {
    accepted: 0,
    bytes: 0,
    lastAcceptedAt: 0,
    onAccepted: () => undefined,
  };
  const port = await new Promise<number>((resolve) => {
    worker.on('message', (m: { port?: number; accepted?: number; bytes?: number }) => {
      if (m.port) resolve(m.port);
      if (m.accepted) {
        relay.accepted += 1;
        relay.bytes += m.bytes ?? 0;
        relay.lastAcceptedAt = performance.now();
        relay.onAccepted();
      }
    });
  });
  return {
    relay,
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}

/** One group, its members on the daily digest (due now), and a day of discussions, in bulk SQL. */
async function fill(query: (text: string, params?: unknown[]) => Promise<pg.QueryResult>): Promise<Date> {
  const started = performance.now();
  const total = members + writers;
  await query(
    `insert into users (email, email_verified_at, pseudonym, password_hash, time_zone, locale)
     select 'member' || i || '@bench.test', now() - interval '30 days', 'Member' || i, 'not-a-hash',
       (array['Europe/Paris', 'Europe/London', 'Europe/Berlin'])[1 + i % 3], 'auto'
     from generate_series(1, $1::int) i`,
    [total],
  );
  const { rows } = await query(
    `insert into groups (slug, name, summary, description, created_by, member_count)
     values ('caregivers', 'Caregivers Circle', 'People caring for someone at home.', 'We meet here.',
       (select min(id) from users), $1) returning id`,
    [total],
  );
  const groupId = Number(rows[0]!.id);
  await query(
    `insert into memberships (group_id, user_id, role, joined_at)
     select $1, id, case when id = (select min(id) from users) then 'owner' else 'member' end::group_role,
       now() - interval '30 days'
     from users`,
    [groupId],
  );
  // The digest hour (08:00 Paris; 07:00 London, 08:00 Berlin: the same moment) struck last at `slot`;
  // each member's last digest was the one before.
  const slotRow = await query(
    `select (date_trunc('day', (now() at time zone 'Europe/Paris') - interval '8 hours') + interval '8 hours')
       at time zone 'Europe/Paris' as slot`,
  );
  const slot = new Date(slotRow.rows[0]!.slot as Date);
  await query(
    `insert into mail_settings (user_id, digest_hour)
     select id, case time_zone when 'Europe/London' then 7 else 8 end from users`,
  );
  await query(`update list_subscriptions set mode = 'daily', last_digest_at = $1::timestamptz - interval '1 day'`, [
    slot.toISOString(),
  ]);
  // A day of discussions by the first 50 members, spread over the window; replies, reactions, a few blocks.
  await query(
    `insert into threads (group_id, author_id, title, created_at, last_post_at, reply_count)
     select $1, w.id, 'How do you cope with ' || (array['the nights', 'the paperwork', 'the guilt', 'hospital visits'])[1 + i % 4]
       || ' (' || i || ')', t, t, 0
     from generate_series(1, $2::int) i
       cross join lateral (select $3::timestamptz - interval '1 day' + (i * interval '1 day') / ($2::int + 1) as t) x
       join lateral (select id from users order by id offset 1 + i % ${writers} limit 1) w on true`,
    [groupId, threadCount, slot.toISOString()],
  );
  await query(
    `insert into posts (group_id, thread_id, author_id, is_opening, body, body_html, created_at, anonymous, anonymous_number, content_warning)
     select t.group_id, t.id, t.author_id, true,
       'Some days I do not know where to start. ' || repeat('We take it one hour at a time, and it helps to write it down. ', 4),
       '<p>Some days I do not know where to start.</p>', t.created_at,
       t.id % 10 = 0, case when t.id % 10 = 0 then 1 end, case when t.id % 7 = 0 then 'death' end
     from threads t where t.group_id = $1`,
    [groupId],
  );
  await query(
    `insert into posts (group_id, thread_id, author_id, is_opening, body, body_html, created_at)
     select $1, t.id, w.id, false, 'Thank you for writing this. ' || repeat('It helped me to read it. ', 3),
       '<p>Thank you for writing this.</p>', t.created_at + (i % 60) * interval '1 minute'
     from generate_series(1, $2::int) i
       join lateral (select id, created_at from threads where group_id = $1 order by id offset i % $3::int limit 1) t on true
       join lateral (select id from users order by id offset 1 + (i * 7) % ${writers} limit 1) w on true`,
    [groupId, replyCount, threadCount],
  );
  await query(
    `update threads t set last_post_at = p.last, reply_count = p.n - 1
     from (select thread_id, max(created_at) as last, count(*)::int as n from posts group by thread_id) p
     where p.thread_id = t.id`,
  );
  await query(
    `insert into reactions (group_id, post_id, user_id, kind)
     select $1, p.id, u.id, 'support'
     from posts p join users u on u.id % 97 < (p.id % 13) and u.id <= 3000
     where p.group_id = $1 and not p.is_opening
     on conflict do nothing`,
    [groupId],
  );
  await query(
    `insert into blocks (group_id, blocker_id, blocked_id, blocked_name)
     select $1, b.id, (select min(id) + 1 + b.id % ${writers} from users), 'Someone'
     from users b where b.id % 100 = 0 and b.id > (select min(id) + ${writers} from users)
     on conflict do nothing`,
    [groupId],
  );
  await query('analyze');
  console.log(
    `filled: 1 group, ${total} members on the daily digest, ${threadCount} threads, ${replyCount} replies (${seconds(started)} s)`,
  );
  return slot;
}

async function main() {
  await admin(`drop database if exists ${dbName} with (force)`);
  await admin(`create database ${dbName}`);
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
  const smtp = await startRelay();
  try {
    await database.migrate();
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    const slot = await fill((text, params) => pool.query(text, params));

    const jobs = createJobQueue(database, {
      worker: true,
      pollingIntervalSeconds: 1,
      report: (error, what) => console.error(`${what}: ${error.message}`),
    });
    const from = 'Mutual <no-reply@lists.bench.test>';
    const transport = createMailTransport({
      db: database.db,
      smtpUrl: smtp.url,
      from,
      maxConnections: Number(args.connections),
    });
    const ctx: MailContext = {
      db: database.db,
      baseUrl: 'https://mutual.bench.test',
      domain: 'lists.bench.test',
      secret: mailSecret('bench-secret-that-is-long-enough-for-cookies'),
      transport,
      mailer: queuedMailer(jobs, transport, from),
    };
    const [work] = defineDigests(jobs, ctx);
    await jobs.start();
    await jobs.work();
    const now = new Date(slot.getTime() + 60_000);

    const dueStarted = performance.now();
    const due = (await dueDigests(database.db, now)).reduce((n, d) => n + d.userIds.length, 0);
    console.log(`due-check query alone: ${due} members due (${seconds(dueStarted)} s)`);

    const started = performance.now();
    await work!.run(now);
    const queued = performance.now();
    // Every due member gets a digest here: each has other members' new discussions to read.
    await new Promise<void>((resolve) => {
      smtp.relay.onAccepted = () => {
        if (smtp.relay.accepted >= due) resolve();
      };
      if (smtp.relay.accepted >= due) resolve();
    });
    console.log(`queued the jobs in ${seconds(started, queued)} s`);
    console.log(`messages average ${Math.round(smtp.relay.bytes / Math.max(1, smtp.relay.accepted) / 1024)} KB`);
    console.log(
      `${smtp.relay.accepted} digests accepted by the relay, ${seconds(started, smtp.relay.lastAcceptedAt)} s from the start of the work to the last (target ≤ 60 s)`,
    );
    const pending = await pool.query(
      `select state, count(*)::int as n from pgboss.job where name = 'mail.digest' group by state order by state`,
    );
    console.log('digest jobs:', pending.rows.map((r) => `${r.state} ${r.n}`).join(', '));
    await jobs.stop();
    transport.close();
  } finally {
    await smtp.close();
    await database.close();
    if (!args.keep) await admin(`drop database if exists ${dbName} with (force)`);
  }
}

await main();
