import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** A group's agreements: writing them, accepting them, and the welcome to new members. */
export async function agreementRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  void app;
  void deps;
}
