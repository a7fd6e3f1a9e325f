import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { requireViewer, SESSION_COOKIE } from '../accounts/index.js';
import { listExports, prepareExport, purgeExpiredExports, readArchive, requestExport } from './exports.js';
import type { ExportJob } from './jobs.js';
import { deleteMyAccount } from './service.js';
import { DataPage, DeleteAccountPage, PrivacyPage } from './views.js';

/** The privacy page, a member's data export, and deleting an account. */
export async function privacyRoutes(
  app: FastifyInstance,
  deps: Deps,
  opts: { exportJob?: ExportJob | undefined } = {},
): Promise<void> {
  const { db } = deps;
  // Archives are prepared by a job, so that a large one never holds up a page. Without a queue
  // (an app built for a one-off script) the request prepares it itself.
  const { exportJob } = opts;

  app.get('/privacy', async (request, reply) => sendPage(reply, PrivacyPage({ ctx: pageContext(request, reply) })));

  app.get('/account/data', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const exports = await listExports(db, request.viewer!.id);
    return sendPage(reply, DataPage({ ctx: pageContext(request, reply), exports }));
  });

  app.post('/account/data/export', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const exportId = await requestExport(db, request.viewer!.id);
    if (exportId !== null) {
      if (exportJob) await exportJob.send({ exportId });
      else await prepareExport(db, exportId);
    }
    return reply.redirect('/account/data?notice=exportRequested', 303);
  });

  app.get<{ Params: { id: string } }>('/account/data/exports/:id', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await purgeExpiredExports(db);
    const archive = await readArchive(db, request.viewer!.id, request.params.id);
    const day = new Date().toISOString().slice(0, 10);
    return (
      reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="mutual-data-${day}.zip"`)
        .header('cache-control', 'no-store')
        // Not a page, so it cannot say noindex itself: a person's data never belongs in a search engine.
        .header('x-robots-tag', 'noindex')
        .send(Buffer.from(archive))
    );
  });

  function renderDelete(
    request: FastifyRequest,
    reply: FastifyReply,
    errors = {},
    values: Record<string, string> = {},
    status = 200,
  ) {
    return sendPage(reply, DeleteAccountPage({ ctx: pageContext(request, reply), errors, values }), status);
  }

  app.get('/account/delete', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderDelete(request, reply);
  });

  app.post('/account/delete', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await deleteMyAccount(db, request.viewer!.id, request.body);
    } catch (error) {
      const values = formValues(request.body, ['password']);
      if (error instanceof Invalid) return renderDelete(request, reply, error.fieldErrors, values, 400);
      if (error instanceof Forbidden) return renderDelete(request, reply, { '': error.reason }, values, 403);
      throw error;
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/?notice=accountDeleted', 303);
  });
}
