import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MailContext, MailWork } from './context.js';

/**
 * "Every post": each newly published post (opening or reply) is mailed to the members of its group
 * who chose every post and may read it. PLACEHOLDER: written by the outbound helper.
 */
export function defineEveryPost(_jobs: JobQueue, _ctx: MailContext): MailWork[] {
  return [];
}
