import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MailContext, MailWork } from '../mail-lists/index.js';

/** Sending newsletters when their time comes. PLACEHOLDER: written by the newsletter helper. */
export function defineNewsletters(_jobs: JobQueue, _ctx: MailContext): MailWork[] {
  return [];
}
