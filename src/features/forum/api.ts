import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Invalid, NotFound } from '../../platform/errors.js';
import {
  apiViewer,
  assertTokenReaches,
  decodeCursor,
  pageOf,
  pageQuery,
  problemSchema,
  toPage,
  Unauthenticated,
  type ApiRoutes,
} from '../../platform/http/api.js';
import { translator } from '../../platform/views/i18n.js';
import { warningTopics } from '../content-warnings/index.js';
import { accessGroup, assertCanTakePart, canModerate, canReadDiscussions, type GroupAccess } from '../groups/index.js';
import { reactionKinds, type Thread } from './schema.js';
import * as forum from './service.js';
import type { PostView, ThreadSummary } from './service.js';

/*
 * Discussions through the JSON API: a group's threads, a thread's posts, starting threads,
 * replying, reacting and editing one's own posts, through the same service functions as the pages
 * (forum/service.ts: crisis detection, watched words, pre-moderation, limits and events). What
 * each caller sees is what the thread page shows them: an anonymous post names nobody, hidden and
 * waiting posts only to those the page shows them to.
 */

const TAGS = ['Discussions'];
const t = translator('en');

const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const slugParams = z.object({ slug: z.string().min(1).max(200) });
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** Changes need a person: a visitor is told to authenticate (401) before anything else is checked. */
async function requireCaller(request: FastifyRequest): Promise<void> {
  if (!request.viewer) throw new Unauthenticated();
}

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

const authorFields = {
  author: z
    .string()
    .describe(
      'As the page names the author: their name in the group, "Anonymous 2" for an anonymous post, or "Deleted member".',
    ),
  anonymous: z.boolean(),
  mine: z.boolean().describe('The caller wrote it.'),
};

const postSchema = z
  .object({
    id: z.number().int(),
    threadId: z.number().int(),
    opening: z.boolean().describe("The thread's opening post."),
    ...authorFields,
    badge: z
      .object({ role: z.enum(['owner', 'facilitator', 'moderator', 'member']), credential: z.string().nullable() })
      .nullable()
      .describe("The author's role when they lead the group, with a verified facilitator's credential."),
    body: z.string().describe('Markdown.'),
    bodyHtml: z.string().describe('Rendered and sanitised, as the page shows it.'),
    contentWarning: z.string().nullable().describe("A preset (suicide, self_harm, …) or the author's own words."),
    warningOpen: z.boolean().describe('Shown open to the caller (their own post, or their choice for this warning).'),
    status: z.enum(['published', 'pending', 'rejected']).describe('"pending": waiting for approval.'),
    hidden: z.boolean().describe('Hidden by a moderator (only moderators see such posts).'),
    hiddenForMe: z.boolean().describe('The caller hid it for themselves.'),
    flagged: z.boolean().describe('The caller flagged it and no moderator has decided yet.'),
    createdAt: z.date(),
    editedAt: z.date().nullable(),
    reactions: z.array(z.object({ kind: z.enum(reactionKinds), count: z.number().int(), mine: z.boolean() })),
  })
  .meta({ id: 'Post' });

const threadSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    url: z.string(),
    ...authorFields,
    awaitingApproval: z.boolean(),
    contentWarning: z.string().nullable(),
    pinned: z.boolean(),
    locked: z.boolean(),
    replyCount: z.number().int(),
    createdAt: z.date(),
    lastPostAt: z.date(),
  })
  .omit({ mine: true })
  .meta({ id: 'ThreadSummary' });

const threadSchema = z
  .object({
    id: z.number().int(),
    group: z.object({ slug: z.string(), name: z.string() }),
    title: z.string(),
    url: z.string(),
    pinned: z.boolean(),
    locked: z.boolean(),
    replyCount: z.number().int(),
    createdAt: z.date(),
    lastPostAt: z.date(),
    opening: postSchema,
  })
  .meta({ id: 'Thread' });

const written = {
  awaitingApproval: z.boolean().describe('It waits for a leader to approve it before others see it.'),
  supportUrl: z
    .string()
    .nullable()
    .describe("Its words read as a crisis: this page offers help at once (and the group's leaders were told)."),
};

function authorName(view: Pick<PostView, 'post' | 'author'>): string {
  if (view.post.anonymous) return t('forum.anonymous.label', { n: String(view.post.anonymousNumber ?? 1) });
  return view.author ?? t('forum.formerMember');
}

