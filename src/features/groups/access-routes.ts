import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { ApplicationsPage, ApplyPage, InvitationsPage, InvitePage, SettingsPage } from './access-views.js';
import * as applications from './applications.js';
import * as invitations from './invitations.js';
import { updateAccessSettings } from './leadership.js';
import { accessGroup, assertCanManage, assertCanModerate, type GroupAccess } from './policy.js';

type SlugParams = { slug: string };

/** Puts submitted answers back under the names the form uses (answer-0, answer-1, …), with the alias and the agreements' box. */
function answerValues(body: unknown): Record<string, string> {
  const { answers, alias, acceptAgreements } = (body ?? {}) as {
    answers?: unknown;
    alias?: unknown;
    acceptAgreements?: unknown;
  };
  const list = answers === undefined ? [] : [answers].flat();
  return {
    ...Object.fromEntries(list.map((a, i) => [`answer-${i}`, typeof a === 'string' ? a : ''])),
    alias: typeof alias === 'string' ? alias : '',
    acceptAgreements: acceptAgreements === 'on' ? 'on' : '',
  };
}

export async function accessRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  async function renderApply(
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
    errors = {},
    values = {},
    status = 200,
  ) {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    if (access.group.joinPolicy !== 'approval' && !access.membership) throw new NotFound();
    if (access.banned) throw new Forbidden('groups.errors.banned');
    const application = await applications.myApplication(db, access);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ApplyPage({ ctx, access, application, errors, values }), status);
  }

  app.get<{ Params: SlugParams }>('/g/:slug/apply', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderApply(request, reply);
  });

  app.post<{ Params: SlugParams }>(
    '/g/:slug/apply',
    { config: { rateLimit: deps.limits.post } },
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      try {
        await applications.applyToGroup(db, request.viewer, request.params.slug, request.body, deps.events);
        return redirectAfterPost(request, reply, `/g/${request.params.slug}/apply?notice=applied`);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderApply(request, reply, error.fieldErrors, answerValues(request.body), 400);
      }
    },
  );

  app.post<{ Params: SlugParams }>('/g/:slug/apply/withdraw', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await applications.withdrawApplication(db, request.viewer, request.params.slug);
    return redirectAfterPost(request, reply, `/g/${request.params.slug}?notice=withdrawn`);
  });

  async function renderApplications(
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
    access: GroupAccess,
    errors = {},
    status = 200,
  ) {
    const list = await applications.pendingApplications(db, access);
    return sendPage(
      reply,
      ApplicationsPage({ ctx: pageContext(request, reply), access, applications: list, errors }),
      status,
    );
  }

  app.get<{ Params: SlugParams }>('/g/:slug/applications', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    return renderApplications(request, reply, access);
  });

  app.post<{ Params: { id: string } }>('/applications/:id/decision', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await applications.decideApplication(
      db,
      deps.mailer,
      deps.baseUrl,
      request.viewer,
      parseId(request.params.id),
      request.body,
      deps.events,
    );
    return redirectAfterPost(request, reply, `/g/${access.group.slug}/applications?notice=decided`);
  });

  async function renderInvitations(
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
    extra: {
      created?: { link: string; email: string | undefined };
      errors?: Record<string, string>;
      values?: Record<string, string>;
    } = {},
    status = 200,
  ) {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanModerate(access);
    const list = await invitations.activeInvitations(db, access);
    return sendPage(
      reply,
      InvitationsPage({ ctx: pageContext(request, reply), access, invitations: list, ...extra }),
      status,
    );
  }

  app.get<{ Params: SlugParams }>('/g/:slug/invitations', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderInvitations(request, reply);
  });

  app.post<{ Params: SlugParams }>(
    '/g/:slug/invitations',
    { config: { rateLimit: deps.limits.post } },
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      try {
        const created = await invitations.createInvitation(
          db,
          deps.mailer,
          deps.baseUrl,
          request.viewer,
          request.params.slug,
          request.body,
        );
        // The link is shown once, on this page; only its hash is stored.
        return renderInvitations(request, reply, { created });
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderInvitations(request, reply, { errors: error.fieldErrors, values: formValues(request.body) }, 400);
      }
    },
  );

  app.post<{ Params: SlugParams & { id: string } }>('/g/:slug/invitations/:id/revoke', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await invitations.revokeInvitation(db, request.viewer, request.params.slug, parseId(request.params.id));
    return redirectAfterPost(request, reply, `/g/${request.params.slug}/invitations?notice=revoked`);
  });

  app.get<{ Params: { token: string } }>('/invite/:token', async (request, reply) => {
    const access = await invitations.invitationGroup(db, request.viewer, request.params.token);
    return sendPage(reply, InvitePage({ ctx: pageContext(request, reply), access, token: request.params.token }));
  });

  app.post<{ Params: { token: string } }>('/invite/:token', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const access = await invitations.acceptInvitation(
        db,
        request.viewer,
        request.params.token,
        request.body,
        deps.events,
      );
      return redirectAfterPost(request, reply, `/g/${access.group.slug}?notice=joined`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await invitations.invitationGroup(db, request.viewer, request.params.token);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(
        reply,
        InvitePage({ ctx, access, token: request.params.token, errors: error.fieldErrors, values }),
        400,
      );
    }
  });

  app.get<{ Params: SlugParams }>('/g/:slug/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanManage(access);
    return sendPage(reply, SettingsPage({ ctx: pageContext(request, reply), access }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await updateAccessSettings(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${request.params.slug}/settings?notice=settingsSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessGroup(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        SettingsPage({ ctx, access, errors: error.fieldErrors, values: formValues(request.body) }),
        400,
      );
    }
  });
}
