import type { Db } from '../../platform/db/client.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { defineRecognitionWork } from './recognition-work.js';
import { defineWaitingWork } from './waiting-work.js';

export interface SupportContext {
  db: Db;
  baseUrl: string;
}

/** What the worker repeats for giving back: telling authors a day on that their post was seen; badges. */
export function defineSupportWork(jobs: JobQueue, ctx: SupportContext): PeriodicWork[] {
  return [...defineWaitingWork(jobs, ctx), ...defineRecognitionWork(jobs, ctx)];
}