function postJson(view: PostView): z.infer<typeof postSchema> {
  const { post } = view;
  return {
    id: post.id,
    threadId: post.threadId,
    opening: post.isOpening,
    author: authorName(view),
    anonymous: post.anonymous,
    mine: view.mine,
    badge: view.badge,
    body: post.body,
    bodyHtml: post.bodyHtml,
    contentWarning: post.contentWarning,
    warningOpen: view.warningOpen,
    status: post.status,
    hidden: post.hiddenAt !== null,
    hiddenForMe: view.hiddenForMe,
    flagged: view.flagged,
    createdAt: post.createdAt,
    editedAt: post.editedAt,
    reactions: view.reactions,
  };
}

const threadPath = (slug: string, thread: Pick<Thread, 'id'>) => `/g/${slug}/t/${thread.id}`;

// ---------------------------------------------------------------------------------------------
// Input: the API's names, turned into the form the service reads (as the pages send it).
// ---------------------------------------------------------------------------------------------

const contentWarningInput = z
  .string()
  .max(1000)
  .nullable()
  .optional()
  .describe(
    `A preset (${warningTopics.filter((w) => w !== 'other').join(', ')}) or your own words; null or "" for none.`,
  );
const bodyInput = z.string().max(60000).describe('Markdown, 1 to 50,000 characters.');

function warningForm(contentWarning: string | null | undefined): Record<string, string> {
  if (contentWarning === undefined) return {};
  const given = (contentWarning ?? '').trim();
  if (given === '') return { warning: '' };
  if ((warningTopics as readonly string[]).includes(given) && given !== 'other') return { warning: given };
  return { warning: 'other', warningOther: given };
}

/** The services' field names back as the API's. */
function apiFields(error: unknown): unknown {
  if (!(error instanceof Invalid)) return error;
  const names: Record<string, string> = { warning: 'contentWarning', warningOther: 'contentWarning' };
  return new Invalid(Object.fromEntries(Object.entries(error.fieldErrors).map(([k, v]) => [names[k] ?? k, v])));
}

function supportUrl(baseUrl: string, slug: string, thread: Pick<Thread, 'id'>, alertId: number | null) {
  return alertId === null ? null : `${baseUrl}${threadPath(slug, thread)}?support=${alertId}#crisis-panel`;
}

const threadCursor = z.tuple([z.number().int().min(0).max(1), z.iso.datetime(), z.number().int()]);
const postCursor = z.tuple([z.number().int(), z.number().int()]);

