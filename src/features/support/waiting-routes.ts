import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import type { ThreadExtension } from '../forum/index.js';
import { mayBePrompted, seesLongWaits } from './policy.js';
import * as waiting from './waiting.js';
import { GroupWaitingPage, MyWaitingPage, PromptsPage, ReplyPrompt } from './waiting-views.js';

/**
 * "Needs a reply" (per group and across a member's groups), the reply prompt on a helped author's
 * thread page, and the setting that turns the prompts off.
 */
export async function waitingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: { slug: string } }>('/g/:slug/waiting', async (request, reply) => {
    const { access, threads } = await waiting.groupWaiting(db, request.viewer, request.params.slug);
    const ctx = pageContext(request, reply);
    return sendPage(reply, GroupWaitingPage({ ctx, access, threads, leader: seesLongWaits(access) }));
  });

  app.get('/waiting', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { groups, threads } = await waiting.myWaiting(db, request.viewer!);
    const ctx = pageContext(request, reply);
    return sendPage(reply, MyWaitingPage({ ctx, groups, threads, leaderOf: seesLongWaits }));
  });

  app.get('/account/support/prompts', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const on = await waiting.replyPromptsOn(db, request.viewer!.id);
    return sendPage(reply, PromptsPage({ ctx: pageContext(request, reply), on }));
  });

  app.post('/account/support/prompts', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const on = await waiting.setReplyPrompts(db, request.viewer, request.body);
    return redirectAfterPost(
      request,
      reply,
      `/account/support/prompts?notice=${on ? 'supportPromptsOn' : 'supportPromptsOff'}`,
    );
  });

  // "Don't show me these suggestions", from the prompt itself: off, whatever else is sent.
  app.post('/account/support/prompts/off', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await waiting.setReplyPrompts(db, request.viewer, {});
    return redirectAfterPost(request, reply, '/account/support/prompts?notice=supportPromptsOff');
  });

  const prompt: ThreadExtension<waiting.PromptSuggestion | null> = {
    name: 'reply-prompt',
    query: waiting.promptSql,
    read: waiting.readPrompt,
    render(ctx, suggestion, page) {
      // The query checked membership and authorship; the page's access decides whether they may answer.
      if (!suggestion || !ctx.viewer || page.thread.authorId !== ctx.viewer.id || !mayBePrompted(page.access)) {
        return {};
      }
      return { afterReplies: ReplyPrompt({ ctx, slug: page.access.group.slug, suggestion }) };
    },
  };
  app.threadExtensions.push(prompt as ThreadExtension);
}
