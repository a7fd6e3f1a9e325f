import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** The meetings pages: a group's schedule, one meeting, RSVPs, calendar feeds. */
export async function meetingRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
