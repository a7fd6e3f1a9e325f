import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { findPeople, setTrustLevel } from './admin.js';
import { TrustAdminPage } from './views.js';

export async function trustRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  // Site admins look people up by pseudonym and set their trust level by hand.
  app.get('/admin/trust', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { q, people } = await findPeople(db, request.viewer, request.query);
    return sendPage(reply, TrustAdminPage({ ctx: pageContext(request, reply), q, people }));
  });

  app.post('/admin/trust', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const { pseudonym } = await setTrustLevel(db, request.viewer, request.body);
      return redirectAfterPost(request, reply, `/admin/trust?q=${encodeURIComponent(pseudonym)}&notice=trustLevelSet`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const { q, people } = await findPeople(db, request.viewer, {});
      const ctx = pageContext(request, reply);
      return sendPage(reply, TrustAdminPage({ ctx, q, people, errors: error.fieldErrors }), 400);
    }
  });
}
