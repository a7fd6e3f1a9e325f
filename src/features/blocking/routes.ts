import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import * as blocking from './service.js';
import { BlockedPage } from './views.js';

const threadUrl = (slug: string, threadId: number) => `/g/${slug}/t/${threadId}`;

export async function blockingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/account/blocked', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const blocked = await blocking.listBlocked(db, request.viewer!);
    return sendPage(reply, BlockedPage({ ctx: pageContext(request, reply), blocked }));
  });

  app.post('/account/blocked/unblock', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await blocking.unblock(db, request.viewer, request.body);
    return redirectAfterPost(request, reply, '/account/blocked?notice=unblocked');
  });

  app.post<{ Params: { id: string } }>('/posts/:id/block', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { access } = await blocking.blockAuthorOf(db, request.viewer, parseId(request.params.id));
    // To the group, not the thread: where they started it, the thread is gone for the blocker now.
    return redirectAfterPost(request, reply, `/g/${access.group.slug}?notice=blocked`);
  });

  app.post<{ Params: { slug: string; name: string } }>('/g/:slug/members/:name/block', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await blocking.blockMemberByName(db, request.viewer, request.params.slug, request.params.name);
    return redirectAfterPost(request, reply, `/g/${access.group.slug}/members?notice=blocked`);
  });

  for (const [action, hidden] of [
    ['hide-for-me', true],
    ['show-for-me', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/posts/:id/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const postId = parseId(request.params.id);
      const { access, threadId } = await blocking.setHiddenForMe(db, request.viewer, postId, hidden);
      const notice = hidden ? 'postHiddenForMe' : 'postShownForMe';
      return redirectAfterPost(
        request,
        reply,
        `${threadUrl(access.group.slug, threadId)}?notice=${notice}#post-${postId}`,
      );
    });
  }

  for (const [action, muted] of [
    ['mute', true],
    ['unmute', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/threads/:id/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const { access, threadId } = await blocking.setThreadMuted(db, request.viewer, parseId(request.params.id), muted);
      const notice = muted ? 'threadMuted' : 'threadUnmuted';
      return redirectAfterPost(request, reply, `${threadUrl(access.group.slug, threadId)}?notice=${notice}`);
    });
  }
}
