import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { isHtmx, pageContext, sendFragment, sendPage } from '../../platform/http/page.js';
import { parseDirectoryQuery, searchDirectory } from './search.js';
import { DirectoryFragment, DirectoryPage, type DirectoryView } from './search-views.js';
import { listTopics } from './topic-matching.js';

/**
 * The directory at /groups: a GET form, so it works without JavaScript and every search has an
 * address; htmx swaps the filters and results in place. Open to everyone: it reads only listed
 * entries, whose names and summaries anyone may see.
 */
export async function directorySearchRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/groups', async (request, reply) => {
    const ctx = pageContext(request, reply);
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const own = request.viewer?.timeZone;
    // A signed-in person's own setting wins; otherwise the browser's zone, which directory.js sends.
    const query = parseDirectoryQuery(raw, { timeZone: own ?? 'UTC' });
    if (own) query.timeZone = own;
    const zoneSource = own ? 'account' : query.timeZone !== 'UTC' ? 'browser' : 'default';
    const [found, topics] = await Promise.all([
      searchDirectory(db, query, { cacheMs: deps.searchCacheMs }),
      listTopics(db),
    ]);
    const view: DirectoryView = { query, found, topics, zoneSource };
    // A history restore asks for the whole page.
    if (isHtmx(request) && request.headers['hx-history-restore-request'] !== 'true') {
      return sendFragment(reply, DirectoryFragment({ ctx, view }));
    }
    return sendPage(reply, DirectoryPage({ ctx, view }));
  });
}
