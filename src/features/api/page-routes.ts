import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** The API's pages: the reference at /api/docs, and a person's (and organisation's) access tokens. */
export async function apiPageRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  void app;
  void deps;
}
