import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { readNotifications } from './service.js';
import { NotificationsPage } from './views.js';

export async function notificationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  // Seeing the page is reading them: the header's count goes back to none.
  app.get('/notifications', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const list = await readNotifications(db, request.viewer!.id);
    // The count the session brought was taken before this page marked them seen.
    request.viewer!.unreadNotifications = 0;
    return sendPage(reply, NotificationsPage({ ctx: pageContext(request, reply), list }));
  });
}
