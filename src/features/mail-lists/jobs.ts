import { lt } from 'drizzle-orm';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { forgetOldSends } from '../../platform/mail/ledger.js';
import type { MailContext, MailWork } from './context.js';
import { defineDigests } from './digests.js';
import { defineEveryPost } from './every-post.js';
import { inboundMessages, listMailings } from './schema.js';

/**
 * Defines the mailing lists' jobs on the queue (before it starts) and returns the work the worker
 * repeats: mailing new posts to "every post" members, sending digests when their hour comes, and
 * forgetting what no longer needs remembering.
 */
export function defineMailLists(jobs: JobQueue, ctx: MailContext): MailWork[] {
  return [
    ...defineEveryPost(jobs, ctx),
    ...defineDigests(jobs, ctx),
    {
      name: 'mail housekeeping',
      everySeconds: 6 * 3600,
      run: async (now) => {
        await forgetOldSends(ctx.db, now);
        // The "every post" scan looks two days back; a post older than that is never looked at again.
        await ctx.db.delete(listMailings).where(lt(listMailings.queuedAt, new Date(now.getTime() - 7 * 24 * 3600_000)));
        // A mail server retries for days at most; a month later the same Message-ID is not a retry.
        await ctx.db
          .delete(inboundMessages)
          .where(lt(inboundMessages.receivedAt, new Date(now.getTime() - 30 * 24 * 3600_000)));
      },
    },
  ];
}
