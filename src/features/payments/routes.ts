import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { Deps, EventSink } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, redirectAfterPost, sendPage, type PageContext } from '../../platform/http/page.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { accessGroup, assertCanManage, type Group } from '../groups/index.js';
import { amountText, feeOf, saveFees } from './fees.js';
import { decideWaiver, latestWaiverRequest, requestWaiver } from './hardship.js';
import { assertMayPay, standingOf } from './policy.js';
import {
  BadSignature,
  createPaymentProviders,
  ProviderUnavailable,
  type PaymentProvider,
  type StripeWebhook,
} from './providers.js';
import { confirmCardPayment, listPayments, recordManualPayment, startCardPayment } from './service.js';
import { treasurerQueues } from './standing.js';
import { TreasurerPage } from './treasurer-views.js';
import { ContinueToPaymentPage, FeesPage, PayPage, type PayForm } from './views.js';

type SlugParams = { slug: string };
type SlugRequest = FastifyRequest<{ Params: SlugParams }>;

const notices = [
  'feesSaved',
  'cardPaid',
  'waiverRequested',
  'paymentRecorded',
  'waiverGranted',
  'waiverDeclined',
] as const;

/** The page context, with this feature's one-time notices ("The payment is recorded."). */
function context(request: FastifyRequest, reply: FastifyReply): PageContext {
  const ctx = pageContext(request, reply);
  const asked = (request.query as Record<string, unknown> | undefined)?.notice;
  const notice = notices.find((n) => n === asked);
  return notice ? { ...ctx, notice: ctx.t(`payments.notices.${notice}`) } : ctx;
}

function feeValues(group: Group): Record<string, string> {
  return {
    amount: group.feeAmountCents === null ? '' : amountText(group.feeAmountCents),
    minimum: group.feeMinimumCents === null ? '' : amountText(group.feeMinimumCents),
    currency: group.feeCurrency,
    interval: group.feeInterval ?? 'month',
  };
}

const waiverParams = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  decision: z.enum(['grant', 'decline']),
});

