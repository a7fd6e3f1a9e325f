import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { OrganisationGroupFormPage } from './group-form.js';
import {
  accessOrganisation,
  assertCanCreateOrganisation,
  assertCanManageOrganisation,
  canManageOrganisation,
} from './policy.js';
import * as service from './service.js';
import { AdminsPage, NewOrganisationPage, OrganisationPage, OrganisationsPage } from './views.js';

type SlugParams = { slug: string };

export async function organisationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  app.get('/organisations', async (request, reply) => {
    const listing = await service.listOrganisations(db);
    return sendPage(reply, OrganisationsPage({ ctx: pageContext(request, reply), listing }));
  });

  app.get('/organisations/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    assertCanCreateOrganisation(request.viewer);
    return sendPage(reply, NewOrganisationPage({ ctx: pageContext(request, reply) }));
  });

  app.post('/organisations/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const organisation = await service.createOrganisation(db, request.viewer, request.body);
      return redirectAfterPost(request, reply, `/o/${organisation.slug}`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, NewOrganisationPage({ ctx, errors: error.fieldErrors, values }), 400);
    }
  });

  app.get<{ Params: SlugParams }>('/o/:slug', async (request, reply) => {
    const access = await accessOrganisation(db, request.viewer, request.params.slug);
    const groups = await service.organisationGroups(db, access);
    return sendPage(reply, OrganisationPage({ ctx: pageContext(request, reply), access, groups }));
  });

  async function renderAdmins(
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const access = await accessOrganisation(db, request.viewer, request.params.slug);
    const admins = await service.listAdmins(db, access);
    const ctx = pageContext(request, reply);
    const values = status === 200 ? {} : formValues(request.body);
    return sendPage(reply, AdminsPage({ ctx, access, admins, errors, values }), status);
  }

  app.get<{ Params: SlugParams }>('/o/:slug/admins', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderAdmins(request, reply);
  });

  app.post<{ Params: SlugParams }>('/o/:slug/admins', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await service.addAdmin(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/o/${request.params.slug}/admins`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderAdmins(request, reply, error.fieldErrors, 400);
    }
  });

  app.post<{ Params: SlugParams & { pseudonym: string } }>(
    '/o/:slug/admins/:pseudonym/remove',
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const { slug, pseudonym } = request.params;
      try {
        await service.removeAdmin(db, request.viewer, slug, pseudonym);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderAdmins(request, reply, error.fieldErrors, 400);
      }
      // Someone who removed themselves can no longer see the list, so they go back to the organisation.
      const access = await accessOrganisation(db, request.viewer, slug);
      return redirectAfterPost(request, reply, canManageOrganisation(access) ? `/o/${slug}/admins` : `/o/${slug}`);
    },
  );

  app.get<{ Params: SlugParams }>('/o/:slug/groups/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessOrganisation(db, request.viewer, request.params.slug);
    assertCanManageOrganisation(access);
    return sendPage(reply, OrganisationGroupFormPage({ ctx: pageContext(request, reply), access }));
  });

  app.post<{ Params: SlugParams }>('/o/:slug/groups/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const group = await service.createOrganisationGroup(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${group.slug}?notice=groupCreated`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessOrganisation(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, OrganisationGroupFormPage({ ctx, access, errors: error.fieldErrors, values }), 400);
    }
  });
}
