import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { recognitionRoutes } from './recognition-routes.js';
import { waitingRoutes } from './waiting-routes.js';

/** Giving back: "Needs a reply" and its prompts; "My support", thanks, badges and a group's health. */
export async function supportRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await waitingRoutes(app, deps);
  await recognitionRoutes(app, deps);
}
