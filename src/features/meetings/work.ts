import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MailContext } from '../mail-lists/index.js';

/** What the worker repeats for meetings: making occurrences ahead, and reminders that are due. */
export function defineMeetingWork(_jobs: JobQueue, _ctx: MailContext): PeriodicWork[] {
  return [];
}
