import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { addNotificationTopic, publishUnreadCounts } from './live.js';
import { NotificationsPage } from './page-views.js';
import {
  NotificationPreferencesPage,
  NotificationUnsubscribedPage,
  NotificationUnsubscribePage,
} from './preference-views.js';
import { listNotifications, markAllRead, markRead, markUnread, openNotification, targetUrl } from './reading.js';
import {
  readNotificationChoices,
  readNotificationUnsubscribeToken,
  saveNotificationChoices,
  turnOffNotificationEmail,
} from './settings.js';

type IdParams = { id: string };
type TokenParams = { token: string };

const idOf = (raw: string): number => {
  const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(raw);
  if (!/^\d+$/.test(raw) || !id.success) throw new NotFound();
  return id.data;
};
const pageOf = (raw: unknown): number => z.coerce.number().int().min(1).max(100_000).catch(1).parse(raw);
const listUrl = (page: number) => (page > 1 ? `/notifications?page=${page}` : '/notifications');

/**
 * The notifications page and what is done on it (open one, mark read or unread, mark all read),
 * the preferences page, one-click unsubscribe from notification emails, and the bell's live topic.
 */
export async function notificationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  addNotificationTopic(deps.live);
  // Every tab of the person hears their new count, wherever it changed.
  const recount = (userId: number) => publishUnreadCounts(db, deps.bus, [userId]);

  app.get('/notifications', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const page = await listNotifications(db, request.viewer!.id, pageOf((request.query as { page?: unknown }).page));
    return sendPage(reply, NotificationsPage({ ctx: pageContext(request, reply), page }));
  });

  app.post('/notifications/read-all', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await markAllRead(db, request.viewer!.id);
    await recount(request.viewer!.id);
    return redirectAfterPost(request, reply, listUrl(pageOf((request.body as { page?: unknown } | null)?.page)));
  });

  // Opening one marks it read and takes the person to the exact post, conversation or meeting.
  app.get<{ Params: IdParams }>('/notifications/:id', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const target = await openNotification(db, request.viewer!.id, idOf(request.params.id));
    if (!target) throw new NotFound();
    await recount(request.viewer!.id);
    return reply.redirect(targetUrl(target), 303);
  });

  for (const action of ['read', 'unread'] as const) {
    app.post<{ Params: IdParams }>(`/notifications/:id/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const id = idOf(request.params.id);
      const mark = action === 'read' ? markRead : markUnread;
      if (!(await mark(db, request.viewer!.id, id))) throw new NotFound();
      await recount(request.viewer!.id);
      const page = pageOf((request.body as { page?: unknown } | null)?.page);
      return redirectAfterPost(request, reply, `${listUrl(page)}#notification-${id}`);
    });
  }

  async function renderPreferences(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    values?: Record<string, string>,
    status = 200,
  ) {
    const choices = await readNotificationChoices(db, request.viewer!.id);
    const ctx = pageContext(request, reply);
    return sendPage(reply, NotificationPreferencesPage({ ctx, choices, errors, values }), status);
  }

  app.get('/account/notifications', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderPreferences(request, reply);
  });

  app.post('/account/notifications', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await saveNotificationChoices(db, request.viewer!.id, request.body);
      return redirectAfterPost(request, reply, '/account/notifications?notice=notificationsSaved');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderPreferences(request, reply, error.fieldErrors, formValues(request.body), 400);
    }
  });

  // One-click unsubscribe works without signing in: the signed token in the link is the authority.
  app.get<{ Params: TokenParams }>('/notifications/unsubscribe/:token', async (request, reply) => {
    if (readNotificationUnsubscribeToken(deps.mail, request.params.token) === null) throw new NotFound();
    return sendPage(reply, NotificationUnsubscribePage({ ctx: pageContext(request, reply) }));
  });

  // Mail clients' one-click unsubscribe (RFC 8058) posts "List-Unsubscribe=One-Click" with no
  // cookies and no CSRF token, so the token alone decides, as it does for the page's button.
  app.post<{ Params: TokenParams }>(
    '/notifications/unsubscribe/:token',
    { config: { skipCsrf: true, rateLimit: deps.limits.post } },
    async (request, reply) => {
      const userId = readNotificationUnsubscribeToken(deps.mail, request.params.token);
      if (userId === null || !(await turnOffNotificationEmail(db, userId))) throw new NotFound();
      return sendPage(reply, NotificationUnsubscribedPage({ ctx: pageContext(request, reply) }));
    },
  );
}
