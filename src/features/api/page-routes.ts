import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { readReference, type OperationDoc } from './reference.js';
import { ApiDocsPage, type ReferenceData } from './reference-views.js';
import {
  accessOrganisationTokens,
  findToken,
  issueToken,
  listTokens,
  revokeToken,
  type TokenOwner,
} from './service.js';
import { RevokeTokenPage, TokenCreatedPage, TokensPage, type TokensPlace } from './views.js';

type SlugParams = { slug: string };
type TokenParams = { id: string; slug?: string };

/** The API's pages: the reference at /api/docs, and a person's (and an organisation's) access tokens. */
export async function apiPageRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  /** Whose tokens the address names, as the signed-in person may reach them. */
  async function ownerOf(request: FastifyRequest): Promise<{ owner: TokenOwner; place: TokensPlace }> {
    const viewer = request.viewer!;
    const slug = (request.params as { slug?: string }).slug;
    if (slug === undefined) {
      return { owner: { kind: 'person', viewer }, place: { path: '/account/tokens', organisation: null } };
    }
    const owner = await accessOrganisationTokens(db, viewer, slug);
    const organisation = owner.kind === 'organisation' ? owner.access.organisation : null;
    return {
      owner,
      place: {
        path: `/o/${encodeURIComponent(slug)}/tokens`,
        organisation: organisation && { name: organisation.name, slug: organisation.slug },
      },
    };
  }

  async function renderTokens(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) {
    const { owner, place } = await ownerOf(request);
    const tokens = await listTokens(db, owner);
    const ctx = pageContext(request, reply);
    if (status === 200) return sendPage(reply, TokensPage({ ctx, place, tokens }));
    const body = request.body as { scopes?: unknown } | undefined;
    const scopes = [body?.scopes ?? []].flat().filter((s): s is string => typeof s === 'string');
    const values = formValues(request.body);
    return sendPage(reply, TokensPage({ ctx, place, tokens, errors, values, scopes }), status);
  }

  async function create(request: FastifyRequest, reply: FastifyReply) {
    if (!requireViewer(request, reply)) return reply;
    const { owner, place } = await ownerOf(request);
    try {
      const made = await issueToken(db, request.viewer!, owner, request.body);
      // Shown in this answer only: never in an address or a redirect, never kept by a cache.
      reply.header('cache-control', 'no-store');
      const ctx = pageContext(request, reply);
      return sendPage(reply, TokenCreatedPage({ ctx, place, token: made.token, name: made.name }));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderTokens(request, reply, error.fieldErrors, 400);
    }
  }

  async function confirmRevoke(request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply) {
    if (!requireViewer(request, reply)) return reply;
    const { owner, place } = await ownerOf(request);
    const token = await findToken(db, owner, Number(request.params.id));
    return sendPage(reply, RevokeTokenPage({ ctx: pageContext(request, reply), place, token }));
  }

  async function revoke(request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply) {
    if (!requireViewer(request, reply)) return reply;
    const { owner, place } = await ownerOf(request);
    await revokeToken(db, owner, Number(request.params.id));
    return redirectAfterPost(request, reply, `${place.path}?notice=tokenRevoked`);
  }

  for (const base of ['/account/tokens', '/o/:slug/tokens']) {
    app.get<{ Params: SlugParams }>(base, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      return renderTokens(request, reply);
    });
    app.post(base, postLimit, create);
    app.get<{ Params: TokenParams }>(`${base}/:id/revoke`, confirmRevoke);
    app.post<{ Params: TokenParams }>(`${base}/:id/revoke`, revoke);
  }

  // The reference is made once, from the OpenAPI document of the routes as they are at start.
  let reference: ReferenceData | undefined;
  function referenceData(): ReferenceData {
    if (reference) return reference;
    const tags = readReference(app.swagger() as Parameters<typeof readReference>[0]);
    const operations = tags.flatMap((tag) => tag.operations);
    reference = {
      tags,
      rateLimit: { max: deps.limits.api.max, seconds: Math.round(deps.limits.api.timeWindow / 1000) },
      listGroups: gettingStarted(operations, 'GET', [/^\/api\/v1\/groups$/u, /\/groups$/u]),
      postReply: gettingStarted(operations, 'POST', [/\/threads\/\{[^}]+\}\/(posts|replies)$/u, /repl(y|ies)$/u]),
    };
    return reference;
  }

  app.get('/api/docs', async (request, reply) =>
    sendPage(reply, ApiDocsPage({ ctx: pageContext(request, reply), data: referenceData() })),
  );
}

/** The first operation with the method whose path matches the earliest of the patterns. */
function gettingStarted(operations: OperationDoc[], method: string, patterns: RegExp[]): OperationDoc | null {
  for (const pattern of patterns) {
    const found = operations.find((op) => op.method === method && pattern.test(op.path));
    if (found) return found;
  }
  return null;
}
