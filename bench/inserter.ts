import { resolve } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/db/client.js';

/** Rows per multi-row insert. */
const BATCH = 10_000;

type Query = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** The database bench data goes to: PostgreSQL (two connections) or the embedded PGlite. */
export interface Target {
  query: Query;
  /** Up to this many batches may be in flight at once. */
  parallel: number;
  kind: 'postgres' | 'pglite';
  /** PGlite only: the app's handle on the same database (one process may open it only once). */
  database?: Database;
  close(): Promise<void>;
  label: string;
}

/** Migrates the database and opens it for bulk writes. */
export async function connect(databaseUrl: string): Promise<Target> {
  if (databaseUrl) {
    const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 1 });
    await database.migrate();
    await database.close();
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('connect', (client) => {
      client.query('set synchronous_commit = off').catch(() => undefined);
    });
    return {
      query: (text, params) => pool.query(text, params),
      parallel: 2,
      kind: 'postgres',
      close: () => pool.end(),
      label: `PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`,
    };
  }
  const dataDir = resolve(process.env.DATA_DIR || './data-bench');
  const database: Database = await openDatabase({ kind: 'pglite', dataDir });
  await database.migrate();
  const client = (database.db as unknown as { $client: { query: Query } }).$client;
  return {
    query: (text, params) => client.query(text, params),
    parallel: 1,
    kind: 'pglite',
    database,
    close: () => database.close(),
    label: `PGlite in ${dataDir}`,
  };
}

/** Table, rows and seconds of each bulk insert, for the summary at the end. */
export const timings: [string, number, number][] = [];

/**
 * Buffers rows column-wise and writes them BATCH at a time with one
 * `insert … select … from unnest($1::int[], $2::text[], …)` (or an `update … from unnest(…)`).
 */
export class Inserter {
  private columns: unknown[][];
  private inFlight: Promise<unknown>[] = [];
  private sql: string;
  rows = 0;
  private started = performance.now();

  /**
   * Types other than int, text, bool, timestamptz (enums, arrays, float8) travel as text (PGlite
   * serialises only built-in array types) and are cast in the select. `update` is an update
   * statement's text up to `from`: the rows are `t`, e.g. `update x set a = t.a` + ` where x.id = t.id`.
   */
  constructor(
    private target: Target,
    private table: string,
    names: string[],
    types: string[],
    private total: number,
    options: { overriding?: boolean; update?: { set: string; where: string } } = {},
  ) {
    this.columns = names.map(() => []);
    const builtin = ['int', 'text', 'bool', 'timestamptz'];
    const params = types.map((t, i) => `$${i + 1}::${builtin.includes(t) ? t : 'text'}[]`).join(', ');
    const select = names.map((n, i) => (builtin.includes(types[i]!) ? n : `${n}::${types[i]} as ${n}`)).join(', ');
    const rows = `(select ${select} from unnest(${params}) as u(${names.join(', ')}))`;
    this.sql = options.update
      ? `update ${table} set ${options.update.set} from ${rows} as t where ${options.update.where}`
      : `insert into ${table} (${names.join(', ')}) ${options.overriding ? 'overriding system value ' : ''}` +
        `select * from ${rows} as t`;
  }

  async add(...values: unknown[]): Promise<void> {
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]);
    if (this.columns[0]!.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const n = this.columns[0]!.length;
    if (n === 0) return;
    const params = this.columns;
    this.columns = params.map(() => []);
    const p = this.target.query(this.sql, params).then(() => {
      this.rows += n;
      this.progress();
    });
    this.inFlight.push(p);
    if (this.inFlight.length >= this.target.parallel) await this.inFlight.shift();
  }

  private lastPrint = 0;
  private progress(final = false) {
    const now = performance.now();
    if (!final && now - this.lastPrint < 2000) return;
    this.lastPrint = now;
    const secs = (now - this.started) / 1000;
    const pct = this.total ? ` (${Math.min(100, Math.round((this.rows / this.total) * 100))}%)` : '';
    process.stdout.write(
      `  ${this.table}: ${this.rows.toLocaleString('en')} rows${pct} in ${secs.toFixed(1)} s${final ? '\n' : '\r'}`,
    );
  }

  async finish(label = this.table): Promise<number> {
    await this.flush();
    await Promise.all(this.inFlight);
    this.inFlight = [];
    this.progress(true);
    const secs = (performance.now() - this.started) / 1000;
    timings.push([label, this.rows, secs]);
    return secs;
  }
}

/** A PostgreSQL array literal of text items, for a text[] column travelling as text. */
export const arrayLiteral = (items: readonly (string | number)[]) =>
  `{${items.map((s) => (typeof s === 'number' ? String(s) : `"${s.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
