import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** Polls in threads, and "find a time" polls that become meetings. */
export async function pollRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  void app;
  void deps;
}
