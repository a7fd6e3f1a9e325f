import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { addWatchedWord, listWatchedWords, removeWatchedWord } from './service.js';
import { WatchedWordsPage } from './views.js';

export async function watchedWordRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  app.get('/admin/watched-words', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const words = await listWatchedWords(db, request.viewer);
    return sendPage(reply, WatchedWordsPage({ ctx: pageContext(request, reply), words }));
  });

  app.post('/admin/watched-words', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await addWatchedWord(db, request.viewer, request.body);
      return redirectAfterPost(request, reply, '/admin/watched-words?notice=watchedWordAdded');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const words = await listWatchedWords(db, request.viewer);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, WatchedWordsPage({ ctx, words, errors: error.fieldErrors, values }), 400);
    }
  });

  app.post<{ Params: { id: string } }>('/admin/watched-words/:id/remove', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await removeWatchedWord(db, request.viewer, parseId(request.params.id));
    return redirectAfterPost(request, reply, '/admin/watched-words?notice=watchedWordRemoved');
  });
}
