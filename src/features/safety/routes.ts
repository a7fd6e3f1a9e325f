import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, sendFragment, sendPage } from '../../platform/http/page.js';
import { countryCodes } from '../../platform/text/countries.js';
import { idParam, parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { accessGroup } from '../groups/index.js';
import * as alerts from './alerts.js';
import { ResourcesAdminPage } from './admin-views.js';
import { crisisPanelFor, helpCountry } from './panel.js';
import * as resources from './resources.js';
import { AlertsPage, CrisisPanel, HelpPage } from './views.js';

export async function safetyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  // "Get help now", linked from every page: for anyone, signed in or not.
  app.get('/help', async (request, reply) => {
    const asked = (request.query as { country?: unknown }).country;
    const chosen = typeof asked === 'string' && countryCodes.has(asked.toUpperCase()) ? asked.toUpperCase() : null;
    const country = chosen ?? (await helpCountry(db, request.viewer, request.headers['accept-language']));
    const list = await resources.resourcesFor(db, country);
    return sendPage(reply, HelpPage({ ctx: pageContext(request, reply), country, resources: list }));
  });

  async function renderAlerts(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    form?: { failed: number; errors: Record<string, string>; values: Record<string, string> },
  ) {
    const access = await accessGroup(db, request.viewer, slug);
    const list = await alerts.listAlerts(db, access);
    const ctx = pageContext(request, reply);
    return sendPage(reply, AlertsPage({ ctx, access, alerts: list, ...form }), form ? 400 : 200);
  }

  app.get<{ Params: { slug: string } }>('/g/:slug/safety', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderAlerts(request, reply, request.params.slug);
  });

  for (const [action, run, notice] of [
    ['resolve', alerts.resolveAlert, 'alertResolved'],
    ['check-in-message', alerts.sendCheckIn, 'checkInSent'],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/safety/alerts/:id/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const id = parseId(request.params.id);
      try {
        const access = await run(db, request.viewer, id, request.body);
        return reply.redirect(`/g/${access.group.slug}/safety?notice=${notice}`, 303);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        const slug = await alerts.alertGroupSlug(db, request.viewer, id);
        return renderAlerts(request, reply, slug, {
          failed: id,
          errors: error.fieldErrors,
          values: formValues(request.body),
        });
      }
    });
  }

  // The author of an alerted post asks the group's leaders to check in with them.
  app.post<{ Params: { id: string } }>('/safety/alerts/:id/check-in', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    const where = await alerts.requestCheckIn(db, request.viewer, id);
    if (isHtmx(request)) {
      const panel = await crisisPanelFor(db, request.viewer, id, request.headers['accept-language']);
      if (!panel) throw new NotFound();
      return sendFragment(reply, CrisisPanel({ ctx: pageContext(request, reply), ...panel }));
    }
    // An alert about a live chat message goes back to its room, which shows the panel as a thread does.
    const back =
      where.threadId !== null ? `/g/${where.slug}/t/${where.threadId}` : (where.chatRoomPath ?? `/g/${where.slug}`);
    return reply.redirect(`${back}?support=${id}&notice=checkInAsked#crisis-panel`, 303);
  });

  // Crisis resources, kept by site admins.
  async function renderResources(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { editing?: number | 'new'; errors?: Record<string, string>; values?: Record<string, string> } = {},
  ) {
    const list = await resources.allResources(db, request.viewer);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ResourcesAdminPage({ ctx, resources: list, ...form }), form.errors ? 400 : 200);
  }

  app.get('/admin/crisis-resources', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const edit = idParam.safeParse((request.query as { edit?: unknown }).edit);
    return renderResources(request, reply, edit.success ? { editing: edit.data } : {});
  });

  app.post('/admin/crisis-resources', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await resources.addResource(db, request.viewer, request.body);
      return reply.redirect('/admin/crisis-resources?notice=resourceAdded', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderResources(request, reply, {
        editing: 'new',
        errors: error.fieldErrors,
        values: formValues(request.body),
      });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/crisis-resources/:id', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      await resources.updateResource(db, request.viewer, id, request.body);
      return reply.redirect('/admin/crisis-resources?notice=resourceSaved', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderResources(request, reply, {
        editing: id,
        errors: error.fieldErrors,
        values: formValues(request.body),
      });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/crisis-resources/:id/delete', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await resources.removeResource(db, request.viewer, parseId(request.params.id));
    return reply.redirect('/admin/crisis-resources?notice=resourceRemoved', 303);
  });
}
