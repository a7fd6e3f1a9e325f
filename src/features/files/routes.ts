import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/** Uploading, serving and deleting images and files. */
export async function fileRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  void app;
  void deps;
}
