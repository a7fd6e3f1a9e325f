import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** Writing, previewing, scheduling and reading newsletters; public sign-up. PLACEHOLDER. */
export async function newsletterRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
