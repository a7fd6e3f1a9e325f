import {
  extensionColumns,
  extensionsOf,
  groupExtensionColumns,
  groupExtensionsOf,
  type GroupPageExtension,
  type ThreadExtension,
} from './extensions.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { isHtmx, pageContext, redirectAfterPost, sendFragment, sendPage } from '../../platform/http/page.js';
import { idParam, parseId } from '../../platform/http/params.js';
import { requireViewer } from '../accounts/index.js';
import { crisisPanelFor } from '../safety/index.js';
import { groupSearchPresence } from '../directory/index.js';
import { accessGroup, assertCanTakePart, canReadDiscussions, type GroupAccess } from '../groups/index.js';
import {
  assertAttachmentsReady,
  groupUploadLimitsSql,
  limitsFor,
  listsAttachments,
  noAttachments,
  receiveAttachments,
  sendsAttachments,
  uploadLimitsFrom,
  type ReceivedAttachments,
} from '../files/attaching.js';
import { threadChannel, threadReplies } from './live.js';
import * as anonymity from './anonymity.js';
import { anonymityOf } from './anonymity.js';
import { BanAuthorPage, RevealedPage, RevealPage } from './anonymity-views.js';
import * as moderation from './moderation.js';
import * as premoderation from './premoderation.js';
import * as forum from './service.js';
import { DeletePostPage, EditPostPage, HistoryPage } from './post-pages.js';
import { GroupPage, NewThreadPage, ReactionBar, ReplyAdded, ReplyForm, ThreadPage, threadUrl } from './views.js';

const PAGE_SIZE = 30;

