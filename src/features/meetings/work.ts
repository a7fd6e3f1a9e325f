import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MailContext } from '../mail-lists/index.js';
import { defineOccurrenceWork } from './occurrence-work.js';
import { defineReminderWork } from './reminder-work.js';

/** What the worker repeats for meetings: making occurrences ahead, and reminders that are due. */
export function defineMeetingWork(jobs: JobQueue, ctx: MailContext): PeriodicWork[] {
  // Occurrences first, so that a tick reminds of dates it has just made.
  return [...defineOccurrenceWork(jobs, ctx), ...defineReminderWork(jobs, ctx)];
}
