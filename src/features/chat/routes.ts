import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** A group's chat room and a meeting's live room: history, posting, facilitator controls, live topics. */
export async function chatRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