export async function forumRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };
  // Filled by features registered after this one (extensions.ts); read when a thread is shown.
  app.decorate('threadExtensions', [] as ThreadExtension[]);
  app.decorate('groupPageExtensions', [] as GroupPageExtension[]);

  // Whoever may read a thread may follow its new replies live (at /live), and no one else.
  deps.live.add('thread', {
    event: threadReplies,
    channel: threadChannel,
    authorise: async (viewer, threadId) => {
      await forum.accessThread(db, viewer, threadId);
    },
  });

  /**
   * The photos and files a post's form brings (stored now when sent with it), once the person is
   * known to be able to post in the group: nothing is stored for someone who may not.
   */
  async function attachmentsFor(request: FastifyRequest, access: () => Promise<GroupAccess>) {
    if (!request.viewer || !sendsAttachments(request)) return noAttachments;
    const found = await access();
    assertCanTakePart(found);
    return receiveAttachments(deps, request, request.viewer.id, { groupId: found.group.id });
  }
  const attachOf = async (access: GroupAccess, received: ReceivedAttachments) => ({
    limits: await limitsFor(db, deps, access.group.id),
    pending: received.pending,
  });
  const attachLimitsColumn = { attachLimits: groupUploadLimitsSql(sql.raw('threads.group_id')) };

  app.get<{ Params: { slug: string } }>('/g/:slug', async (request, reply) => {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    const page = z.coerce
      .number()
      .int()
      .min(1)
      .max(100000)
      .catch(1)
      .parse((request.query as { page?: string }).page);
    // ?muted=1: the threads the viewer muted, which the usual list leaves out.
    const muted = request.viewer !== null && (request.query as { muted?: string }).muted === '1';
    const extensions = app.groupPageExtensions;
    const listing = canReadDiscussions(access)
      ? await forum.listThreads(db, access, {
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
          muted,
          extra: groupExtensionColumns(extensions, request.viewer, access),
        })
      : { threads: [], total: 0, extra: null };
    const seo = await groupSearchPresence(db, access, deps.baseUrl);
    const ctx = pageContext(request, reply);
    const extras = listing.extra ? groupExtensionsOf(extensions, listing.extra, ctx, access) : [];
    return sendPage(
      reply,
      GroupPage({
        ctx,
        access,
        threads: listing.threads,
        total: listing.total,
        page,
        pageSize: PAGE_SIZE,
        muted,
        seo,
        extras,
      }),
    );
  });

  app.get<{ Params: { slug: string } }>('/g/:slug/threads/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanTakePart(access);
    const attach = await attachOf(access, noAttachments);
    return sendPage(reply, NewThreadPage({ ctx: pageContext(request, reply), access, attach }));
  });

  app.post<{ Params: { slug: string } }>('/g/:slug/threads/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug } = request.params;
    let received = noAttachments;
    try {
      received = await attachmentsFor(request, () => accessGroup(db, request.viewer, slug));
      assertAttachmentsReady(received);
      const effects = { ...deps, log: request.log };
      const thread = await forum.createThread(db, request.viewer, slug, request.body, effects, received);
      const { view } = await forum.readThreadOpening(db, request.viewer, thread.id);
      const notice = view.post.status === 'pending' ? 'awaitingApproval' : 'threadCreated';
      // Words that read as a crisis: the thread opens with help for its author in front of them.
      const support = thread.crisisAlertId === null ? '' : `&support=${thread.crisisAlertId}#crisis-panel`;
      return redirectAfterPost(request, reply, `${threadUrl(request.params.slug, thread)}?notice=${notice}${support}`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessGroup(db, request.viewer, slug);
      const ctx = pageContext(request, reply);
      const attach = await attachOf(access, received);
      return sendPage(
        reply,
        NewThreadPage({ ctx, access, errors: error.fieldErrors, values: formValues(request.body), attach }),
        400,
      );
    }
  });

  app.get<{ Params: { slug: string; id: string } }>('/g/:slug/t/:id', async (request, reply) => {
    const support = idParam.safeParse((request.query as { support?: unknown }).support);
    const threadId = parseId(request.params.id);
    const extensions = app.threadExtensions;
    const columns = { ...extensionColumns(extensions, request.viewer, threadId), ...attachLimitsColumn };
    const [page, crisisPanel] = await Promise.all([
      forum.readThread(db, request.viewer, threadId, columns),
      support.success
        ? crisisPanelFor(db, request.viewer, support.data, request.headers['accept-language'])
        : Promise.resolve(null),
    ]);
    // Old links keep working after a group is renamed.
    if (page.access.group.slug !== request.params.slug)
      return reply.redirect(threadUrl(page.access.group.slug, page.thread), 301);
    // After "New replies. Show them": how many replies the person had seen, to mark the first new one.
    const seen = z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .optional()
      .catch(undefined)
      .parse((request.query as { seen?: string }).seen);
    const ctx = pageContext(request, reply);
    const extras = extensionsOf(extensions, page.extra, page)(ctx);
    const attach = { limits: uploadLimitsFrom(deps.uploads, page.extra.attachLimits) };
    return sendPage(reply, ThreadPage({ ctx, ...page, seen, crisisPanel, extras, attach }));
  });

  app.post<{ Params: { id: string } }>('/threads/:id/replies', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const threadId = parseId(request.params.id);
    let received = noAttachments;
    try {
      received = await attachmentsFor(
        request,
        async () => (await forum.accessThread(db, request.viewer, threadId)).access,
      );
      assertAttachmentsReady(received);
      const effects = { ...deps, log: request.log };
      const post = await forum.replyToThread(db, request.viewer, threadId, request.body, effects, received);
      const { access, thread, view } = await forum.readPost(db, request.viewer, post.id);
      if (isHtmx(request)) {
        const crisisPanel =
          post.crisisAlertId === null
            ? null
            : await crisisPanelFor(db, request.viewer, post.crisisAlertId, request.headers['accept-language']);
        const attach = await attachOf(access, noAttachments);
        const ctx = pageContext(request, reply);
        return sendFragment(reply, ReplyAdded({ ctx, access, thread, view, crisisPanel, attach }));
      }
      const notice = post.status === 'pending' ? 'awaitingApproval' : 'replied';
      const where = post.crisisAlertId === null ? `#post-${post.id}` : `&support=${post.crisisAlertId}#crisis-panel`;
      return reply.redirect(`${threadUrl(access.group.slug, thread)}?notice=${notice}${where}`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      if (isHtmx(request)) {
        reply.header('hx-retarget', '#reply-form').header('hx-reswap', 'outerHTML');
        const { access } = await forum.accessThread(db, request.viewer, threadId);
        const anonymity = anonymityOf(access);
        const mentionsIn = access.group.slug;
        const attach = await attachOf(access, received);
        return sendFragment(
          reply,
          ReplyForm({ ctx, threadId, anonymity, mentionsIn, errors: error.fieldErrors, values, attach }),
          422,
        );
      }
      const page = await forum.readThread(db, request.viewer, threadId, attachLimitsColumn);
      const attach = { limits: uploadLimitsFrom(deps.uploads, page.extra.attachLimits), pending: received.pending };
      return sendPage(reply, ThreadPage({ ctx, ...page, errors: error.fieldErrors, values, attach }), 400);
    }
  });

  app.post<{ Params: { id: string; kind: string } }>('/posts/:id/reactions/:kind', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const view = await forum.toggleReaction(db, request.viewer, parseId(request.params.id), request.params.kind, {
      events: deps.events,
      log: request.log,
    });
    if (isHtmx(request))
      return sendFragment(reply, ReactionBar({ ctx: pageContext(request, reply), view, canReact: true }));
    const { access, thread } = await forum.readPost(db, request.viewer, view.post.id);
    return reply.redirect(`${threadUrl(access.group.slug, thread)}#post-${view.post.id}`, 303);
  });

  async function postPage(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    render: (r: Awaited<ReturnType<typeof forum.readPost>>) => Parameters<typeof sendPage>[1],
  ) {
    if (!requireViewer(request, reply)) return reply;
    const found = await forum.readPost(db, request.viewer, parseId(request.params.id));
    if (!found.view.mine) throw new NotFound();
    return sendPage(reply, render(found));
  }

  /**
   * What an edit form says of its post's files (kept, removed, added), from the post's author
   * only; null when the form does not list them, and the post's files then stay as they are. Only
   * someone who may take part in the group stores new ones.
   */
  async function editedAttachments(request: FastifyRequest, postId: number): Promise<ReceivedAttachments | null> {
    if (!request.viewer || !listsAttachments(request)) return null;
    const { access, post } = await forum.accessPost(db, request.viewer, postId);
    if (post.authorId !== request.viewer.id) throw new NotFound();
    if ((request.uploads ?? []).length > 0) assertCanTakePart(access);
    return receiveAttachments(deps, request, request.viewer.id, { groupId: access.group.id }, { postId });
  }

  app.get<{ Params: { id: string } }>('/posts/:id/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const found = await forum.readPostToEdit(db, request.viewer, parseId(request.params.id));
    if (!found.view.mine) throw new NotFound();
    const attach = { limits: uploadLimitsFrom(deps.uploads, found.uploadLimits), pending: found.view.attachments };
    return sendPage(reply, EditPostPage({ ctx: pageContext(request, reply), ...found, attach }));
  });

  app.post<{ Params: { id: string } }>('/posts/:id/edit', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const postId = parseId(request.params.id);
    let received: ReceivedAttachments | null = null;
    try {
      received = await editedAttachments(request, postId);
      if (received) assertAttachmentsReady(received);
      const effects = { ...deps, log: request.log };
      const edited = await forum.editPost(db, request.viewer, postId, request.body, effects, received ?? undefined);
      const { access, thread } = await forum.readPost(db, request.viewer, postId);
      const where = edited.crisisAlertId === null ? `#post-${postId}` : `&support=${edited.crisisAlertId}#crisis-panel`;
      return redirectAfterPost(request, reply, `${threadUrl(access.group.slug, thread)}?notice=postEdited${where}`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const found = await forum.readPostToEdit(db, request.viewer, postId);
      const ctx = pageContext(request, reply);
      // The files as the form left them (kept, new, descriptions changed); nothing is changed yet.
      const pending = (received ?? { ...noAttachments, pending: found.view.attachments }).pending;
      const attach = { limits: uploadLimitsFrom(deps.uploads, found.uploadLimits), pending };
      const values = formValues(request.body);
      return sendPage(reply, EditPostPage({ ctx, ...found, errors: error.fieldErrors, values, attach }), 400);
    }
  });

  app.get<{ Params: { id: string } }>('/posts/:id/delete', (request, reply) =>
    postPage(request, reply, (found) => DeletePostPage({ ctx: pageContext(request, reply), ...found })),
  );

  app.post<{ Params: { id: string } }>('/posts/:id/delete', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const result = await forum.deletePost(db, request.viewer, parseId(request.params.id));
    const target = result.wholeThread ? `/g/${result.groupSlug}` : threadUrl(result.groupSlug, result.thread);
    return redirectAfterPost(request, reply, `${target}?notice=postDeleted`);
  });

  app.get<{ Params: { id: string } }>('/posts/:id/history', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const history = await forum.postHistory(db, request.viewer, parseId(request.params.id));
    return sendPage(reply, HistoryPage({ ctx: pageContext(request, reply), ...history }));
  });

  for (const [action, hidden] of [
    ['hide', true],
    ['restore', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/posts/:id/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const post = await moderation.setPostHidden(db, request.viewer, parseId(request.params.id), hidden);
      const { access, thread } = await forum.readPost(db, request.viewer, post.id);
      return redirectAfterPost(request, reply, `${threadUrl(access.group.slug, thread)}#post-${post.id}`);
    });
  }

  for (const [action, flag, on] of [
    ['lock', 'locked', true],
    ['unlock', 'locked', false],
    ['pin', 'pinned', true],
    ['unpin', 'pinned', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/threads/:id/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const thread = await moderation.setThreadFlag(db, request.viewer, parseId(request.params.id), flag, on);
      const { access } = await forum.accessThread(db, request.viewer, thread.id);
      return redirectAfterPost(request, reply, threadUrl(access.group.slug, thread));
    });
  }

  // Revealing who wrote an anonymous post: a reason is required; the answer is shown once, on the
  // page that answers the form, never in a URL.
  app.get<{ Params: { id: string } }>('/posts/:id/reveal', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const found = await anonymity.readPostToReveal(db, request.viewer, parseId(request.params.id));
    return sendPage(reply, RevealPage({ ctx: pageContext(request, reply), ...found }));
  });

  app.post<{ Params: { id: string } }>('/posts/:id/reveal', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const postId = parseId(request.params.id);
    try {
      const revealed = await anonymity.revealAuthor(db, request.viewer, postId, request.body);
      return sendPage(reply, RevealedPage({ ctx: pageContext(request, reply), revealed }));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const found = await anonymity.readPostToReveal(db, request.viewer, postId);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, RevealPage({ ctx, ...found, errors: error.fieldErrors, values }), 400);
    }
  });

  // Banning the author of an anonymous post without learning who they are.
  app.get<{ Params: { id: string } }>('/posts/:id/ban-author', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const found = await anonymity.readPostToBanAuthor(db, request.viewer, parseId(request.params.id));
    return sendPage(reply, BanAuthorPage({ ctx: pageContext(request, reply), ...found }));
  });

  app.post<{ Params: { id: string } }>('/posts/:id/ban-author', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const postId = parseId(request.params.id);
    try {
      const { access, thread } = await anonymity.banAuthor(db, request.viewer, postId, request.body, deps);
      return redirectAfterPost(
        request,
        reply,
        `${threadUrl(access.group.slug, thread)}?notice=authorBanned#post-${postId}`,
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const found = await anonymity.readPostToBanAuthor(db, request.viewer, postId);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, BanAuthorPage({ ctx, ...found, errors: error.fieldErrors, values }), 400);
    }
  });

  app.post<{ Params: { id: string } }>('/posts/:id/review', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await premoderation.decidePendingPost(
      db,
      request.viewer,
      parseId(request.params.id),
      request.body,
      deps.bus,
      deps.events,
    );
    return redirectAfterPost(request, reply, `/g/${access.group.slug}/review?notice=reviewed`);
  });
}
