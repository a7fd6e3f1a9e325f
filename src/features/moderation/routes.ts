import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, redirectAfterPost, sendFragment, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { accessPost, pendingPosts, threadUrl } from '../forum/index.js';
import { accessGroup, type Actor } from '../groups/index.js';
import { decideFlags } from './decisions.js';
import { flagPost, readPostToFlag } from './flags.js';
import { flaggedPosts } from './queue.js';
import { QueuePage, SilencesPage, type DecisionErrors } from './queue-views.js';
import { activeSilences, liftSilence } from './silences.js';
import { Flagged, FlagForm, FlagPage } from './views.js';

/** Where "Cancel" leads from a flag form: back to the post in its thread. */
const backTo = (found: {
  access: { group: { slug: string } };
  thread: { id: number };
  view: { post: { id: number } };
}) => `${threadUrl(found.access.group.slug, found.thread)}#post-${found.view.post.id}`;

export async function moderationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  /** The review queue: pending posts and flagged posts (in 4 round trips with the session's). */
  async function queue(actor: Actor, slug: string) {
    const access = await accessGroup(db, actor, slug);
    const pending = await pendingPosts(db, access);
    const flagged = await flaggedPosts(db, access);
    return { access, pending, flagged };
  }

  app.get<{ Params: { slug: string } }>('/g/:slug/review', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const found = await queue(request.viewer, request.params.slug);
    return sendPage(reply, QueuePage({ ctx: pageContext(request, reply), ...found }));
  });

  app.get<{ Params: { id: string } }>('/posts/:id/flag', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const found = await readPostToFlag(db, request.viewer, parseId(request.params.id));
    const ctx = pageContext(request, reply);
    // With htmx the form opens under the post, on the thread page.
    if (isHtmx(request))
      return sendFragment(reply, FlagForm({ ctx, view: found.view, back: backTo(found), inline: true }));
    return sendPage(reply, FlagPage({ ctx, ...found }));
  });

  app.post<{ Params: { id: string } }>('/posts/:id/flag', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const postId = parseId(request.params.id);
    try {
      const flagged = await flagPost(db, request.viewer, postId, request.body, deps);
      if (isHtmx(request))
        return sendFragment(reply, Flagged({ ctx: pageContext(request, reply), hidden: flagged.hidden }));
      const notice = flagged.hidden ? 'flaggedHidden' : 'flagged';
      const url = threadUrl(flagged.groupSlug, { id: flagged.threadId });
      return redirectAfterPost(request, reply, `${url}?notice=${notice}#post-${postId}`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const found = await readPostToFlag(db, request.viewer, postId);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      if (isHtmx(request)) {
        const form = FlagForm({
          ctx,
          view: found.view,
          back: backTo(found),
          inline: true,
          errors: error.fieldErrors,
          values,
        });
        return sendFragment(reply, form, 422);
      }
      return sendPage(reply, FlagPage({ ctx, ...found, errors: error.fieldErrors, values }), 400);
    }
  });

  app.post<{ Params: { id: string } }>('/posts/:id/flags/decision', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const postId = parseId(request.params.id);
    try {
      const { access } = await decideFlags(db, request.viewer, postId, request.body, deps);
      return redirectAfterPost(request, reply, `/g/${access.group.slug}/review?notice=flagsDecided`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const { access } = await accessPost(db, request.viewer, postId);
      const found = await queue(request.viewer, access.group.slug);
      const refused: DecisionErrors = { postId, errors: error.fieldErrors, values: formValues(request.body) };
      return sendPage(reply, QueuePage({ ctx: pageContext(request, reply), ...found, refused }), 400);
    }
  });

  app.get<{ Params: { slug: string } }>('/g/:slug/silences', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    const list = await activeSilences(db, access);
    return sendPage(reply, SilencesPage({ ctx: pageContext(request, reply), access, list }));
  });

  app.post<{ Params: { slug: string; id: string } }>('/g/:slug/silences/:id/lift', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await liftSilence(db, request.viewer, request.params.slug, parseId(request.params.id));
    return redirectAfterPost(request, reply, `/g/${access.group.slug}/silences?notice=silenceLifted`);
  });
}
