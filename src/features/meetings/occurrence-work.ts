import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MailContext } from '../mail-lists/index.js';
import { topUpOccurrences } from './occurrence-rows.js';

/**
 * Every hour, repeating meetings get the dates that have come within six months: rows are made
 * ahead rather than worked out on every page, and a page of dates is one plain query.
 */
export function defineOccurrenceWork(_jobs: JobQueue, ctx: Pick<MailContext, 'db'>): PeriodicWork[] {
  return [
    {
      name: 'meetings:occurrences',
      everySeconds: 3600,
      run: async (now) => {
        await topUpOccurrences(ctx.db, now);
      },
    },
  ];
}
