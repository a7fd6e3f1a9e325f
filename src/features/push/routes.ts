import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** Web Push, the web app manifest, the service worker and the offline page. */
export async function pushRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
