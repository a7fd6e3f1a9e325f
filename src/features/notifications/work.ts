import type { JobQueue } from '../../platform/jobs/queue.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { MailContext } from '../mail-lists/index.js';
import { notificationEmailWork } from './email.js';
import { liveCountWork } from './live.js';

/**
 * What the worker repeats for notifications (main.ts and the test world list it with the rest):
 * the bell's count for notifications written inside other features' transactions, every two
 * seconds, and the batched notification emails, every minute. Define before the queue starts.
 */
export function defineNotificationWork(jobs: Pick<JobQueue, 'define'>, ctx: MailContext): PeriodicWork[] {
  return [liveCountWork(ctx), notificationEmailWork(jobs, ctx)];
}
