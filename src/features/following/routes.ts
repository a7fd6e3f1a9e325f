import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { isHtmx, pageContext, redirectAfterPost, sendFragment, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { threadUrl, type GroupPageExtension, type ThreadExtension } from '../forum/index.js';
import { groupLevelSql, levelOf, setGroupLevel, setThreadLevel, threadLevelSql, type ThreadLevel } from './levels.js';
import { namesStartingWith } from './names.js';
import { mayFollow } from './policy.js';
import { FollowControl, FollowPage } from './views.js';

type ControlProps = Parameters<typeof FollowControl>[0];

/** Keystrokes of the mention autocomplete, per person: a few a second while typing, never a crawl of the group. */
const namesLimit = { max: 120, timeWindow: 60_000 };

/** Following threads and groups, and mentions: who is told of new posts. */
export async function followingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  // The thread page's "Notifications for this discussion", asked in the thread's own statement.
  const threadControl: ThreadExtension<ThreadLevel | null> = {
    name: 'following',
    query: (viewer, threadId) =>
      viewer
        ? threadLevelSql(viewer.id, threadId, sql`(select t.group_id from threads t where t.id = ${threadId})`)
        : null,
    read: (rows) => {
      const row = rows[0];
      if (!row) return null;
      const source = row.source === 'thread' || row.source === 'group' ? row.source : 'default';
      return { level: levelOf(row.level), source };
    },
    render: (ctx, data, page) => ({
      afterReplies:
        data && mayFollow(page.access)
          ? FollowControl({
              ctx,
              what: 'thread',
              action: followThreadUrl(page.access.group.slug, page.thread.id),
              ...data,
            })
          : null,
    }),
  };
  app.threadExtensions.push(threadControl as ThreadExtension);

  // The group page's "Notifications for this group", asked in the statement that counts its threads.
  const groupControl: GroupPageExtension<ThreadLevel['level'] | null> = {
    name: 'following',
    query: (viewer, access) => (viewer && mayFollow(access) ? groupLevelSql(viewer.id, access.group.id) : null),
    read: (rows) => (rows[0] ? levelOf(rows[0].level) : null),
    render: (ctx, level, access) =>
      level ? FollowControl({ ctx, what: 'group', action: `/g/${access.group.slug}/follow`, level }) : null,
  };
  app.groupPageExtensions.push(groupControl as GroupPageExtension);

  /** After a level is saved: the control again (htmx), or the page it is on. */
  function answer(request: FastifyRequest, reply: FastifyReply, control: Omit<ControlProps, 'ctx'>, page: string) {
    const ctx = pageContext(request, reply);
    if (isHtmx(request)) return sendFragment(reply, FollowControl({ ctx, ...control, saved: true }));
    return redirectAfterPost(request, reply, `${page}?notice=followingSaved#follow-${control.what}`);
  }

  /** A level that is none of the three: the control again, saying so, with nothing changed. */
  function refusal(
    request: FastifyRequest,
    reply: FastifyReply,
    what: 'thread' | 'group',
    action: string,
    back: string,
  ) {
    const ctx = pageContext(request, reply);
    const control = { ctx, what, action, level: 'tracking' as const, error: true };
    if (isHtmx(request)) return sendFragment(reply, FollowControl(control), 422);
    return sendPage(reply, FollowPage({ ctx, control, back }), 400);
  }

  app.post<{ Params: { slug: string; threadId: string } }>('/g/:slug/t/:threadId/follow', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug } = request.params;
    const threadId = parseId(request.params.threadId);
    const action = followThreadUrl(slug, threadId);
    try {
      const { access, level } = await setThreadLevel(db, request.viewer, slug, threadId, request.body);
      const control = { what: 'thread' as const, action, level, source: 'thread' as const };
      return answer(request, reply, control, threadUrl(access.group.slug, { id: threadId }));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return refusal(request, reply, 'thread', action, threadUrl(slug, { id: threadId }));
    }
  });

  app.post<{ Params: { slug: string } }>('/g/:slug/follow', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug } = request.params;
    const action = `/g/${slug}/follow`;
    try {
      const { access, level } = await setGroupLevel(db, request.viewer, slug, request.body);
      return answer(request, reply, { what: 'group', action, level }, `/g/${access.group.slug}`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return refusal(request, reply, 'group', action, `/g/${slug}`);
    }
  });

  // The mention autocomplete: names in the group that start with what was typed, as JSON.
  app.get<{ Params: { slug: string } }>(
    '/g/:slug/names',
    {
      config: {
        rateLimit: {
          ...namesLimit,
          // Counted per person (the session is known by then), so a shared address is not one limit.
          hook: 'preHandler',
          keyGenerator: (request) => (request.viewer ? `names:${request.viewer.id}` : `names:${request.ip}`),
        },
      },
    },
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const names = await namesStartingWith(db, request.viewer, request.params.slug, request.query);
      return reply.header('cache-control', 'private, no-store').send({ names });
    },
  );
}

const followThreadUrl = (slug: string, threadId: number) => `/g/${slug}/t/${threadId}/follow`;
