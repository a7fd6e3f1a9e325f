/**
 * Where the directory's time goes: runs searchDirectory for a few typical searches against a
 * bench database, catching each SQL statement it sends, then runs each again under
 * EXPLAIN (ANALYZE, BUFFERS) and prints the plans with their timings.
 *
 *   npx tsx bench/explain.ts --database-url postgres://postgres@127.0.0.1:5432/mutual_bench [--full] [--q words]
 *
 * Without --full only each statement's timing and the plan's top lines are printed.
 */
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { parseDirectoryQuery, searchDirectory } from '../src/features/directory/search.js';
import type { Db } from '../src/platform/db/client.js';
import { directorySearchPath } from './searches.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? '' },
    full: { type: 'boolean', default: false },
    q: { type: 'string', multiple: true },
  },
});
if (!args['database-url']) throw new Error('--database-url is required (PostgreSQL)');

const captured: { sql: string; params: unknown[] }[] = [];
const pool = new pg.Pool({ connectionString: args['database-url'], max: 2 });
const db = drizzle(pool, {
  logger: { logQuery: (sql: string, params: unknown[]) => captured.push({ sql, params }) },
}) as unknown as Db;

/** The searches to explain: the bench's own (URLs as the page gets them), or --q's. */
const paths = args.q?.length
  ? args.q.map((q) => `/groups?${q.includes('=') ? q : new URLSearchParams({ q }).toString()}`)
  : [
      '/groups',
      directorySearchPath(0, false),
      directorySearchPath(3, false),
      directorySearchPath(7, false),
      directorySearchPath(1, true),
      directorySearchPath(4, true),
    ];

try {
  for (const path of paths) {
    const query = parseDirectoryQuery(Object.fromEntries(new URL(path, 'http://x').searchParams), { timeZone: 'UTC' });
    // Once to warm the caches (the taxonomy, the lexicon's pages), then timed.
    await searchDirectory(db, query);
    captured.length = 0;
    const started = performance.now();
    const results = await searchDirectory(db, query);
    const ms = performance.now() - started;
    console.log(`\n=== ${path}\n${results.total} results, ${captured.length} statements, ${ms.toFixed(1)} ms in all`);
    for (const { sql, params } of [...captured]) {
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
      const plan = rows.map((r) => r['QUERY PLAN']);
      const time = plan.filter((l) => /^(Planning|Execution) Time/.test(l)).join(', ');
      console.log(`\n--- ${sql.replace(/\s+/g, ' ').slice(0, 120)}…\n${time}`);
      console.log((args.full ? plan : plan.slice(0, 12)).join('\n'));
    }
  }
} finally {
  await pool.end();
}
