import type { FastifyInstance } from 'fastify';
import type { ThreadExtension } from '../forum/index.js';
import { previewsSql, readPreviews, type PostPreview } from './service.js';
import { previewsBelowPosts } from './views.js';

/** Shows previews under posts with links: a thread page extension, with no routes of its own. */
export async function linkPreviewRoutes(app: FastifyInstance): Promise<void> {
  const extension: ThreadExtension<PostPreview[]> = {
    name: 'link-previews',
    query: previewsSql,
    read: readPreviews,
    render: (ctx, previews, page) => ({ belowPost: previewsBelowPosts(ctx, previews, page) }),
  };
  app.threadExtensions.push(extension as ThreadExtension);
}
