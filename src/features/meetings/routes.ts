import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, redirectAfterPost, sendFragment, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { calendarRoutes } from './calendar-routes.js';
import { MeetingFormPage, meetingFormValues, MoveFormPage } from './form-views.js';
import type { MeetingEffects } from './news.js';
import { accessOccurrence, assertCanScheduleMeetings } from './policy.js';
import { listOccurrences, readOccurrence } from './reading.js';
import { rsvp } from './rsvp.js';
import * as service from './service.js';
import { MeetingsPage, meetingsUrl, occurrenceUrl, OccurrencePage, RsvpPanel } from './views.js';

type SlugParams = { slug: string };
type MeetingParams = { slug: string; meetingId: string };
type OccurrenceParams = { occurrenceId: string };

const answerNotices = {
  going: 'meetingsGoing',
  waitlisted: 'meetingsWaitlisted',
  maybe: 'meetingsMaybe',
  not_going: 'meetingsNotGoing',
} as const;

/** The meetings pages: a group's schedule, one date of a meeting, answers, and the leaders' forms. */
export async function meetingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };
  const effects: MeetingEffects = { mailer: deps.mailer, baseUrl: deps.baseUrl };
  // Calendar feeds and reminder settings (calendar-routes.ts).
  await calendarRoutes(app, deps);

  async function renderOccurrence(
    request: FastifyRequest,
    reply: FastifyReply,
    occurrenceId: number,
    errors: FieldErrors,
    errorsAt: 'rsvp' | 'leader',
  ) {
    const page = await readOccurrence(db, request.viewer, occurrenceId);
    const ctx = pageContext(request, reply);
    const values = formValues(request.body);
    return sendPage(reply, OccurrencePage({ ctx, page, errors, errorsAt, values }), 400);
  }

  // A group's meetings, and scheduling them -------------------------------------------------------

  app.get<{ Params: SlugParams; Querystring: { when?: string } }>('/g/:slug/meetings', async (request, reply) => {
    const when = request.query.when === 'past' ? 'past' : 'upcoming';
    const { access, items } = await listOccurrences(db, request.viewer, request.params.slug, when);
    return sendPage(reply, MeetingsPage({ ctx: pageContext(request, reply), access, items, when }));
  });

  app.get<{ Params: SlugParams }>('/g/:slug/meetings/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await service.accessForScheduling(db, request.viewer, request.params.slug);
    return sendPage(reply, MeetingFormPage({ ctx: pageContext(request, reply), access, values: {} }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/meetings/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const { firstOccurrenceId } = await service.scheduleMeeting(
        db,
        request.viewer!,
        request.params.slug,
        request.body,
        deps.events,
      );
      return redirectAfterPost(request, reply, `${occurrenceUrl(firstOccurrenceId)}?notice=meetingsScheduled`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await service.accessForScheduling(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, MeetingFormPage({ ctx, access, values, errors: error.fieldErrors }), 400);
    }
  });

  app.get<{ Params: MeetingParams }>('/g/:slug/meetings/:meetingId/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const meetingId = parseId(request.params.meetingId);
    const { access, meeting } = await service.meetingForEditing(db, request.viewer, request.params.slug, meetingId);
    const values = meetingFormValues(meeting);
    return sendPage(reply, MeetingFormPage({ ctx: pageContext(request, reply), access, meetingId, values }));
  });

  /** The edit form again, with the person's text and what is wrong: after a refused change or cancellation. */
  async function renderEditForm(
    request: FastifyRequest<{ Params: MeetingParams }>,
    reply: FastifyReply,
    meetingId: number,
    errors: FieldErrors,
    keepText: boolean,
  ) {
    const { access, meeting } = await service.meetingForEditing(db, request.viewer, request.params.slug, meetingId);
    const ctx = pageContext(request, reply);
    const values = keepText ? formValues(request.body) : meetingFormValues(meeting);
    return sendPage(reply, MeetingFormPage({ ctx, access, meetingId, values, errors }), 400);
  }

  app.post<{ Params: MeetingParams }>('/g/:slug/meetings/:meetingId/edit', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const meetingId = parseId(request.params.meetingId);
    try {
      await service.editMeeting(db, effects, request.viewer!, request.params.slug, meetingId, request.body);
      return redirectAfterPost(request, reply, `${meetingsUrl(request.params.slug)}?notice=meetingsSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderEditForm(request, reply, meetingId, error.fieldErrors, true);
    }
  });

  app.post<{ Params: MeetingParams }>('/g/:slug/meetings/:meetingId/cancel', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const meetingId = parseId(request.params.meetingId);
    try {
      const { access } = await service.cancelMeeting(
        db,
        effects,
        request.viewer!,
        request.params.slug,
        meetingId,
        request.body,
      );
      return redirectAfterPost(request, reply, `${meetingsUrl(access.group.slug)}?notice=meetingsCancelled`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderEditForm(request, reply, meetingId, error.fieldErrors, false);
    }
  });

  // One date of a meeting ------------------------------------------------------------------------

  app.get<{ Params: OccurrenceParams }>('/meetings/:occurrenceId', async (request, reply) => {
    const page = await readOccurrence(db, request.viewer, parseId(request.params.occurrenceId));
    return sendPage(reply, OccurrencePage({ ctx: pageContext(request, reply), page }));
  });

  app.post<{ Params: OccurrenceParams }>('/meetings/:occurrenceId/rsvp', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const occurrenceId = parseId(request.params.occurrenceId);
    try {
      const { status } = await rsvp(db, effects, request.viewer!, occurrenceId, request.body);
      if (isHtmx(request)) {
        const page = await readOccurrence(db, request.viewer, occurrenceId);
        return sendFragment(reply, RsvpPanel({ ctx: pageContext(request, reply), page }));
      }
      return reply.redirect(`${occurrenceUrl(occurrenceId)}?notice=${answerNotices[status]}#rsvp`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      if (isHtmx(request)) {
        const page = await readOccurrence(db, request.viewer, occurrenceId);
        const ctx = pageContext(request, reply);
        return sendFragment(reply, RsvpPanel({ ctx, page, errors: error.fieldErrors }), 422);
      }
      return renderOccurrence(request, reply, occurrenceId, error.fieldErrors, 'rsvp');
    }
  });

  app.post<{ Params: OccurrenceParams }>('/meetings/:occurrenceId/cancel', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const occurrenceId = parseId(request.params.occurrenceId);
    try {
      await service.cancelOccurrence(db, effects, request.viewer!, occurrenceId, request.body);
      return redirectAfterPost(request, reply, `${occurrenceUrl(occurrenceId)}?notice=meetingsDateCancelled`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderOccurrence(request, reply, occurrenceId, error.fieldErrors, 'leader');
    }
  });

  app.get<{ Params: OccurrenceParams }>('/meetings/:occurrenceId/move', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const found = await accessOccurrence(db, request.viewer, parseId(request.params.occurrenceId));
    assertCanScheduleMeetings(found.access);
    return sendPage(reply, MoveFormPage({ ctx: pageContext(request, reply), found, values: {} }));
  });

  app.post<{ Params: OccurrenceParams }>('/meetings/:occurrenceId/move', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const occurrenceId = parseId(request.params.occurrenceId);
    try {
      await service.moveOccurrence(db, effects, request.viewer!, occurrenceId, request.body);
      return redirectAfterPost(request, reply, `${occurrenceUrl(occurrenceId)}?notice=meetingsDateMoved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const found = await accessOccurrence(db, request.viewer, occurrenceId);
      assertCanScheduleMeetings(found.access);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, MoveFormPage({ ctx, found, values, errors: error.fieldErrors }), 400);
    }
  });
}
