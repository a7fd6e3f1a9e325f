import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import type { Actor } from '../groups/index.js';
import { requireViewer } from '../accounts/index.js';
import { accessGroupWebhooks, accessOrganisationWebhooks, accessWebhook, type Scope } from './policy.js';
import type { WebhookRow } from './schema.js';
import * as service from './service.js';
import { WebhookPage, WebhooksPage } from './views.js';

type SlugParams = { slug: string };
type WebhookParams = { slug: string; id: string };

/** What a form sent back, for the page that shows it again: the address and the events ticked. */
function registerValues(body: unknown): Record<string, string | string[]> {
  const b = (body ?? {}) as Record<string, unknown>;
  const events = [b.events ?? []].flat().filter((e): e is string => typeof e === 'string');
  return { url: typeof b.url === 'string' ? b.url : '', events };
}

/**
 * Webhooks: a group's (/g/:slug/webhooks, for those who manage the group) and an organisation's
 * (/o/:slug/webhooks, for its admins, told of all its groups). The same pages for both.
 */
export async function webhookRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const allowPrivateAddresses = deps.webhooks?.allowPrivateAddresses ?? false;
  const scopes: { prefix: string; access: (actor: Actor, slug: string) => Promise<Scope> }[] = [
    { prefix: '/g/:slug/webhooks', access: (actor, slug) => accessGroupWebhooks(db, actor, slug) },
    { prefix: '/o/:slug/webhooks', access: (actor, slug) => accessOrganisationWebhooks(db, actor, slug) },
  ];

  for (const { prefix, access } of scopes) {
    async function renderList(
      request: FastifyRequest,
      reply: FastifyReply,
      scope: Scope,
      extra: { errors?: FieldErrors; values?: Record<string, string | string[]>; created?: WebhookRow } = {},
      status = 200,
    ) {
      const webhooks = await service.listWebhooks(db, scope);
      const ctx = pageContext(request, reply);
      return sendPage(reply, WebhooksPage({ ctx, scope, webhooks, ...extra }), status);
    }

    app.get<{ Params: SlugParams }>(prefix, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const scope = await access(request.viewer, request.params.slug);
      return renderList(request, reply, scope);
    });

    app.post<{ Params: SlugParams }>(prefix, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const scope = await access(request.viewer, request.params.slug);
      try {
        const created = await service.registerWebhook(db, scope, request.viewer!, request.body, {
          allowPrivateAddresses,
        });
        // The secret is shown in this answer and never again: not a redirect, and never cached.
        reply.header('cache-control', 'no-store');
        return await renderList(request, reply, scope, { created });
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        const values = registerValues(request.body);
        return renderList(request, reply, scope, { errors: error.fieldErrors, values }, 400);
      }
    });

    async function renderWebhook(
      request: FastifyRequest<{ Params: WebhookParams; Querystring: { before?: string } }>,
      reply: FastifyReply,
      errors: FieldErrors = {},
      status = 200,
    ) {
      const scope = await access(request.viewer, request.params.slug);
      const webhook = await accessWebhook(db, scope, parseId(request.params.id));
      const before = request.query.before === undefined ? undefined : parseId(request.query.before);
      const page = await service.listDeliveries(db, webhook.id, before);
      const ctx = pageContext(request, reply);
      return sendPage(reply, WebhookPage({ ctx, scope, webhook, page, errors }), status);
    }

    app.get<{ Params: WebhookParams; Querystring: { before?: string } }>(`${prefix}/:id`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      return renderWebhook(request, reply);
    });

    app.post<{ Params: WebhookParams; Querystring: { before?: string } }>(
      `${prefix}/:id/test`,
      { config: { rateLimit: deps.limits.post } },
      async (request, reply) => {
        if (!requireViewer(request, reply)) return reply;
        const scope = await access(request.viewer, request.params.slug);
        const id = parseId(request.params.id);
        try {
          await service.sendTestEvent(db, deps.events, scope, id);
        } catch (error) {
          if (!(error instanceof Invalid)) throw error;
          return renderWebhook(request, reply, error.fieldErrors, 400);
        }
        return redirectAfterPost(request, reply, `${scope.base}/${id}?notice=webhookTestQueued`);
      },
    );

    for (const [action, on] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post<{ Params: WebhookParams }>(`${prefix}/:id/${action}`, async (request, reply) => {
        if (!requireViewer(request, reply)) return reply;
        const scope = await access(request.viewer, request.params.slug);
        const id = parseId(request.params.id);
        await service.setWebhookOn(db, scope, id, on);
        return redirectAfterPost(request, reply, `${scope.base}/${id}?notice=webhookChanged`);
      });
    }

    app.post<{ Params: WebhookParams }>(`${prefix}/:id/delete`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const scope = await access(request.viewer, request.params.slug);
      await service.deleteWebhook(db, scope, parseId(request.params.id));
      return redirectAfterPost(request, reply, `${scope.base}?notice=webhookDeleted`);
    });
  }
}
