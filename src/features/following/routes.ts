import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** Following threads and groups, and mentions: who is told of new posts. */
export async function followingRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
