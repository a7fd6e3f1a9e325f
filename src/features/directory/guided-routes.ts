import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { isHtmx, pageContext, sendFragment, sendPage } from '../../platform/http/page.js';
import { helpCountry, resourcesFor } from '../safety/index.js';
import { findGroups, interpretAnswers, loadTopics, readAnswers, readsAsDanger } from './guided.js';
import { GuidedPage, type GuidedView } from './guided-views.js';

/**
 * "Help me find a group" at /find: one question per page, each a GET form that carries the earlier
 * answers, so it works without JavaScript; htmx swaps the next step in place. Open to everyone:
 * it reads only the taxonomy and the directory's listed entries, as /groups does.
 */
export async function guidedRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/find', async (request, reply) => {
    const ctx = pageContext(request, reply);
    const read = readAnswers(request.query, ctx.locale);
    const step = read.errorStep ?? read.page.step;
    const taxonomy = await loadTopics(db);
    const meaning = step === 'results' ? await interpretAnswers(db, read.answers, taxonomy) : null;
    const found = meaning ? await findGroups(db, read.answers, read.place, meaning, ctx.timeZone) : null;
    // Help comes above whatever the person sees next, never instead of it.
    const help =
      step !== 1 && readsAsDanger(read.answers)
        ? await resourcesFor(db, await helpCountry(db, request.viewer, request.headers['accept-language']))
        : null;
    const view: GuidedView = {
      answers: read.answers,
      step,
      errors: read.errors,
      categories: taxonomy.filter((t) => t.parentId === null),
      place: read.place,
      meaning,
      found,
      help,
      // A history restore asks for the whole page.
      fragment: isHtmx(request) && request.headers['hx-history-restore-request'] !== 'true',
    };
    const status = read.errorStep === null ? 200 : 422;
    const page = GuidedPage({ ctx, view });
    return view.fragment ? sendFragment(reply, page, status) : sendPage(reply, page, status);
  });
}
