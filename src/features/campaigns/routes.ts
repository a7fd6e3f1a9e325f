import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { wallClockFields } from '../../platform/text/zoned-time.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import * as service from './service.js';
import { CampaignFormPage, CampaignPage, CampaignsPage, campaignUrl } from './views.js';

type SlugParams = { slug: string };
type IdParams = { slug: string; id: string };

/** A group's campaigns: writing and leading them; their public pages; signing. */
export async function campaignRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  async function renderCampaign(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    errors?: FieldErrors,
    errorsAt?: 'sign' | 'leader',
  ) {
    const page = await service.readCampaign(db, request.viewer, slug);
    const ctx = pageContext(request, reply);
    const values = errors ? formValues(request.body) : {};
    return sendPage(reply, CampaignPage({ ctx, page, errors, errorsAt, values }), errors ? 400 : 200);
  }

  // A group's campaigns, and writing them --------------------------------------------------------

  app.get<{ Params: SlugParams }>('/g/:slug/campaigns', async (request, reply) => {
    const { access, items } = await service.listCampaigns(db, request.viewer, request.params.slug);
    return sendPage(reply, CampaignsPage({ ctx: pageContext(request, reply), access, items }));
  });

  app.get<{ Params: SlugParams }>('/g/:slug/campaigns/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await service.accessForWriting(db, request.viewer, request.params.slug);
    return sendPage(reply, CampaignFormPage({ ctx: pageContext(request, reply), access, values: {} }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/campaigns/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const campaign = await service.createCampaign(db, request.viewer!, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `${campaignUrl(campaign.slug)}?notice=campaignsSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await service.accessForWriting(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, CampaignFormPage({ ctx, access, values, errors: error.fieldErrors }), 400);
    }
  });

  app.get<{ Params: IdParams }>('/g/:slug/campaigns/:id/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    const { access, campaign } = await service.campaignForWriting(db, request.viewer, request.params.slug, id);
    if (campaign.status === 'closed') return reply.redirect(campaignUrl(campaign.slug), 303);
    const values: Record<string, string> = {
      title: campaign.title,
      statement: campaign.statement,
      callToAction: campaign.callToAction,
      actionUrl: campaign.actionUrl ?? '',
      ...(campaign.eventAt ? eventFieldsOf(campaign.eventAt, request.viewer!.timeZone ?? 'UTC') : {}),
      ...(campaign.signable ? { signable: 'on' } : {}),
    };
    return sendPage(reply, CampaignFormPage({ ctx: pageContext(request, reply), access, id, values }));
  });

  app.post<{ Params: IdParams }>('/g/:slug/campaigns/:id/edit', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      const campaign = await service.updateCampaign(db, request.viewer!, request.params.slug, id, request.body);
      return redirectAfterPost(request, reply, `${campaignUrl(campaign.slug)}?notice=campaignsSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const { access } = await service.campaignForWriting(db, request.viewer, request.params.slug, id);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, CampaignFormPage({ ctx, access, id, values, errors: error.fieldErrors }), 400);
    }
  });

  /** A leader's action on a campaign; a refusal of it shows the campaign's page with the message. */
  function action(
    path: string,
    notice: string,
    run: (request: FastifyRequest<{ Params: IdParams }>, id: number) => Promise<{ slug: string }>,
  ): void {
    app.post<{ Params: IdParams }>(`/g/:slug/campaigns/:id/${path}`, postLimit, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const id = parseId(request.params.id);
      try {
        const campaign = await run(request, id);
        return redirectAfterPost(request, reply, `${campaignUrl(campaign.slug)}?notice=${notice}`);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        const { campaign } = await service.campaignForWriting(db, request.viewer, request.params.slug, id);
        return renderCampaign(request, reply, campaign.slug, error.fieldErrors, 'leader');
      }
    });
  }

  action('publish', 'campaignsPublished', (request, id) =>
    service.publishCampaign(db, request.viewer!, request.params.slug, id),
  );
  action('close', 'campaignsClosed', (request, id) =>
    service.closeCampaign(db, request.viewer!, request.params.slug, id),
  );
  action('updates', 'campaignsUpdatePosted', (request, id) =>
    service.postUpdate(db, request.viewer!, request.params.slug, id, request.body),
  );

  // The public page, and signing -------------------------------------------------------------------

  app.get<{ Params: SlugParams }>('/campaigns/:slug', async (request, reply) =>
    renderCampaign(request, reply, request.params.slug),
  );

  app.post<{ Params: SlugParams }>('/campaigns/:slug/sign', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const campaign = await service.signCampaign(db, request.viewer!, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `${campaignUrl(campaign.slug)}?notice=campaignsSigned`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderCampaign(request, reply, request.params.slug, error.fieldErrors, 'sign');
    }
  });

  app.post<{ Params: SlugParams }>('/campaigns/:slug/withdraw', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const campaign = await service.withdrawSignature(db, request.viewer!, request.params.slug);
    return redirectAfterPost(request, reply, `${campaignUrl(campaign.slug)}?notice=campaignsWithdrawn`);
  });
}

/** The event's moment as the form's fields, on the writer's clock. */
function eventFieldsOf(at: Date, timeZone: string): { eventDate: string; eventTime: string } {
  const { date, time } = wallClockFields(at, timeZone);
  return { eventDate: date, eventTime: time };
}
