import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { NotFound } from '../../platform/errors.js';
import { accessFile, versionOf } from './policy.js';

const params = z.object({
  publicId: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/),
  variant: z.string().regex(/^(main|[a-z]+\.[a-z0-9]+)$/),
});
const query = z.object({ download: z.literal('1').optional().catch(undefined) });

/** How long a browser may keep a file it was allowed to read: short, as access can be taken away. */
const MAX_AGE_SECONDS = 3600;

/**
 * GET /files/:publicId/:variant: a file's bytes, to whoever may read what it belongs to. Nothing
 * served here can run: a sandboxing CSP, nosniff, and every file that is not one of our re-encoded
 * images is a download (Content-Disposition: attachment), whatever a browser makes of it.
 */
export async function fileServeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Params: { publicId: string; variant: string }; Querystring: Record<string, string> }>(
    '/files/:publicId/:variant',
    async (request, reply) => {
      const p = params.safeParse(request.params);
      if (!p.success) throw new NotFound();
      const file = await accessFile(deps.db, request.viewer, p.data.publicId);
      const version = versionOf(file, p.data.variant);
      if (!version) throw new NotFound();
      const etag = `"${file.publicId}.${p.data.variant}"`;
      const download = query.parse(request.query).download === '1';
      reply
        .header('Cache-Control', `private, max-age=${MAX_AGE_SECONDS}`)
        .header('ETag', etag)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox; frame-ancestors 'none'")
        .header('Cross-Origin-Resource-Policy', 'same-origin')
        .header('Vary', 'Cookie');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      const bytes = await deps.files.get(version.key);
      if (!bytes) throw new NotFound();
      const inline = file.kind === 'image' && version.contentType.startsWith('image/') && !download;
      return reply
        .header('Content-Type', version.contentType)
        .header('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', version.name))
        .send(bytes);
    },
  );
}

/** RFC 6266: an ASCII name for old clients and the real one, UTF-8, for the rest. */
function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