export const forumApiRoutes: ApiRoutes = async (api, deps) => {
  const { db } = deps;
  const baseUrl = deps.baseUrl.replace(/\/$/u, '');
  const effects = (request: FastifyRequest) => ({ ...deps, log: request.log });

  /** A group whose discussions this caller reads; otherwise as missing as one that does not exist. */
  async function readableGroup(request: FastifyRequest, slug: string): Promise<GroupAccess> {
    const access = await accessGroup(db, request.viewer, slug);
    assertTokenReaches(request, access.group);
    if (!canReadDiscussions(access)) throw new NotFound();
    return access;
  }

  /** A thread as its page shows it to the caller, with its opening post. */
  async function threadJson(request: FastifyRequest, threadId: number): Promise<z.infer<typeof threadSchema>> {
    const { access, thread, view } = await forum.readThreadOpening(db, request.viewer, threadId);
    assertTokenReaches(request, access.group);
    // As the thread page: a block leaves out a thread its other person started (moderators see it).
    if (view.blocked && !canModerate(access)) throw new NotFound();
    const { slug, name } = access.group;
    return {
      id: thread.id,
      group: { slug, name },
      title: thread.title,
      url: `${baseUrl}${threadPath(slug, thread)}`,
      pinned: thread.pinned,
      locked: thread.locked,
      replyCount: thread.replyCount,
      createdAt: thread.createdAt,
      lastPostAt: thread.lastPostAt,
      opening: postJson(view),
    };
  }

  /** A post as the caller sees it, with its group's access, refused as missing to a token of another organisation. */
  async function readPost(request: FastifyRequest, postId: number) {
    const found = await forum.readPost(db, request.viewer, postId);
    assertTokenReaches(request, found.access.group);
    return found;
  }

  api.get(
    '/groups/:slug/threads',
    {
      schema: {
        tags: TAGS,
        summary: "A group's threads",
        description:
          "The threads the group's page lists to the caller, pinned first, then the most recently active. " +
          "Threads waiting for approval show to their author and the group's leaders; a members-only group's " +
          "threads only to its members (to anyone else the group's threads are not found). Threads the caller " +
          'muted are left out, or alone listed with `muted=true`.',
        params: slugParams,
        querystring: pageQuery.extend({
          muted: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true')
            .describe('List only the threads the caller muted.'),
        }),
        response: { 200: pageOf(threadSummarySchema).extend({ total: z.number().int() }), ...problems },
      },
    },
    async (request) => {
      const { cursor, limit, muted } = request.query;
      const key = decodeCursor(cursor, threadCursor);
      const access = await readableGroup(request, request.params.slug);
      const listing = await forum.listThreads(db, access, {
        limit: limit + 1,
        offset: 0,
        muted: muted && request.viewer !== null,
        ...(key ? { after: { pinned: key[0] === 1, lastPostAt: new Date(key[1]), id: key[2] } } : {}),
      });
      const slug = access.group.slug;
      return {
        ...toPage(
          listing.threads,
          limit,
          (s) => [s.thread.pinned ? 1 : 0, s.thread.lastPostAt.toISOString(), s.thread.id],
          (s: ThreadSummary) => ({
            id: s.thread.id,
            title: s.thread.title,
            url: `${baseUrl}${threadPath(slug, s.thread)}`,
            author: s.anonymous ? t('forum.anonymous.member') : (s.author ?? t('forum.formerMember')),
            anonymous: s.anonymous,
            awaitingApproval: s.awaiting,
            contentWarning: s.warning,
            pinned: s.thread.pinned,
            locked: s.thread.locked,
            replyCount: s.thread.replyCount,
            createdAt: s.thread.createdAt,
            lastPostAt: s.thread.lastPostAt,
          }),
        ),
        total: listing.total,
      };
    },
  );

  api.post(
    '/groups/:slug/threads',
    {
      onRequest: requireCaller,
      config: { rateLimit: deps.limits.post },
      schema: {
        tags: TAGS,
        summary: 'Start a thread',
        description:
          'Starts a thread with its opening post, as the "New thread" form does: the same limits, watched words, ' +
          'crisis detection and pre-moderation. In a pre-moderated group it waits for approval (`awaitingApproval`). ' +
          'Field errors come back as a problem whose `errors` name the fields.',
        params: slugParams,
        body: z.object({
          title: z.string().max(1000).describe('3 to 200 characters.'),
          body: bodyInput,
          anonymous: z.boolean().optional().describe('Post as "Anonymous member", where the group allows it.'),
          contentWarning: contentWarningInput,
        }),
        response: { 201: z.object({ thread: threadSchema, ...written }), ...problems },
      },
    },
    async (request, reply) => {
      const viewer = apiViewer(request);
      const { slug } = request.params;
      assertTokenReaches(request, (await accessGroup(db, viewer, slug)).group);
      const { title, body, anonymous, contentWarning } = request.body;
      const input = { title, body, anonymous: anonymous === true, ...warningForm(contentWarning) };
      const created = await forum.createThread(db, viewer, slug, input, effects(request)).catch((error: unknown) => {
        throw apiFields(error);
      });
      const thread = await threadJson(request, created.id);
      return reply.status(201).send({
        thread,
        awaitingApproval: thread.opening.status === 'pending',
        supportUrl: supportUrl(baseUrl, thread.group.slug, thread, created.crisisAlertId),
      });
    },
  );

  api.get(
    '/threads/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A thread',
        description:
          'A thread and its opening post, as its page shows them to the caller. A thread the caller may not read ' +
          'is not found, the same as one that does not exist.',
        params: idParams,
        response: { 200: threadSchema, ...problems },
      },
    },
    async (request) => threadJson(request, request.params.id),
  );

  api.get(
    '/threads/:id/posts',
    {
      schema: {
        tags: TAGS,
        summary: "A thread's posts",
        description:
          'The posts of a thread, oldest first, the opening post included, as its page shows them to the caller: ' +
          'an anonymous post names nobody ("Anonymous 2", the same number for the same author in a thread); ' +
          "posts waiting for approval only to their author and the group's leaders; posts a moderator hid only " +
          'to moderators; posts by someone a block stands between are left out.',
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageOf(postSchema), ...problems },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const key = decodeCursor(cursor, postCursor);
      const page = await forum.readThread(db, request.viewer, request.params.id);
      assertTokenReaches(request, page.access.group);
      const at = (view: PostView) => [view.post.createdAt.getTime(), view.post.id] as const;
      const after = (view: PostView) => {
        if (!key) return true;
        const [time, id] = at(view);
        return time > key[0] || (time === key[0] && id > key[1]);
      };
      // The page shows every post at once; the API pages through the same list by (time, id).
      const shown = page.posts.filter(after).sort((a, b) => at(a)[0] - at(b)[0] || at(a)[1] - at(b)[1]);
      return toPage(shown.slice(0, limit + 1), limit, (view) => at(view), postJson);
    },
  );

  api.post(
    '/threads/:id/posts',
    {
      onRequest: requireCaller,
      config: { rateLimit: deps.limits.post },
      schema: {
        tags: TAGS,
        summary: 'Reply',
        description:
          'Replies in a thread, as the reply form does (limits, watched words, crisis detection, pre-moderation). ' +
          'A locked thread takes replies from its moderators only.',
        params: idParams,
        body: z.object({
          body: bodyInput,
          anonymous: z.boolean().optional().describe('Post as "Anonymous member", where the group allows it.'),
          contentWarning: contentWarningInput,
        }),
        response: { 201: z.object({ post: postSchema, ...written }), ...problems },
      },
    },
    async (request, reply) => {
      const viewer = apiViewer(request);
      const threadId = request.params.id;
      const { access } = await forum.accessThread(db, viewer, threadId);
      assertTokenReaches(request, access.group);
      const { body, anonymous, contentWarning } = request.body;
      const input = { body, anonymous: anonymous === true, ...warningForm(contentWarning) };
      const post = await forum.replyToThread(db, viewer, threadId, input, effects(request)).catch((error: unknown) => {
        throw apiFields(error);
      });
      const { view, thread } = await readPost(request, post.id);
      return reply.status(201).send({
        post: postJson(view),
        awaitingApproval: view.post.status === 'pending',
        supportUrl: supportUrl(baseUrl, access.group.slug, thread, post.crisisAlertId),
      });
    },
  );

  api.patch(
    '/posts/:id',
    {
      onRequest: requireCaller,
      config: { rateLimit: deps.limits.post },
      schema: {
        tags: TAGS,
        summary: 'Edit your post',
        description:
          'Edits a post the caller wrote (the version it replaces is kept for moderators); `title` renames the ' +
          'thread when the post opens it. A content warning left out stays as it was.',
        params: idParams,
        body: z.object({
          title: z.string().max(1000).optional().describe('3 to 200 characters; opening posts only.'),
          body: bodyInput,
          contentWarning: contentWarningInput,
        }),
        response: { 200: z.object({ post: postSchema, supportUrl: written.supportUrl }), ...problems },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      const postId = request.params.id;
      await readPost(request, postId);
      const { title, body, contentWarning } = request.body;
      const input = { ...(title === undefined ? {} : { title }), body, ...warningForm(contentWarning) };
      const edited = await forum.editPost(db, viewer, postId, input, effects(request)).catch((error: unknown) => {
        throw apiFields(error);
      });
      const { view, thread, access } = await readPost(request, postId);
      return { post: postJson(view), supportUrl: supportUrl(baseUrl, access.group.slug, thread, edited.crisisAlertId) };
    },
  );

  /** Adds or takes back the caller's reaction, whichever `wanted` says; as it already is, nothing changes. */
  async function setReaction(request: FastifyRequest, postId: number, kind: string, wanted: boolean) {
    const viewer = apiViewer(request);
    const { access, view } = await readPost(request, postId);
    assertCanTakePart(access);
    const mine = view.reactions.some((r) => r.kind === kind && r.mine);
    if (mine === wanted) return postJson(view);
    return postJson(await forum.toggleReaction(db, viewer, postId, kind, effects(request)));
  }

  const reactionKind = z.enum(reactionKinds).describe('support, me_too, thinking_of_you or helpful.');

  api.post(
    '/posts/:id/reactions',
    {
      onRequest: requireCaller,
      schema: {
        tags: TAGS,
        summary: 'React to a post',
        description:
          'Adds one of the empathy reactions to a post, as the reaction buttons do. Adding one the caller has ' +
          'already given changes nothing. Answers with the post and its reactions.',
        params: idParams,
        body: z.object({ kind: reactionKind }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => setReaction(request, request.params.id, request.body.kind, true),
  );

  api.delete(
    '/posts/:id/reactions/:kind',
    {
      onRequest: requireCaller,
      schema: {
        tags: TAGS,
        summary: 'Take back a reaction',
        description: "Takes back the caller's reaction of this kind; taking back one not given changes nothing.",
        params: idParams.extend({ kind: reactionKind }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => setReaction(request, request.params.id, request.params.kind, false),
  );
};
