import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { readPost, threadUrl, type ThreadExtension } from '../forum/index.js';
import { chooseShownBadges, earnedBadges } from './badges.js';
import { readGroupHealth } from './health.js';
import { HealthPage } from './health-views.js';
import { supportFigures, thanksReceived, totalFigures } from './recognition.js';
import { MySupportPage } from './recognition-views.js';
import { readThreadRecognition, sendThanks, threadRecognitionSql, type ThreadRecognition } from './thanks.js';
import { renderThreadRecognition, ThanksPage } from './thanks-views.js';

/** "My support", thank-you notes, badges and a group's health figures. */
export async function recognitionRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  const extension: ThreadExtension<ThreadRecognition> = {
    name: 'recognition',
    query: threadRecognitionSql,
    read: readThreadRecognition,
    render: renderThreadRecognition,
  };
  app.threadExtensions.push(extension as ThreadExtension);

  app.get('/account/support', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const userId = request.viewer!.id;
    const [groups, thanks, badges] = await Promise.all([
      supportFigures(db, userId),
      thanksReceived(db, userId),
      earnedBadges(db, userId),
    ]);
    const ctx = pageContext(request, reply);
    return sendPage(reply, MySupportPage({ ctx, groups, total: totalFigures(groups), thanks, badges }));
  });

  app.post('/account/support/badges', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await chooseShownBadges(db, request.viewer!.id, request.body);
    return redirectAfterPost(request, reply, '/account/support?notice=supportBadgesSaved#support-badges');
  });

  app.post<{ Params: { id: string } }>('/posts/:id/thanks', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const postId = parseId(request.params.id);
    try {
      const { access, threadId } = await sendThanks(db, request.viewer, postId, request.body);
      const url = `${threadUrl(access.group.slug, { id: threadId })}?notice=supportThanked#post-${postId}`;
      return redirectAfterPost(request, reply, url);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const { access, thread, view } = await readPost(db, request.viewer, postId);
      const ctx = pageContext(request, reply);
      const message = formValues(request.body).message ?? '';
      return sendPage(
        reply,
        ThanksPage({ ctx, access, threadId: thread.id, view, errors: error.fieldErrors, message }),
        400,
      );
    }
  });

  app.get<{ Params: { slug: string } }>('/g/:slug/health', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { access, health } = await readGroupHealth(db, request.viewer, request.params.slug);
    return sendPage(reply, HealthPage({ ctx: pageContext(request, reply), access, health }));
  });
}
