import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { tellUnanswered } from './waiting-notice.js';
import type { SupportContext } from './work.js';

/** A day without a reply: every ten minutes, authors whose first discussion waited a day are told it was seen. */
export function defineWaitingWork(_jobs: JobQueue, ctx: SupportContext): PeriodicWork[] {
  return [
    {
      name: 'support:unanswered-notices',
      everySeconds: 600,
      run: async (now) => {
        await tellUnanswered(ctx.db, now);
      },
    },
  ];
}
