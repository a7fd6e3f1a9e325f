import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, redirectAfterPost, sendFragment, sendPage } from '../../platform/http/page.js';
import { idParam, parseId } from '../../platform/http/params.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import type { ThreadExtension } from '../forum/index.js';
import { accessGroup, accessOwnGroups } from '../groups/index.js';
import { helpCountry, resourcesFor } from '../safety/index.js';
import {
  assertAttachmentsReady,
  noAttachments,
  receiveAttachments,
  sendsAttachments,
  uploadLimitsFrom,
  type PendingAttachment,
  type ReceivedAttachments,
} from '../files/attaching.js';
import { ReportsPage } from './admin-views.js';
import { conversationChannel, conversationFrame, conversationMessage, type ConversationMessage } from './live.js';
import { assertMayMessageIn, mayMessageIn } from './policy.js';
import { authoriseFollower, listConversations, needsSupport, readConversation } from './reading.js';
import { listReports, reportConversation, resolveReport } from './reports.js';
import * as service from './service.js';
import { readMessageSettings, saveMessageSettings } from './settings.js';
import { ConversationView, MessageItems } from './conversation-views.js';
import { ConversationsPage, MessageSettingsPage, NewMessagePage, SendMessageLink } from './views.js';

type IdParams = { conversationId: string };

const pageQuery = z.object({
  before: idParam.optional().catch(undefined),
  after: idParam.optional().catch(undefined),
  report: z.literal('1').optional().catch(undefined),
  support: idParam.optional().catch(undefined),
});

