import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { accessGroup } from '../groups/index.js';
import { assertCanEditAgreements } from './policy.js';
import { acceptAgreements, readAgreements, saveAgreements } from './service.js';
import { AgreementsEditPage, AgreementsPage } from './views.js';

type SlugParams = { slug: string };
type SlugRequest = FastifyRequest<{ Params: SlugParams }>;

/** A page of this site to go back to (never another site's), or null. */
function localPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return null;
  }
  return value;
}

/** A group's agreements: writing them, accepting them, and the welcome to new members. */
export async function agreementRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  // Public like the group's about page: people read them before they decide to join.
  app.get<{ Params: SlugParams; Querystring: { next?: string } }>('/g/:slug/agreements', async (request, reply) => {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    const agreements = await readAgreements(db, access.group.id);
    const next = localPath(request.query.next);
    return sendPage(reply, AgreementsPage({ ctx: pageContext(request, reply), access, agreements, next }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/agreements/accept', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await acceptAgreements(db, request.viewer, request.params.slug);
    const next = localPath((request.body as Record<string, unknown> | undefined)?.next);
    const to = next && next !== '/' ? next : `/g/${access.group.slug}`;
    return redirectAfterPost(request, reply, `${to}${to.includes('?') ? '&' : '?'}notice=agreementsAccepted`);
  });

  async function renderEdit(
    request: SlugRequest,
    reply: FastifyReply,
    errors: Record<string, string> = {},
    values?: Record<string, string>,
  ) {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanEditAgreements(access);
    const agreements = await readAgreements(db, access.group.id);
    const page = AgreementsEditPage({ ctx: pageContext(request, reply), access, agreements, errors, values });
    return sendPage(reply, page, Object.keys(errors).length ? 400 : 200);
  }

  app.get<{ Params: SlugParams }>('/g/:slug/agreements/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderEdit(request, reply);
  });

  app.post<{ Params: SlugParams }>(
    '/g/:slug/agreements/edit',
    { config: { rateLimit: deps.limits.post } },
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      try {
        await saveAgreements(db, request.viewer, request.params.slug, request.body);
        return redirectAfterPost(request, reply, `/g/${request.params.slug}/agreements?notice=agreementsSaved`);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderEdit(request, reply, error.fieldErrors, formValues(request.body));
      }
    },
  );
}
