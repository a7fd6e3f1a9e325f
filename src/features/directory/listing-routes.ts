import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { canEditListing } from './listing-policy.js';
import { ListingFormPage, ListingPage, MyListingsPage } from './listing-views.js';
import { ReviewPage } from './listing-review-views.js';
import { listingForEdit, myListings, readListing, submitListing, updateListing, type ListingView } from './listings.js';
import {
  approveClaim,
  approveListing,
  claimListing,
  declineClaim,
  declineListing,
  reviewQueue,
} from './listing-review.js';
import { entryProfileValues, entryProfileValuesOf } from './profile.js';
import { listingSearchPresence, notIndexed } from './seo.js';
import { listTopicTree } from './topics.js';

type IdParams = { id: string };

/** A saved listing's own fields as its edit form shows them. */
function listingValues(view: ListingView): Record<string, string> {
  return {
    name: view.name,
    summary: view.summary,
    description: view.description,
    contact: view.listing.contact,
    website: view.listing.website ?? '',
    organiser: view.listing.organiser,
    leadership: view.leadership,
    access: view.access,
    free: view.free ? 'yes' : 'no',
    language: view.language,
  };
}

/** A field posted under a per-row name (`reason-12`), since one page holds a form per listing. */
function rowField(body: unknown, name: string): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export async function listingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };
  const baseUrl = deps.baseUrl.replace(/\/$/u, '');

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { id?: number; errors?: FieldErrors; status?: number; values?: Record<string, string> } = {},
  ) {
    const topics = await listTopicTree(db);
    const ctx = pageContext(request, reply);
    const typed = opts.errors !== undefined;
    return sendPage(
      reply,
      ListingFormPage({
        ctx,
        topics,
        id: opts.id,
        errors: opts.errors,
        values: typed ? formValues(request.body) : (opts.values ?? {}),
        profile: typed ? entryProfileValues(request.body) : entryProfileValuesOf(null),
      }),
      opts.status ?? 200,
    );
  }

  async function renderListing(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    claim: { errors: FieldErrors; values: Record<string, string> } | null = null,
  ) {
    const data = await readListing(db, request.viewer, id);
    // Claimed: the group it became lives on Mutual now, at its own address, for good.
    if ('claimedBy' in data) return reply.redirect(`/g/${encodeURIComponent(data.claimedBy)}`, 301);
    const { view, profile } = data;
    const seo =
      view.listing.status === 'approved'
        ? listingSearchPresence({
            name: view.name,
            summary: view.summary,
            url: `${baseUrl}/listings/${id}`,
            placeName: profile?.place?.label ?? null,
            countryCode: profile?.place?.country ?? null,
            latitude: profile?.place?.latitude ?? null,
            longitude: profile?.place?.longitude ?? null,
            free: view.free,
            parent: view.listing.organiser ? { name: view.listing.organiser } : null,
            website: view.listing.website,
            meetingTimes: profile?.meetings ?? [],
          })
        : notIndexed;
    return sendPage(
      reply,
      ListingPage({
        ctx: pageContext(request, reply),
        view,
        profile,
        claimPending: data.claimPending,
        canEdit: canEditListing(request.viewer, view.listing),
        seo,
        claimErrors: claim?.errors,
        claimValues: claim?.values,
      }),
      claim ? 400 : 200,
    );
  }

  app.get('/listings/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderForm(request, reply);
  });

  app.post('/listings/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const id = await submitListing(db, request.viewer, request.body);
      return redirectAfterPost(request, reply, `/listings/${id}?notice=listingSubmitted`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderForm(request, reply, { errors: error.fieldErrors, status: 400 });
    }
  });

  app.get('/listings/mine', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const list = await myListings(db, request.viewer!);
    return sendPage(reply, MyListingsPage({ ctx: pageContext(request, reply), list }));
  });

  app.get<{ Params: IdParams }>('/listings/:id', async (request, reply) =>
    renderListing(request, reply, parseId(request.params.id)),
  );

  app.get<{ Params: IdParams }>('/listings/:id/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    const { view, profile } = await listingForEdit(db, request.viewer, id);
    const topics = await listTopicTree(db);
    return sendPage(
      reply,
      ListingFormPage({
        ctx: pageContext(request, reply),
        topics,
        id,
        values: listingValues(view),
        profile: entryProfileValuesOf(profile),
      }),
    );
  });

  app.post<{ Params: IdParams }>('/listings/:id/edit', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      await updateListing(db, request.viewer, id, request.body);
      return redirectAfterPost(request, reply, `/listings/${id}?notice=listingSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderForm(request, reply, { id, errors: error.fieldErrors, status: 400 });
    }
  });

  app.post<{ Params: IdParams }>('/listings/:id/claim', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      await claimListing(db, request.viewer, id, request.body);
      return redirectAfterPost(request, reply, `/listings/${id}?notice=claimSent`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderListing(request, reply, id, { errors: error.fieldErrors, values: formValues(request.body) });
    }
  });

  // Review, for site admins -----------------------------------------------------------------------

  app.get('/admin/listings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const queue = await reviewQueue(db, request.viewer);
    return sendPage(reply, ReviewPage({ ctx: pageContext(request, reply), queue }));
  });

  app.post<{ Params: IdParams }>('/admin/listings/:id/approve', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await approveListing(db, request.viewer, parseId(request.params.id));
    return redirectAfterPost(request, reply, '/admin/listings?notice=listingApproved');
  });

  app.post<{ Params: IdParams }>('/admin/listings/:id/decline', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    const reason = rowField(request.body, `reason-${id}`);
    try {
      await declineListing(db, request.viewer, id, { reason });
      return redirectAfterPost(request, reply, '/admin/listings?notice=listingDeclined');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const queue = await reviewQueue(db, request.viewer);
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        ReviewPage({ ctx, queue, errors: error.fieldErrors, values: { reason: reason ?? '' }, failedId: id }),
        400,
      );
    }
  });

  app.post<{ Params: IdParams }>('/admin/listings/claims/:id/approve', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await approveClaim(db, request.viewer, parseId(request.params.id));
    return redirectAfterPost(request, reply, '/admin/listings?notice=claimApproved');
  });

  app.post<{ Params: IdParams }>('/admin/listings/claims/:id/decline', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    await declineClaim(db, request.viewer, id, { reason: rowField(request.body, `claim-reason-${id}`) ?? '' });
    return redirectAfterPost(request, reply, '/admin/listings?notice=claimDeclined');
  });
}
