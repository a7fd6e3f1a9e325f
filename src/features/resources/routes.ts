import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import * as coping from './coping.js';
import { CopingPage, CopingRequestsPage, CopingSaveFormPage } from './coping-views.js';
import { canReview, canSuggest, canVouch } from './policy.js';
import * as service from './service.js';
import { resourcesThreadExtension } from './thread-extension.js';
import { LibraryPage, ResourceFormPage, ResourcePage, ReviewPage } from './views.js';

type SlugParams = { slug: string };
type IdParams = { slug: string; id: string };

/** The resource library (reading, suggesting, reviewing, voting) and the coping strategies. */
export async function resourceRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };
  const at = (slug: string, id?: number) => `/g/${slug}/resources${id === undefined ? '' : `/${id}`}`;

  app.threadExtensions.push(resourcesThreadExtension);

  // The library -----------------------------------------------------------------------------------

  app.get<{ Params: SlugParams }>('/g/:slug/resources', async (request, reply) => {
    const page = await service.libraryPage(db, request.viewer, request.params.slug, request.query);
    const ctx = pageContext(request, reply);
    return sendPage(
      reply,
      LibraryPage({ ctx, page, canSuggest: canSuggest(page.access), canReview: canReview(page.access) }),
    );
  });

  app.get<{ Params: IdParams }>('/g/:slug/resources/:id', async (request, reply) => {
    const { access, view } = await service.readResource(
      db,
      request.viewer,
      request.params.slug,
      parseId(request.params.id),
    );
    const ctx = pageContext(request, reply);
    return sendPage(
      reply,
      ResourcePage({
        ctx,
        access,
        view,
        canVote: canSuggest(access),
        canReview: canReview(access),
        canVouch: canVouch(access),
      }),
    );
  });

  app.post<{ Params: IdParams }>('/g/:slug/resources/:id/helped', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    const on = await service.toggleHelped(db, request.viewer!, request.params.slug, id);
    return redirectAfterPost(
      request,
      reply,
      `${at(request.params.slug, id)}?notice=${on ? 'resourcesHelped' : 'resourcesHelpedUndone'}`,
    );
  });

  // Suggesting ------------------------------------------------------------------------------------

  async function renderForm(
    request: FastifyRequest<{ Params: SlugParams | IdParams }>,
    reply: FastifyReply,
    values: Record<string, string>,
    id?: number,
    errors?: FieldErrors,
  ) {
    const access = await (id === undefined ? service.accessForSuggesting : service.accessForEditing)(
      db,
      request.viewer,
      request.params.slug,
    );
    const ctx = pageContext(request, reply);
    return sendPage(
      reply,
      ResourceFormPage({ ctx, access, id, values, errors, direct: canReview(access) }),
      errors ? 400 : 200,
    );
  }

  app.get<{ Params: SlugParams }>('/g/:slug/resources/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderForm(request, reply, {});
  });

  app.post<{ Params: SlugParams }>('/g/:slug/resources/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const { id, approved } = await service.suggestResource(db, request.viewer!, request.params.slug, request.body);
      return redirectAfterPost(
        request,
        reply,
        approved
          ? `${at(request.params.slug, id)}?notice=resourcesAdded`
          : `${at(request.params.slug)}?notice=resourcesSuggested`,
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderForm(request, reply, formValues(request.body), undefined, error.fieldErrors);
    }
  });

  // Reviewing, for moderators ---------------------------------------------------------------------

  async function renderReview(
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
    errors?: FieldErrors,
  ) {
    const { access, waiting } = await service.reviewQueue(db, request.viewer, request.params.slug);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ReviewPage({ ctx, access, waiting, errors }), errors ? 400 : 200);
  }

  app.get<{ Params: SlugParams }>('/g/:slug/resources/review', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderReview(request, reply);
  });

  app.get<{ Params: IdParams }>('/g/:slug/resources/:id/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    const r = await service.resourceForEditing(db, request.viewer, request.params.slug, id);
    const values = { kind: r.kind, title: r.title, url: r.url ?? '', body: r.body, tags: r.tags.join(', ') };
    return renderForm(request, reply, values, id);
  });

  app.post<{ Params: IdParams }>('/g/:slug/resources/:id/edit', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      await service.updateResource(db, request.viewer!, request.params.slug, id, request.body);
      return redirectAfterPost(request, reply, `${at(request.params.slug, id)}?notice=resourcesSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderForm(request, reply, formValues(request.body), id, error.fieldErrors);
    }
  });

  /** A moderator's action on a resource; a refusal of its input shows the review page with the message. */
  function action(path: string, run: (request: FastifyRequest<{ Params: IdParams }>, id: number) => Promise<string>) {
    app.post<{ Params: IdParams }>(`/g/:slug/resources/:id/${path}`, postLimit, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const id = parseId(request.params.id);
      try {
        const location = await run(request, id);
        return redirectAfterPost(request, reply, location);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderReview(request, reply, error.fieldErrors);
      }
    });
  }

  action('approve', async (request, id) => {
    await service.approveResource(db, request.viewer!, request.params.slug, id);
    return `${at(request.params.slug)}/review?notice=resourcesApproved`;
  });
  action('decline', async (request, id) => {
    await service.declineResource(db, request.viewer!, request.params.slug, id, request.body);
    return `${at(request.params.slug)}/review?notice=resourcesDeclined`;
  });
  action('reviewed', async (request, id) => {
    await service.markReviewed(db, request.viewer!, request.params.slug, id);
    return `${at(request.params.slug, id)}?notice=resourcesReviewed`;
  });
  action('vouch', async (request, id) => {
    await service.vouchForResource(db, request.viewer!, request.params.slug, id);
    return `${at(request.params.slug, id)}?notice=resourcesVouched`;
  });
  action('delete', async (request, id) => {
    await service.deleteResource(db, request.viewer!, request.params.slug, id);
    return `${at(request.params.slug)}?notice=resourcesDeleted`;
  });

  // Coping strategies -----------------------------------------------------------------------------

  app.get<{ Params: SlugParams }>('/g/:slug/coping', async (request, reply) => {
    const { access, items } = await coping.copingPage(db, request.viewer, request.params.slug);
    const ctx = pageContext(request, reply);
    return sendPage(reply, CopingPage({ ctx, access, items, signedIn: request.viewer !== null }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/coping', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await coping.requestCopingStrategy(db, request.viewer!, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${request.params.slug}/coping?notice=resourcesCopingAsked`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(
        reply,
        CopingSaveFormPage({ ctx, slug: request.params.slug, values, errors: error.fieldErrors }),
        400,
      );
    }
  });

  app.get<{ Params: SlugParams }>('/g/:slug/coping/requests', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const page = await coping.copingRequestsPage(db, request.viewer!, request.params.slug);
    return sendPage(reply, CopingRequestsPage({ ctx: pageContext(request, reply), ...page }));
  });

  for (const [path, consent] of [
    ['consent', true],
    ['decline', false],
  ] as const) {
    app.post<{ Params: IdParams }>(`/g/:slug/coping/:id/${path}`, postLimit, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      await coping.decideCopingStrategy(db, request.viewer!, request.params.slug, parseId(request.params.id), consent);
      const notice = consent ? 'resourcesCopingShared' : 'resourcesCopingNotShared';
      return redirectAfterPost(request, reply, `/g/${request.params.slug}/coping/requests?notice=${notice}`);
    });
  }
}
