import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** Webhooks: a group's (or an organisation's) registered addresses, and their deliveries. */
export async function webhookRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  void app;
  void deps;
}
