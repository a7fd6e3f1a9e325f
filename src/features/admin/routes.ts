import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { NotFound } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { readOutbox } from '../../platform/mail/mailer.js';
import { requireViewer, secondFactorFirst } from '../accounts/index.js';
import { AdminIndexPage, OutboxPage } from './views.js';

export async function adminRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/admin', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    if (!request.viewer?.isAdmin) throw new NotFound();
    return sendPage(reply, AdminIndexPage({ ctx: pageContext(request, reply) }));
  });

  // Mail kept when no SMTP server is configured: only site administrators may read it.
  app.get('/admin/outbox', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    if (!request.viewer?.isAdmin) throw new NotFound();
    if (!request.viewer.secondFactor) throw secondFactorFirst();
    const messages = await readOutbox(deps.db);
    return sendPage(reply, OutboxPage({ ctx: pageContext(request, reply), messages }));
  });
}
