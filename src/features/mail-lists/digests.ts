import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MailContext, MailWork } from './context.js';

/** Daily and weekly digests. PLACEHOLDER: written by the digest helper. */
export function defineDigests(_jobs: JobQueue, _ctx: MailContext): MailWork[] {
  return [];
}
