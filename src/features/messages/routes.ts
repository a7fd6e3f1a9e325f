import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** Private messages: conversations, message requests, reports. */
export async function messageRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
