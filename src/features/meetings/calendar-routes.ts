import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { MeetingsAccountPage } from './account-views.js';
import { calendarUrls, groupFeed, personalFeed, resetCalendarToken } from './calendar.js';
import { accessMeetingsOf } from './policy.js';
import { readReminderSettings, saveReminderSettings } from './reminder-settings.js';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

/**
 * Calendar feeds (a group's, and each member's own at a secret address) and the member's
 * reminder and calendar settings at /account/meetings.
 */
export async function calendarRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const baseUrl = deps.baseUrl.replace(/\/$/, '');
  const postLimit = { config: { rateLimit: deps.limits.post } };

  // A public group's feed is the same for everyone (it never carries dial-in details): calendar
  // apps may revalidate it with its ETag. A members-only group's is for those signed in who may read it.
  app.get<{ Params: { slug: string } }>('/g/:slug/meetings.ics', async (request, reply) => {
    const access = await accessMeetingsOf(db, request.viewer, request.params.slug);
    const ics = await groupFeed(db, access, { baseUrl, locale: pageContext(request, reply).locale });
    reply.type(CALENDAR_TYPE).header('content-disposition', `inline; filename="${access.group.slug}-meetings.ics"`);
    if (access.group.visibility !== 'public') return reply.header('cache-control', 'private, no-store').send(ics);
    const etag = `W/"${createHash('sha1').update(ics).digest('base64url')}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'accept-language');
    const asked = request.headers['if-none-match'];
    if (asked && asked.split(',').some((tag) => tag.trim() === etag)) return reply.status(304).send();
    return reply.send(ics);
  });

  // The secret address is the authority, as calendar apps send no cookies. A wrong or reset token
  // is simply not found; guessing is slowed like every other token address.
  app.get<{ Params: { token: string } }>('/calendar/:token.ics', postLimit, async (request, reply) => {
    const ics = await personalFeed(db, request.params.token, { baseUrl });
    if (ics === null) throw new NotFound();
    return reply
      .type(CALENDAR_TYPE)
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex')
      .header('referrer-policy', 'no-referrer')
      .header('content-disposition', 'inline; filename="my-meetings.ics"')
      .send(ics);
  });

  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    opts: {
      errors?: FieldErrors;
      values?: Record<string, string>;
      newAddress?: { https: string; webcal: string };
    } = {},
    status = 200,
  ) {
    const settings = await readReminderSettings(db, request.viewer!.id);
    const page = MeetingsAccountPage({ ctx: pageContext(request, reply), settings, ...opts });
    return sendPage(reply, page, status);
  }

  app.get('/account/meetings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderAccount(request, reply);
  });

  app.post('/account/meetings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await saveReminderSettings(db, request.viewer!.id, request.body);
      return redirectAfterPost(request, reply, '/account/meetings?notice=meetingRemindersSaved');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderAccount(request, reply, { errors: error.fieldErrors, values: formValues(request.body) }, 400);
    }
  });

  // The new address is shown in the answer to this post, once: only its hash is kept.
  app.post('/account/meetings/calendar/reset', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const token = await resetCalendarToken(db, request.viewer!.id);
    return renderAccount(request, reply, { newAddress: calendarUrls(baseUrl, token) });
  });
}