/** Private messages: conversations, message requests, who may message whom, and reports. */
export async function messageRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  // Those taking part in a conversation may follow it live, and nobody else. Each is sent notice
  // of the others' messages only, and never of someone a block keeps apart from them.
  deps.live.add('conversation', {
    event: conversationMessage,
    channel: conversationChannel,
    authorise: (viewer, conversationId) => authoriseFollower(db, viewer, conversationId),
    filter: (context, event: ConversationMessage) =>
      event.authorId !== context.viewerId && !context.apart.has(event.authorId),
    toClient: conversationFrame,
  });

  // "Send a private message" under the posts of named authors on a thread page. An anonymous
  // post never offers one: it would be a way to reach, and so to find, its author.
  const extension: ThreadExtension<null> = {
    name: 'messages',
    query: () => null,
    read: () => null,
    render: (ctx, _data, page) => {
      if (!ctx.viewer || !mayMessageIn(page.access)) return {};
      const belowPost = new Map<number, VNode>();
      for (const view of page.posts) {
        const { post } = view;
        if (post.anonymous || view.mine || view.author === null || post.status !== 'published' || post.hiddenAt)
          continue;
        belowPost.set(post.id, SendMessageLink({ ctx, name: view.author, slug: page.access.group.slug }));
      }
      return { belowPost };
    },
  };
  app.threadExtensions.push(extension as ThreadExtension);

  app.get('/messages', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const list = await listConversations(db, request.viewer!.id);
    return sendPage(reply, ConversationsPage({ ctx: pageContext(request, reply), list }));
  });

  /** The groups in which the person may start a conversation, for the new message form. */
  async function groupsToWriteIn(request: FastifyRequest) {
    const own = await accessOwnGroups(db, request.viewer);
    return own.filter(mayMessageIn).map((a) => ({ slug: a.group.slug, name: a.group.name }));
  }

  /**
   * The photos and files a new conversation's form brings, once the person is known to be able to
   * start one in the group it names: nothing is stored for anyone else. A form without a group is
   * refused by the service, with nothing stored.
   */
  async function attachmentsToStart(request: FastifyRequest): Promise<ReceivedAttachments> {
    if (!request.viewer || !sendsAttachments(request)) return noAttachments;
    const group = formValues(request.body).group?.trim();
    if (!group) return noAttachments;
    assertMayMessageIn(await accessGroup(db, request.viewer, group));
    return receiveAttachments(deps, request, request.viewer.id, { groupId: null });
  }
  /** A private message's attachments follow the site's limits: it belongs to no group's settings. */
  const attachFor = (received: ReceivedAttachments) => ({
    limits: uploadLimitsFrom(deps.uploads, null),
    pending: received.pending,
  });

  app.get('/messages/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const query = request.query as Record<string, unknown>;
    const values = {
      to: typeof query.to === 'string' ? query.to.slice(0, 500) : '',
      group: typeof query.group === 'string' ? query.group.slice(0, 200) : '',
    };
    const groups = await groupsToWriteIn(request);
    const attach = attachFor(noAttachments);
    return sendPage(reply, NewMessagePage({ ctx: pageContext(request, reply), groups, values, attach }));
  });

  app.post('/messages/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    let received = noAttachments;
    try {
      received = await attachmentsToStart(request);
      assertAttachmentsReady(received);
      const sent = await service.startConversation(db, request.viewer, request.body, deps, received);
      return redirectAfterPost(
        request,
        reply,
        afterSending(sent, sent.outcome === 'requested' ? 'messagesRequestSent' : 'messagesSent'),
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const groups = await groupsToWriteIn(request);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      const attach = attachFor(received);
      return sendPage(reply, NewMessagePage({ ctx, groups, values, errors: error.fieldErrors, attach }), 400);
    }
  });

  async function renderConversation(
    request: FastifyRequest<{ Params: IdParams }>,
    reply: FastifyReply,
    opts: { mode?: 'read' | 'report'; errors?: FieldErrors; status?: number; pending?: PendingAttachment[] } = {},
  ) {
    const id = parseId(request.params.conversationId);
    const query = pageQuery.parse(request.query ?? {});
    const ctx = pageContext(request, reply);
    if (query.after !== undefined && isHtmx(request) && !opts.errors) {
      const page = await readConversation(db, request.viewer, id, { after: query.after });
      return sendFragment(reply, MessageItems({ ctx, messages: page.messages }));
    }
    const [page, support] = await Promise.all([
      readConversation(db, request.viewer, id, { before: query.before }),
      query.support !== undefined && !opts.errors ? supportFor(request, id, query.support) : Promise.resolve(null),
    ]);
    const mode = opts.mode ?? (query.report ? 'report' : 'read');
    const values = opts.errors ? formValues(request.body) : {};
    const attach = attachFor({ ...noAttachments, pending: opts.pending ?? [] });
    return sendPage(
      reply,
      ConversationView({ ctx, page, mode, support, errors: opts.errors, values, attach }),
      opts.status ?? 200,
    );
  }

  /** Help lines, when the viewer's own message reads as a crisis. */
  async function supportFor(request: FastifyRequest, conversationId: number, messageId: number) {
    if (!(await needsSupport(db, request.viewer, conversationId, messageId))) return null;
    const country = await helpCountry(db, request.viewer, request.headers['accept-language']);
    return resourcesFor(db, country);
  }

  app.get<{ Params: IdParams }>('/messages/:conversationId', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderConversation(request, reply);
  });

  app.post<{ Params: IdParams }>('/messages/:conversationId', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.conversationId);
    let received = noAttachments;
    try {
      // Only someone in the conversation stores anything: reading it first refuses everyone else.
      if (request.viewer && sendsAttachments(request)) {
        await readConversation(db, request.viewer, id, {});
        received = await receiveAttachments(deps, request, request.viewer.id, { groupId: null });
      }
      assertAttachmentsReady(received);
      const sent = await service.sendMessage(db, request.viewer, id, request.body, deps, received);
      return redirectAfterPost(request, reply, afterSending(sent));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderConversation(request, reply, { errors: error.fieldErrors, status: 400, pending: received.pending });
    }
  });

  for (const [action, run, notice] of [
    ['accept', service.acceptRequest, 'messagesAccepted'],
    ['decline', service.declineRequest, 'messagesDeclined'],
    ['leave', service.leaveConversation, 'messagesLeft'],
  ] as const) {
    app.post<{ Params: IdParams }>(`/messages/:conversationId/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const id = parseId(request.params.conversationId);
      await run(db, request.viewer, id);
      return redirectAfterPost(
        request,
        reply,
        action === 'accept' ? `/messages/${id}?notice=${notice}` : `/messages?notice=${notice}`,
      );
    });
  }

  app.post<{ Params: IdParams }>('/messages/:conversationId/report', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.conversationId);
    try {
      await reportConversation(db, request.viewer, id, request.body);
      return redirectAfterPost(request, reply, `/messages/${id}?notice=messagesReported`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderConversation(request, reply, { mode: 'report', errors: error.fieldErrors, status: 400 });
    }
  });

  app.get('/account/messages', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const value = await readMessageSettings(db, request.viewer);
    return sendPage(reply, MessageSettingsPage({ ctx: pageContext(request, reply), value }));
  });

  app.post('/account/messages', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await saveMessageSettings(db, request.viewer, request.body);
      return redirectAfterPost(request, reply, '/account/messages?notice=messagesSettingsSaved');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const value = formValues(request.body).whoMayMessage ?? '';
      return sendPage(reply, MessageSettingsPage({ ctx, value, errors: error.fieldErrors }), 400);
    }
  });

  // The site's moderators (site administrators with two-step verification): reported messages only.
  app.get('/admin/conversation-reports', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const reports = await listReports(db, request.viewer);
    return sendPage(reply, ReportsPage({ ctx: pageContext(request, reply), reports }));
  });

  app.post<{ Params: { id: string } }>('/admin/conversation-reports/:id/resolve', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      await resolveReport(db, request.viewer, id, request.body);
      return redirectAfterPost(request, reply, '/admin/conversation-reports?notice=messagesReportResolved');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const reports = await listReports(db, request.viewer);
      const ctx = pageContext(request, reply);
      const errorsFor = { id, errors: error.fieldErrors, values: formValues(request.body) };
      return sendPage(reply, ReportsPage({ ctx, reports, errorsFor }), 400);
    }
  });
}

/** Where sending leads: the message in its conversation, or the help panel first when it reads as a crisis. */
function afterSending(sent: service.Sent, notice?: string): string {
  const query = [notice ? `notice=${notice}` : '', sent.atRisk ? `support=${sent.messageId}` : '']
    .filter(Boolean)
    .join('&');
  const anchor = sent.atRisk ? '#crisis-panel' : `#message-${sent.messageId}`;
  return `/messages/${sent.conversationId}${query ? `?${query}` : ''}${anchor}`;
}
