import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { Invalid } from '../../platform/errors.js';
import { apiScopes, apiViewer, assertTokenReaches, problemSchema, type ApiRoutes } from '../../platform/http/api.js';
import { accessOrganisation, organisationGroups } from '../organisations/index.js';
import { apiTokens } from './schema.js';

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** The caller themselves, their token, and the organisations tokens can be limited to. */
export const accountApiRoutes: ApiRoutes = async (api, deps) => {
  const { db } = deps;
  const baseUrl = deps.baseUrl.replace(/\/$/u, '');

  api.get(
    '/me',
    {
      schema: {
        tags: ['Account'],
        summary: 'The person the token (or session) stands for',
        description:
          'A good first call: it proves the token works and says what it may do. It names the person by their ' +
          'pseudonym and nothing else of theirs.',
        response: {
          200: z.object({
            pseudonym: z.string(),
            scopes: z.array(z.enum(apiScopes)).describe('What the token may do; every scope for a session.'),
            organisation: z.number().int().nullable().describe('The organisation an organisation token is limited to.'),
          }),
          401: problemSchema,
        },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      const caller = request.apiCaller;
      return {
        pseudonym: viewer.pseudonym,
        scopes: caller?.scopes ?? [...apiScopes],
        organisation: caller?.organisationId ?? null,
      };
    },
  );

  api.delete(
    '/me/token',
    {
      // Any token may give itself up, a read-only one too.
      config: { scope: 'read' },
      schema: {
        tags: ['Account'],
        summary: 'Revoke the token this request carries',
        description:
          'For a program that is done with its token, or fears it has leaked: the token stops working at once. ' +
          'Its owner sees it as revoked on their tokens page.',
        response: { 204: z.null().describe('Revoked.'), ...problems },
      },
    },
    async (request, reply) => {
      const caller = request.apiCaller;
      apiViewer(request);
      if (!caller) throw new Invalid({ '': 'api.errors.noToken' });
      await db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, caller.tokenId), isNull(apiTokens.revokedAt)));
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/organisations/:slug',
    {
      schema: {
        tags: ['Organisations'],
        summary: 'An organisation and its groups',
        description:
          'The organisation’s public page: who it is and the groups it runs that the caller may see (its ' +
          'administrators see unlisted ones too). An organisation token reaches only its own organisation.',
        params: z.object({ slug: z.string().min(1).max(100).describe('The organisation’s address, as in /o/<slug>.') }),
        response: {
          200: z.object({
            slug: z.string(),
            name: z.string(),
            kind: z.string().describe('hospital, rehabilitation, correctional, charity or other.'),
            description: z.string(),
            website: z.string().nullable(),
            url: z.string().describe('Its page on the site.'),
            groups: z.array(
              z.object({
                slug: z.string(),
                name: z.string(),
                summary: z.string(),
                url: z.string(),
              }),
            ),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const access = await accessOrganisation(db, request.viewer, request.params.slug);
      assertTokenReaches(request, { organisationId: access.organisation.id });
      const groups = await organisationGroups(db, access);
      const { organisation } = access;
      return {
        slug: organisation.slug,
        name: organisation.name,
        kind: organisation.kind,
        description: organisation.description,
        website: organisation.website,
        url: `${baseUrl}/o/${organisation.slug}`,
        groups: groups.map((g) => ({ slug: g.slug, name: g.name, summary: g.summary, url: `${baseUrl}/g/${g.slug}` })),
      };
    },
  );
};
