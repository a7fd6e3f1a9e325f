import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { groupSearchPresence, loadGroupProfile } from '../directory/index.js';
import { accessGroup, assertCanManage } from './policy.js';
import * as membership from './membership.js';
import * as service from './service.js';
import { renderMembers, renderNamePage } from './members-routes.js';
import { GroupAboutPage, GroupFormPage, HomePage } from './views.js';

type SlugParams = { slug: string };

export async function groupRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/', async (request, reply) => {
    const [newest, active] = await Promise.all([
      service.listGroups(db, { sort: 'newest', limit: 6, counted: false }),
      service.listGroups(db, { sort: 'active', limit: 6, counted: false }),
    ]);
    return sendPage(
      reply,
      HomePage({ ctx: pageContext(request, reply), newest: newest.groups, active: active.groups }),
    );
  });

  app.get('/groups/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return sendPage(reply, GroupFormPage({ ctx: pageContext(request, reply) }));
  });

  app.post('/groups/new', { config: { rateLimit: deps.limits.post } }, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const group = await service.createGroup(db, request.viewer, request.body);
      return redirectAfterPost(request, reply, `/g/${group.slug}?notice=groupCreated`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      return sendPage(reply, GroupFormPage({ ctx, errors: error.fieldErrors, values: formValues(request.body) }), 400);
    }
  });

  app.get<{ Params: SlugParams }>('/g/:slug/about', async (request, reply) => {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    const [seo, profile] = await Promise.all([
      groupSearchPresence(db, access, deps.baseUrl),
      loadGroupProfile(db, access.group.id),
    ]);
    return sendPage(reply, GroupAboutPage({ ctx: pageContext(request, reply), access, seo, profile }));
  });

  app.get<{ Params: SlugParams }>('/g/:slug/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanManage(access);
    const g = access.group;
    const values = {
      name: g.name,
      summary: g.summary,
      description: g.description,
      tags: g.tags.join(', '),
      language: g.language,
      leadership: g.leadership,
      visibility: g.visibility,
    };
    return sendPage(reply, GroupFormPage({ ctx: pageContext(request, reply), values, slug: g.slug }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const group = await service.updateGroup(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${group.slug}/about?notice=groupUpdated`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, GroupFormPage({ ctx, errors: error.fieldErrors, values, slug: request.params.slug }), 400);
    }
  });

  app.post<{ Params: SlugParams }>('/g/:slug/join', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const access = await membership.joinGroup(db, request.viewer, request.params.slug, request.body, deps.events);
      return redirectAfterPost(request, reply, `/g/${access.group.slug}?notice=joined`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderNamePage(db, request, reply, error.fieldErrors, formValues(request.body));
    }
  });

  app.post<{ Params: SlugParams }>('/g/:slug/leave', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await membership.leaveGroup(db, request.viewer, request.params.slug);
      return redirectAfterPost(request, reply, `/g/${request.params.slug}?notice=left`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderMembers(db, request, reply, error.fieldErrors, 400);
    }
  });
}
