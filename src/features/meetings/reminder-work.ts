import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MailContext } from '../mail-lists/index.js';
import { dueReminders, reminderJob, reminderJobId, sendReminders } from './reminders.js';

/**
 * Defines the reminder job (before the queue starts) and returns the work that queues it: every
 * minute, the reminders that have come due. A worker that was down catches up when it is back,
 * for meetings that have not started.
 */
export function defineReminderWork(jobs: JobQueue, ctx: MailContext): PeriodicWork[] {
  const job = jobs.define({
    name: 'meetings.reminder',
    data: reminderJob,
    retryLimit: 5,
    retryDelay: 30,
    expireInSeconds: 5 * 60,
    run: async (data) => {
      await sendReminders(ctx, data);
    },
  });
  return [
    {
      name: 'meeting reminders',
      everySeconds: 60,
      run: async (now) => {
        for (const data of await dueReminders(ctx.db, now)) await job.send(data, { id: reminderJobId(data) });
      },
    },
  ];
}
