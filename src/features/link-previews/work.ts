import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { defaultLimits, fetchPreview, type FetchLimits } from './fetch.js';
import { jobIdOf, linksToPreview, storePreview } from './service.js';

export interface LinkPreviewOptions {
  /** Config LINK_PREVIEWS: off, the server fetches nothing. */
  enabled?: boolean | undefined;
  /** The site's address, named in the User-Agent so a site's owner can see who is asking. */
  baseUrl?: string | undefined;
  /** Tests fetch from servers on loopback; production never may (SSRF). */
  allowPrivateAddresses?: boolean | undefined;
  /** Tests: fetch only from their own servers on loopback, never the internet (links in other tests' posts). */
  loopbackOnly?: boolean | undefined;
  /** Tests shorten the time limit (5 s) to prove it holds. */
  timeoutMs?: number | undefined;
}

const previewJob = z.object({ url: z.string().min(1).max(2000) });

/**
 * Previews of links in new posts: every 10 seconds, links in the last hour's posts with no fresh
 * preview are queued, one job per link (its id made from the link, so none is queued twice), and
 * each job fetches its page and keeps its words.
 */
export function defineLinkPreviews(jobs: JobQueue, db: Db, opts: LinkPreviewOptions = {}): PeriodicWork[] {
  const enabled = opts.enabled ?? true;
  const baseUrl = (opts.baseUrl ?? 'http://localhost:3000').replace(/\/$/u, '');
  const limits: FetchLimits = {
    ...defaultLimits,
    allowPrivateAddresses: opts.allowPrivateAddresses ?? false,
    loopbackOnly: opts.loopbackOnly ?? false,
    timeoutMs: opts.timeoutMs ?? defaultLimits.timeoutMs,
    userAgent: `MutualLinkPreview/1.0 (+${baseUrl})`,
  };
  const fetchJob = jobs.define({
    name: 'link-preview.fetch',
    data: previewJob,
    // A page that cannot be fetched is recorded as failed, not thrown: only the database can fail here.
    retryLimit: 2,
    expireInSeconds: 60,
    async run({ url }) {
      if (!enabled) return;
      await storePreview(db, url, await fetchPreview(url, limits));
    },
  });
  if (!enabled) return [];
  return [
    {
      name: 'link previews',
      everySeconds: 10,
      async run(now) {
        for (const url of await linksToPreview(db, now, new URL(baseUrl).origin)) {
          await fetchJob.send({ url }, { id: jobIdOf(url) });
        }
      },
    },
  ];
}