export async function paymentRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const providers = createPaymentProviders(deps.stripe);
  const postLimit = { config: { rateLimit: deps.limits.post } };

  // Fee settings: for the people who manage the group.

  app.get<{ Params: SlugParams }>('/g/:slug/fees', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanManage(access);
    return sendPage(reply, FeesPage({ ctx: context(request, reply), access, values: feeValues(access.group) }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/fees', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const group = await saveFees(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${group.slug}/fees?notice=feesSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessGroup(db, request.viewer, request.params.slug);
      const ctx = context(request, reply);
      return sendPage(
        reply,
        FeesPage({ ctx, access, values: formValues(request.body), errors: error.fieldErrors }),
        400,
      );
    }
  });

  // Paying: for signed-in people who may enter the group.

  /** The pay page; after a refusal, with the errors and what was sent in the form they came from. */
  async function renderPay(
    request: SlugRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
    sent?: PayForm,
  ) {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    await assertMayPay(db, access);
    const waiver = await latestWaiverRequest(db, access.group.id, request.viewer!.id);
    const page = PayPage({
      ctx: context(request, reply),
      access,
      fee: feeOf(access.group),
      standing: standingOf(access),
      waiver,
      cardEnabled: providers.stripe !== null,
      errors,
      values: formValues(request.body),
      sent,
    });
    return sendPage(reply, page, status);
  }

  app.get<{ Params: SlugParams }>('/g/:slug/pay', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderPay(request, reply);
  });

  app.post<{ Params: SlugParams }>('/g/:slug/pay/card', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const stripe = providers.stripe;
    if (!stripe) throw new NotFound();
    const ctx = context(request, reply);
    try {
      const { access, start } = await startCardPayment(
        db,
        stripe,
        request.viewer,
        request.params.slug,
        request.body,
        (group) => ({
          description: ctx.t('payments.pay.card.description', { name: group.name }),
          successUrl: `${deps.baseUrl}/g/${group.slug}/pay?notice=cardPaid`,
          cancelUrl: `${deps.baseUrl}/g/${group.slug}/pay`,
        }),
      );
      if (start.kind !== 'redirect') throw new NotFound();
      if (isHtmx(request)) return reply.header('hx-redirect', start.url).status(204).send();
      return sendPage(reply, ContinueToPaymentPage({ ctx, access, url: start.url }));
    } catch (error) {
      if (error instanceof Invalid) return renderPay(request, reply, error.fieldErrors, 400, 'card');
      if (error instanceof ProviderUnavailable) {
        request.log.error({ err: error.cause }, 'could not start a card payment');
        return renderPay(request, reply, { '': 'payments.errors.cardUnavailable' }, 503, 'card');
      }
      throw error;
    }
  });

  app.post<{ Params: SlugParams }>('/g/:slug/pay/waiver', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await requestWaiver(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${request.params.slug}/pay?notice=waiverRequested`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderPay(request, reply, error.fieldErrors, 400, 'waiver');
    }
  });

  // The treasurer's desk: for the people who manage the group.

  async function renderTreasurer(
    request: SlugRequest,
    reply: FastifyReply,
    opts: { errors?: FieldErrors; values?: Record<string, string>; status?: number } = {},
  ) {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanManage(access);
    const [payments, { waivers, behind }] = await Promise.all([listPayments(db, access), treasurerQueues(db, access)]);
    const page = TreasurerPage({
      ctx: context(request, reply),
      access,
      fee: feeOf(access.group),
      payments,
      waivers,
      behind,
      errors: opts.errors ?? {},
      values: opts.values ?? {},
    });
    return sendPage(reply, page, opts.status ?? 200);
  }

  app.get<{ Params: SlugParams }>('/g/:slug/payments', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderTreasurer(request, reply);
  });

  app.post<{ Params: SlugParams }>('/g/:slug/payments', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await recordManualPayment(db, providers, request.viewer, request.params.slug, request.body, deps.events);
      return redirectAfterPost(request, reply, `/g/${request.params.slug}/payments?notice=paymentRecorded`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderTreasurer(request, reply, {
        errors: error.fieldErrors,
        values: formValues(request.body),
        status: 400,
      });
    }
  });

  app.post<{ Params: SlugParams & { id: string; decision: string } }>(
    '/g/:slug/payments/waivers/:id/:decision',
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const params = waiverParams.safeParse(request.params);
      if (!params.success) throw new NotFound();
      const { id, decision } = params.data;
      try {
        await decideWaiver(db, request.viewer, request.params.slug, id, decision, deps.events);
        const notice = decision === 'grant' ? 'waiverGranted' : 'waiverDeclined';
        return redirectAfterPost(request, reply, `/g/${request.params.slug}/payments?notice=${notice}`);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderTreasurer(request, reply, { errors: error.fieldErrors, status: 400 });
      }
    },
  );

  await app.register(stripeWebhookRoutes(db, providers.stripe, deps.events));
}

/**
 * Stripe's confirmations, authenticated by their signature rather than a session and CSRF token.
 * Registered in its own plugin so that only this route keeps JSON bodies as raw bytes: the
 * signature covers exactly the bytes Stripe sent. Without Stripe configured, the address is not found.
 */
function stripeWebhookRoutes(db: Db, stripe: PaymentProvider<StripeWebhook> | null, events: EventSink) {
  return async (webhooks: FastifyInstance) => {
    webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });

    webhooks.post('/webhooks/stripe', { config: { skipCsrf: true } }, async (request, reply) => {
      if (!stripe) throw new NotFound();
      const rawBody = request.body;
      if (!Buffer.isBuffer(rawBody)) return reply.status(400).type('text/plain; charset=utf-8').send('expected JSON');
      const header = request.headers['stripe-signature'];
      let paid;
      try {
        paid = stripe.confirm({ rawBody, signature: typeof header === 'string' ? header : undefined });
      } catch (error) {
        if (!(error instanceof BadSignature)) throw error;
        request.log.warn('refused a Stripe webhook with a bad signature');
        return reply.status(400).type('text/plain; charset=utf-8').send('bad signature');
      }
      if (paid) {
        const outcome = await confirmCardPayment(db, paid, events);
        request.log.info({ outcome, session: paid.externalId }, 'Stripe payment confirmed');
      }
      return reply.send({ received: true });
    });
  };
}
