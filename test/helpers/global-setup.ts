import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { dumpPglite, openDatabase, type Database } from '../../src/platform/db/client.js';
import { createJobQueue } from '../../src/platform/jobs/queue.js';
import { createMailTransport, queuedMailer } from '../../src/platform/mail/mailer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

/**
 * Migrates one database before the suite; every test file then starts from a copy of it
 * (a PGlite data-dir dump, or a PostgreSQL template database), fresh and fast.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `mutual_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 1 });
    await migrate(database);
    await database.close();
    project.provide('postgresTemplate', name);
    project.provide('pgliteTemplate', '');
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const database = await openDatabase({ kind: 'pglite' });
  await migrate(database);
  const dump = await dumpPglite(database);
  await database.close();
  const file = join(tmpdir(), `mutual-template-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', '');
  return undefined;
}

/** Mutual's tables, and the job queue's (pg-boss installs its own on first start) with its queues. */
async function migrate(database: Database) {
  await database.migrate();
  const jobs = createJobQueue(database, {
    worker: false,
    report: (error) => {
      throw error;
    },
  });
  // Defining the kinds of job creates their queues now, once, rather than in every test file.
  queuedMailer(jobs, createMailTransport({ db: database.db, smtpUrl: undefined, from: 'test' }), 'test');
  await jobs.start();
  await jobs.stop();
}
