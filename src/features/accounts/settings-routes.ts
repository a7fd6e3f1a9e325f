import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { requireViewer } from './routes.js';
import { readSettings, updateSettings } from './settings.js';
import { SettingsPage } from './settings-views.js';

/** Who sees what, which email arrives, the time zone and the language. */
export async function settingsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    errors = {},
    values?: Record<string, string>,
    status = 200,
  ) {
    const settings = await readSettings(db, request.viewer!.id);
    if (!settings) throw new NotFound();
    const ctx = pageContext(request, reply);
    return sendPage(reply, SettingsPage({ ctx, settings, errors, values }), status);
  }

  app.get('/account/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return render(request, reply);
  });

  app.post('/account/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await updateSettings(db, request.viewer!.id, request.body);
      return reply.redirect('/account/settings?notice=settingsSaved', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return render(request, reply, error.fieldErrors, formValues(request.body), 400);
    }
  });
}
