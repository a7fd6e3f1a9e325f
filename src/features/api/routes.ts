import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/deps.js';
import {
  addEtags,
  apiErrorHandler,
  hasScope,
  sendProblem,
  type ApiRoutes,
  type ApiScope,
} from '../../platform/http/api.js';
import { accountApiRoutes } from './account-api.js';
import { findTokenCaller } from './tokens.js';

export const API_PREFIX = '/api/v1';

const changes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The scope a route needs: the one it names (config.scope), else 'read' for GET and 'write' for the rest. */
function scopeOfRoute(method: string | string[], named: ApiScope | undefined): ApiScope {
  return named ?? ([method].flat().includes('GET') ? 'read' : 'write');
}

/**
 * The JSON API: OpenAPI 3.1 generated from the routes' zod schemas (so the document cannot drift
 * from what is validated), bearer tokens, scopes, per-token rate limits, ETags and problem
 * responses. Every feature's API routes call the same services and policies as its pages.
 */
export async function apiRoutes(app: FastifyInstance, deps: Deps, features: ApiRoutes[]): Promise<void> {
  const baseUrl = deps.baseUrl.replace(/\/$/u, '');
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mutual API',
        version: '1.0.0',
        description:
          'The JSON API of Mutual, open-source software for online support groups. Every answer is what the ' +
          'same person would see in a browser, never more.',
      },
      servers: [{ url: baseUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Only the API is documented; the site's pages are not part of it. Each operation names the
    // scope it needs in its security requirement (OpenAPI 3.1 allows roles for bearer schemes).
    transform: (args) => {
      if (!args.url.startsWith(API_PREFIX)) return { schema: { ...args.schema, hide: true }, url: args.url };
      const documented = jsonSchemaTransform(args);
      const scope = scopeOfRoute(args.route.method, args.route.config?.scope);
      return { ...documented, schema: { ...documented.schema, security: [{ bearer: [scope] }] } };
    },
    transformObject: jsonSchemaTransformObject,
  });

  await app.register(
    async (scope) => {
      const api = scope.withTypeProvider<ZodTypeProvider>();
      api.setValidatorCompiler(validatorCompiler);
      api.setSerializerCompiler(serializerCompiler);
      api.setErrorHandler(apiErrorHandler(baseUrl));
      api.setNotFoundHandler((_request, reply) => sendProblem(reply, baseUrl, 'not-found'));

      // A bearer token stands for its person in place of any session cookie.
      api.addHook('onRequest', async (request, reply) => {
        const header = request.headers.authorization;
        if (header === undefined) return;
        const match = /^Bearer\s+(\S+)$/iu.exec(header);
        const found = match ? await findTokenCaller(deps.db, match[1]!) : null;
        if (!found) {
          reply.header('www-authenticate', 'Bearer realm="mutual", error="invalid_token"');
          return sendProblem(reply, baseUrl, 'unauthorized', {
            detail: 'The access token is unknown, revoked or expired.',
          });
        }
        request.viewer = found.viewer;
        request.apiCaller = found.caller;
      });
      api.addHook(
        'onRequest',
        api.rateLimit({
          max: deps.limits.api.max,
          timeWindow: deps.limits.api.timeWindow,
          keyGenerator: (request) =>
            request.apiCaller ? `api-token:${request.apiCaller.tokenId}` : `api-ip:${request.ip}`,
        }),
      );
      // A token's scopes narrow what its person may do: reading, writing, moderating, administering.
      // Checked before the request is validated, so a token that may not write learns that first.
      api.addHook('preValidation', async (request, reply) => {
        const needed = scopeOfRoute(request.method, request.routeOptions.config.scope);
        if (!hasScope(request.apiCaller, needed)) {
          return sendProblem(reply, baseUrl, 'insufficient-scope', {
            detail: `This needs a token with the "${needed}" scope.`,
          });
        }
      });
      // A change made with a session cookie (a page's script) needs the page's CSRF token; checked
      // here, before validation, so a forged request learns nothing about what it sent.
      api.addHook('preValidation', (request, reply, done) => {
        if (request.apiCaller || !request.viewer || !changes.has(request.method)) return done();
        scope.csrfProtection(request, reply, done);
      });
      addEtags(api);

      api.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=300').send(app.swagger()),
      );

      await accountApiRoutes(api, deps);
      for (const register of features) await register(api, deps);
    },
    { prefix: API_PREFIX },
  );
}
