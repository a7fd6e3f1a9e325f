import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

/** The one database type every service takes: PGlite and node-postgres speak the same dialect. */
export type Db = PgDatabase<PgQueryResultHKT>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Counts the queries (each one a round trip) made inside `countQueries`, so a test can prove a page
 * makes only a few, whatever the number of posts on it: an N+1 is a bug.
 */
const queryCounter = new AsyncLocalStorage<{ queries: number }>();
const logger = {
  logQuery() {
    const store = queryCounter.getStore();
    if (store) store.queries += 1;
  },
};

export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const store = { queries: 0 };
  const result = await queryCounter.run(store, work);
  return { result, queries: store.queries };
}

export const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));

export type DatabaseTarget =
  { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    let closing = false;
    // An idle connection the server drops (a restart, a failover) must not crash the process;
    // the pool replaces it on the next query.
    pool.on('error', (error) => {
      if (!closing) console.error('database connection lost:', error.message);
    });
    const db = drizzleNodePg(pool, { logger });
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      migrate: () => migrateOnce(target.url, () => migrateNodePg(db, { migrationsFolder })),
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => {
        closing = true;
        return pool.end();
      },
    };
  }
  let dataDir: string | undefined;
  if (target.dataDir) {
    mkdirSync(target.dataDir, { recursive: true });
    dataDir = join(target.dataDir, 'pglite');
  }
  // pg_trgm gives search its typo tolerance; migration 0005 creates the extension.
  const extensions = { pg_trgm };
  const client = await PGlite.create(
    dataDir,
    target.loadDataDir ? { loadDataDir: target.loadDataDir, extensions } : { extensions },
  );
  const db = drizzlePglite(client, { logger });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}

/** Any number of our own choosing, the same in every process: "mutual" in ASCII. */
const MIGRATION_LOCK = 0x6d757475616c;

/**
 * Several processes (web processes, workers) may start at once against one PostgreSQL server:
 * one migrates while the others wait on a lock, then find nothing left to do.
 */
async function migrateOnce(url: string, migrate: () => Promise<void>): Promise<void> {
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate();
  } finally {
    await lock.end();
  }
}

/** Dumps an embedded database so tests can start each file from one migrated copy. */
export async function dumpPglite(database: Database): Promise<Blob> {
  if (database.kind !== 'pglite') throw new Error('only an embedded database can be dumped');
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return client.dumpDataDir('none');
}
