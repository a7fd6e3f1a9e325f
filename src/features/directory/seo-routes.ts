import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { NotFound } from '../../platform/errors.js';
import { robotsTxt, sitemapFileCount, sitemapIndexXml, sitemapUrls, sitemapXml } from './seo.js';

/** The same for everyone and changing slowly: shared caches may keep them for an hour. */
const CACHE = 'public, max-age=3600';

export async function seoRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const baseUrl = deps.baseUrl.replace(/\/$/u, '');

  app.get('/robots.txt', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', CACHE).send(robotsTxt(baseUrl)),
  );

  app.get('/sitemap.xml', async (_request, reply) => {
    const files = await sitemapFileCount(db);
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', CACHE)
      .send(sitemapIndexXml(baseUrl, files));
  });

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const match = /^([1-9]\d{0,4})\.xml$/u.exec(request.params.file);
    if (!match) throw new NotFound();
    const urls = await sitemapUrls(db, Number(match[1]));
    if (!urls) throw new NotFound();
    return reply.type('application/xml; charset=utf-8').header('cache-control', CACHE).send(sitemapXml(baseUrl, urls));
  });
}
