import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { JobQueue, JobSender } from '../../platform/jobs/queue.js';
import { prepareExport } from './exports.js';

export type ExportJob = JobSender<{ exportId: number }>;

/**
 * The background job that prepares a member's archive. Defined before the queue starts, in every
 * process (a worker runs it; the web process sends it). Running it twice does no harm.
 */
export function defineExportJob(jobs: Pick<JobQueue, 'define'>, db: Db): ExportJob {
  return jobs.define({
    name: 'privacy.export',
    data: z.object({ exportId: z.number().int().positive() }),
    retryLimit: 3,
    run: ({ exportId }) => prepareExport(db, exportId),
  });
}
