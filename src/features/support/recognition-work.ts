import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { recordEarnedBadges } from './badges.js';
import type { SupportContext } from './work.js';

/**
 * Badges earned, kept up to date every 15 minutes (and whenever a member opens "My support"):
 * one set-based statement per badge, whatever the number of members. Recording twice is harmless.
 */
export function defineRecognitionWork(_jobs: JobQueue, ctx: SupportContext): PeriodicWork[] {
  return [{ name: 'support badges', everySeconds: 15 * 60, run: () => recordEarnedBadges(ctx.db) }];
}
