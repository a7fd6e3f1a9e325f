import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, sendFragment, sendPage } from '../../platform/http/page.js';
import { searchDiscussions } from './search.js';
import { SearchPage, SearchResultsSection } from './search-views.js';

/**
 * Searching discussions: across the groups a person may read (/search), or inside one group
 * (/g/:slug/search). GET forms, so a search is a link that can be shared or bookmarked; with htmx
 * only the results are swapped as the filters change.
 */
export async function discussionSearchRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/search', async (request, reply) => {
    const results = await searchDiscussions(db, request.viewer, request.query);
    const ctx = pageContext(request, reply);
    const values = formValues(request.query);
    const status = Object.keys(results.errors).length > 0 ? 400 : 200;
    if (isHtmx(request)) {
      return sendFragment(reply, SearchResultsSection({ ctx, results, values, action: '/search' }));
    }
    return sendPage(reply, SearchPage({ ctx, results, values, action: '/search' }), status);
  });

  app.get<{ Params: { slug: string } }>('/g/:slug/search', async (request, reply) => {
    const query = { ...(request.query as Record<string, unknown>), group: request.params.slug };
    const results = await searchDiscussions(db, request.viewer, query, { groupChoices: false });
    const ctx = pageContext(request, reply);
    const values = formValues(request.query, ['group']);
    const action = `/g/${encodeURIComponent(request.params.slug)}/search`;
    const status = Object.keys(results.errors).length > 0 ? 400 : 200;
    if (isHtmx(request)) {
      return sendFragment(reply, SearchResultsSection({ ctx, results, values, action, headingLevel: 3 }));
    }
    return sendPage(reply, SearchPage({ ctx, results, values, action }), status);
  });
}
