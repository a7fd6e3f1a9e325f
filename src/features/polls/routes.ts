import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, redirectAfterPost, sendFragment, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { threadUrl, type GroupPageExtension, type ThreadExtension } from '../forum/index.js';
import { accessGroup } from '../groups/index.js';
import { assertCanStartPoll, assertCanStartTimePoll } from './policy.js';
import { PollBlock } from './poll-views.js';
import { pollViewColumn, pollViewOf, readPollView } from './reading.js';
import * as polls from './service.js';
import { timeRowsOf } from './input.js';
import { pollGroupExtension, pollThreadExtension, powersOf } from './thread-extension.js';
import { NewPollPage, SchedulePage, TimePollPage } from './views.js';

type SlugParams = { slug: string };
type PollParams = { id: string };

/** Polls in threads, and "find a time" polls that become meetings. */
export async function pollRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };
  app.threadExtensions.push(pollThreadExtension as ThreadExtension);
  app.groupPageExtensions.push(pollGroupExtension as GroupPageExtension);

  const afterStart = (slug: string, made: { threadId: number; pollId: number; crisisAlertId: number | null }) => {
    const support =
      made.crisisAlertId === null ? `#poll-${made.pollId}` : `&support=${made.crisisAlertId}#crisis-panel`;
    return `${threadUrl(slug, { id: made.threadId })}?notice=pollStarted${support}`;
  };

  app.get<{ Params: SlugParams }>('/g/:slug/polls/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanStartPoll(access);
    return sendPage(reply, NewPollPage({ ctx: pageContext(request, reply), access }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/polls/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug } = request.params;
    try {
      const made = await polls.startPoll(db, request.viewer!, slug, request.body, { ...deps, log: request.log });
      return redirectAfterPost(request, reply, afterStart(slug, made));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessGroup(db, request.viewer, slug);
      assertCanStartPoll(access);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      // The answers, one a line, come back as the person typed them.
      const body = request.body as Record<string, unknown> | undefined;
      if (typeof body?.options === 'string') values.options = body.options;
      return sendPage(reply, NewPollPage({ ctx, access, values, errors: error.fieldErrors }), 400);
    }
  });

  app.get<{ Params: SlugParams }>('/g/:slug/polls/find-a-time', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanStartTimePoll(access);
    return sendPage(reply, TimePollPage({ ctx: pageContext(request, reply), access }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/polls/find-a-time', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug } = request.params;
    const rows = timeRowsOf(request.body);
    const more = (request.body as Record<string, unknown> | undefined)?.more !== undefined;
    try {
      // "Add another time" without JavaScript: the same form, one row longer, nothing made yet.
      if (more) throw new Invalid({});
      const made = await polls.startTimePoll(db, request.viewer!, slug, request.body, { ...deps, log: request.log });
      return redirectAfterPost(request, reply, afterStart(slug, made));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessGroup(db, request.viewer, slug);
      assertCanStartTimePoll(access);
      const ctx = pageContext(request, reply);
      const page = TimePollPage({ ctx, access, rows, values: formValues(request.body), errors: error.fieldErrors });
      return sendPage(reply, page, more ? 200 : 400);
    }
  });

  app.post<{ Params: PollParams }>('/polls/:id/vote', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const pollId = parseId(request.params.id);
    let error: string | undefined;
    let found: Awaited<ReturnType<typeof polls.vote>> | undefined;
    try {
      found = await polls.vote(db, request.viewer!, pollId, request.body);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      error = Object.values(e.fieldErrors)[0] ?? 'polls.errors.chooseOne';
    }
    if (isHtmx(request)) {
      const { access } = found ?? (await polls.accessPollFor(db, request.viewer!, pollId));
      const view = await readPollView(db, request.viewer!.id, pollId);
      const ctx = pageContext(request, reply);
      return sendFragment(
        reply,
        PollBlock({ ctx, poll: view!, powers: powersOf(access, view!), error }),
        error ? 422 : 200,
      );
    }
    const { access, thread } = found ?? (await polls.accessPollFor(db, request.viewer!, pollId));
    const notice =
      error === undefined ? 'pollVoted' : error === 'polls.errors.closed' ? 'pollClosedAlready' : 'pollChooseOne';
    return reply.redirect(`${threadUrl(access.group.slug, thread)}?notice=${notice}#poll-${pollId}`, 303);
  });

  app.post<{ Params: PollParams }>('/polls/:id/close', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const pollId = parseId(request.params.id);
    const { access, thread } = await polls.closePoll(db, request.viewer!, pollId);
    return redirectAfterPost(
      request,
      reply,
      `${threadUrl(access.group.slug, thread)}?notice=pollClosed#poll-${pollId}`,
    );
  });

  app.get<{ Params: PollParams }>('/polls/:id/schedule', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const pollId = parseId(request.params.id);
    const found = await polls.pollToSchedule(db, request.viewer!, pollId, false, {
      poll: pollViewColumn(request.viewer!.id, pollId),
    });
    const view = pollViewOf(found.extra.poll);
    const ctx = pageContext(request, reply);
    return sendPage(reply, SchedulePage({ ctx, found, options: view?.options ?? [] }));
  });

  app.post<{ Params: PollParams }>('/polls/:id/schedule', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const pollId = parseId(request.params.id);
    try {
      const { firstOccurrenceId } = await polls.scheduleChosenTime(
        db,
        request.viewer!,
        pollId,
        request.body,
        deps.events,
      );
      return redirectAfterPost(request, reply, `/meetings/${firstOccurrenceId}?notice=meetingsScheduled`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const found = await polls.pollToSchedule(db, request.viewer!, pollId, false, {
        poll: pollViewColumn(request.viewer!.id, pollId),
      });
      const view = pollViewOf(found.extra.poll);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(
        reply,
        SchedulePage({ ctx, found, options: view?.options ?? [], values, errors: error.fieldErrors }),
        400,
      );
    }
  });
}
