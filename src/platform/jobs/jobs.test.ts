import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase } from '../../../test/helpers/database.js';
import type { Database } from '../db/client.js';
import { createJobQueue, type JobQueue } from './queue.js';

/*
 * The job queue (pg-boss) on the database the suite runs on: PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set. Jobs are rows, so these tests read their state where pg-boss keeps it.
 */

const greeting = z.object({ name: z.string() });

describe('job queue', () => {
  let database: Database;
  const queues: JobQueue[] = [];
  const report = (error: Error) => errors.push(error.message);
  const errors: string[] = [];

  const open = () => {
    const queue = createJobQueue(database, { worker: false, report, pollingIntervalSeconds: 0.5 });
    queues.push(queue);
    return queue;
  };
  const states = async (name: string) => {
    // Both drivers answer a raw statement with { rows }.
    const result = (await database.db.execute(
      sql`select state, count(*)::int as n from pgboss.job where name = ${name} group by state order by state`,
    )) as unknown as { rows: { state: string; n: number }[] };
    return Object.fromEntries(result.rows.map((r) => [r.state, r.n]));
  };

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    for (const queue of queues) await queue.stop();
    await database.close();
  });

  it('keeps a job until a worker runs it, then runs it once with its data', async () => {
    const queue = open();
    const ran: string[] = [];
    const greet = queue.define({
      name: 'test.greet',
      data: greeting,
      run: async ({ name }) => {
        ran.push(name);
      },
    });
    await queue.start();
    await greet.send({ name: 'Ash' });
    expect(ran).toEqual([]);
    expect(await states('test.greet')).toEqual({ created: 1 });
    expect(await queue.drain()).toBe(1);
    expect(ran).toEqual(['Ash']);
    expect(await queue.drain()).toBe(0);
    expect(await states('test.greet')).toEqual({ completed: 1 });
  });

  it('refuses to queue data that does not match the job', async () => {
    const queue = open();
    const greet = queue.define({ name: 'test.strict', data: greeting, run: async () => undefined });
    await queue.start();
    await expect(greet.send({ name: 42 } as unknown as { name: string })).rejects.toThrow();
    expect(await states('test.strict')).toEqual({});
  });

  it('tries a failed job again later rather than at once', async () => {
    const queue = open();
    let attempts = 0;
    const flaky = queue.define({
      name: 'test.flaky',
      data: greeting,
      retryDelay: 600,
      run: async () => {
        attempts += 1;
        throw new Error('the mail server is down');
      },
    });
    await queue.start();
    await flaky.send({ name: 'Birch' });
    expect(await queue.drain()).toBe(1);
    expect(attempts).toBe(1);
    expect(errors).toContain('the mail server is down');
    // Waiting for its retry, ten minutes from now: not due, so not run again.
    expect(await states('test.flaky')).toEqual({ retry: 1 });
    expect(await queue.drain()).toBe(0);
  });

  it('runs each job once when two workers take jobs at the same time', async () => {
    const runs = new Map<string, number>();
    const define = (queue: JobQueue) =>
      queue.define({
        name: 'test.once',
        data: greeting,
        run: async ({ name }) => {
          runs.set(name, (runs.get(name) ?? 0) + 1);
        },
      });
    const [one, two] = [open(), open()];
    const send = define(one);
    define(two);
    await one.start();
    await two.start();
    const names = Array.from({ length: 30 }, (_, i) => `member ${i}`);
    for (const name of names) await send.send({ name });
    const [byOne, byTwo] = await Promise.all([one.drain(), two.drain()]);
    expect(byOne + byTwo).toBe(30);
    expect([...runs.keys()].sort()).toEqual([...names].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('as a worker, picks up jobs by itself', async () => {
    const queue = open();
    let done!: (name: string) => void;
    const ran = new Promise<string>((resolve) => (done = resolve));
    const greet = queue.define({ name: 'test.worker', data: greeting, run: async ({ name }) => done(name) });
    await queue.start();
    await queue.work();
    await greet.send({ name: 'Cedar' });
    expect(await ran).toBe('Cedar');
  });
});
