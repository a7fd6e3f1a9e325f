import { sql, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import {
  apiViewer,
  assertTokenReaches,
  decodeCursor,
  pageOf,
  pageQuery,
  toPage,
  type ApiRoutes,
} from '../../platform/http/api.js';
import { idParam } from '../../platform/http/params.js';
import { decidePendingPost, pendingPosts, setPostHidden, setThreadFlag } from '../forum/index.js';
import { accessGroup, accessGroupById } from '../groups/index.js';
import { decideFlags, decisions } from './decisions.js';
import { flagPost, memberFlagReasons } from './flags.js';
import { flaggedPosts } from './queue.js';
import { silenceDays } from './silences.js';

/*
 * Moderation through /api/v1: the review queue, and what its page and a thread's moderator tools
 * do (approve or reject a post waiting for approval, decide about flags, hide and restore a post,
 * lock and pin a thread), through the same services, which check and audit exactly as for the
 * pages. Members flag posts here too. The author of an anonymous post is never named.
 */

const TAGS = ['Moderation'];
const at = z.iso.datetime();
const postParams = z.object({ id: idParam.describe("The post's id.") });
const threadParams = z.object({ id: idParam.describe("The thread's id.") });

const flagItem = z.object({
  reason: z.string(),
  note: z.string().nullable(),
  automatic: z.boolean().describe("Raised by the group's watched words rather than by a member."),
  flagger: z
    .string()
    .nullable()
    .describe(
      'Who flagged, by their name in the group; null for automatic flags, a flagger who has left, and when ' +
        'the caller wrote the post (an author is never told who flagged).',
    ),
  createdAt: at,
});

const queueItem = z
  .object({
    kind: z.enum(['pending', 'flagged']).describe('Waiting for approval, or published with open flags.'),
    postId: z.number().int(),
    threadId: z.number().int(),
    threadTitle: z.string(),
    isOpening: z.boolean().describe('The post opens its thread.'),
    author: z.string().nullable().describe('Their name in the group; null for an anonymous post or a former member.'),
    anonymousNumber: z.number().int().nullable().describe('"Anonymous 2": its anonymous label in the thread.'),
    bodyHtml: z.string().describe('The post as sanitised HTML.'),
    contentWarning: z.string().nullable(),
    createdAt: at,
    hidden: z.boolean(),
    hiddenByFlags: z.boolean().describe('Hidden by flags rather than by a moderator; approving shows it again.'),
    mine: z.boolean().describe('The caller wrote it.'),
    flags: z.array(flagItem).describe('Its open flags, oldest first.'),
  })
  .meta({ id: 'ReviewItem' });
type QueueItem = z.infer<typeof queueItem>;

/** Pending posts first (oldest first), then flagged ones (longest waiting first), as on the page. */
const queueKey = (item: QueueItem, since: string) => [item.kind === 'pending' ? 0 : 1, since, item.postId] as const;
const cursorKey = z.tuple([z.number().int(), at, z.number().int()]);
const after = (a: readonly [number, string, number], b: readonly [number, string, number]) =>
  a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];

/**
 * For an organisation token, refuses a post or thread of a group outside its organisation before
 * anything is changed (one query, only for such tokens); the services decide the rest.
 */
async function assertTokenReachesGroupOf(db: Db, request: FastifyRequest, groupId: SQL): Promise<void> {
  if (request.apiCaller?.organisationId == null) return;
  const access = await accessGroupById(db, request.viewer, groupId);
  assertTokenReaches(request, access.group);
}
const groupOfPost = (id: number) => sql`(select p.group_id from posts p where p.id = ${id})`;
const groupOfThread = (id: number) => sql`(select t.group_id from threads t where t.id = ${id})`;

const done = z.object({ postId: z.number().int(), hidden: z.boolean() });

export const moderationApiRoutes: ApiRoutes = async (api, deps) => {
  const { db } = deps;

  api.get(
    '/groups/:slug/review',
    {
      config: { scope: 'moderate' },
      schema: {
        tags: TAGS,
        summary: "A group's review queue",
        description:
          'What the review page shows a moderator: posts waiting for approval (oldest first), then published ' +
          'posts with open flags (longest waiting first), each flagged post with its flags. For those who ' +
          'moderate the group.',
        params: z.object({ slug: z.string().min(1).max(200) }),
        querystring: pageQuery,
        response: { 200: pageOf(queueItem) },
      },
    },
    async (request) => {
      apiViewer(request);
      const { cursor, limit } = request.query;
      const from = decodeCursor(cursor, cursorKey);
      const access = await accessGroup(db, request.viewer, request.params.slug);
      assertTokenReaches(request, access.group);
      const pending = await pendingPosts(db, access);
      const flagged = await flaggedPosts(db, access);
      const items: { item: QueueItem; key: readonly [number, string, number] }[] = [
        ...pending.map((p) => {
          const item: QueueItem = {
            kind: 'pending',
            postId: p.id,
            threadId: p.threadId,
            threadTitle: p.threadTitle,
            isOpening: p.isOpening,
            author: p.author,
            anonymousNumber: p.anonymousNumber,
            bodyHtml: p.bodyHtml,
            contentWarning: null,
            createdAt: p.createdAt.toISOString(),
            hidden: false,
            hiddenByFlags: false,
            mine: false,
            flags: [],
          };
          return { item, key: queueKey(item, item.createdAt) };
        }),
        ...flagged.map((f) => {
          const flags = f.flags.map((x) => ({ ...x, createdAt: x.createdAt.toISOString() }));
          const item: QueueItem = {
            kind: 'flagged',
            postId: f.id,
            threadId: f.threadId,
            threadTitle: f.threadTitle,
            isOpening: f.isOpening,
            author: f.author,
            anonymousNumber: f.anonymousNumber,
            bodyHtml: f.bodyHtml,
            contentWarning: f.contentWarning,
            createdAt: f.createdAt.toISOString(),
            hidden: f.hidden,
            hiddenByFlags: f.hiddenByFlags,
            mine: f.mine,
            flags,
          };
          // Waiting since its first open flag: the page's order.
          const since = flags.map((x) => x.createdAt).sort()[0] ?? item.createdAt;
          return { item, key: queueKey(item, since) };
        }),
      ];
      const rest = from ? items.filter((i) => after(i.key, from)) : items;
      return toPage(
        rest.slice(0, limit + 1),
        limit,
        (i) => i.key,
        (i) => i.item,
      );
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    api.post(
      `/posts/:id/${decision}`,
      {
        config: { scope: 'moderate' },
        schema: {
          tags: TAGS,
          summary:
            decision === 'approve' ? 'Approve a post waiting for approval' : 'Reject a post waiting for approval',
          description:
            (decision === 'approve'
              ? 'The post appears in its thread and its followers are told. '
              : 'The post stays unpublished; only its author still sees it. ') +
            'For those who review the group; a post waiting for approval does not exist for anyone else but its author.',
          params: postParams,
          body: z.object({ reason: z.string().max(1000).optional().describe('For the audit log.') }).default({}),
          response: { 200: z.object({ postId: z.number().int(), status: z.enum(['published', 'rejected']) }) },
        },
      },
      async (request) => {
        const viewer = apiViewer(request);
        const { id } = request.params;
        await assertTokenReachesGroupOf(db, request, groupOfPost(id));
        await decidePendingPost(db, viewer, id, { decision, reason: request.body.reason }, deps.bus, deps.events);
        return { postId: id, status: decision === 'approve' ? ('published' as const) : ('rejected' as const) };
      },
    );
  }

  for (const [action, hidden] of [
    ['hide', true],
    ['restore', false],
  ] as const) {
    api.post(
      `/posts/:id/${action}`,
      {
        config: { scope: 'moderate' },
        schema: {
          tags: TAGS,
          summary: hidden ? 'Hide a post from members' : 'Show a hidden post again',
          description: hidden
            ? 'Hides the post from members; moderators still see it and can restore it. Audited.'
            : 'Shows a hidden post to members again. Audited. A hidden post does not exist for non-moderators.',
          params: postParams,
          response: { 200: done },
        },
      },
      async (request) => {
        const viewer = apiViewer(request);
        const { id } = request.params;
        await assertTokenReachesGroupOf(db, request, groupOfPost(id));
        const post = await setPostHidden(db, viewer, id, hidden);
        return { postId: post.id, hidden: post.hiddenAt !== null };
      },
    );
  }

  api.post(
    '/posts/:id/flags',
    {
      schema: {
        tags: TAGS,
        summary: 'Flag a post for the moderators',
        description:
          'For whoever reads the post and takes part in its group, never on their own post. The flag goes to ' +
          "the group's review queue; a moderator's flag (or enough members' flags) hides the post at once. " +
          '"danger" (someone may be in danger) alerts the group\'s leaders and never hides it. The author is ' +
          'never told who flagged.',
        params: postParams,
        body: z.object({
          reason: z.enum(memberFlagReasons),
          note: z.string().max(500).optional().describe('Needed (3 characters at least) with reason "other".'),
        }),
        response: { 201: done },
      },
    },
    async (request, reply) => {
      const viewer = apiViewer(request);
      const { id } = request.params;
      await assertTokenReachesGroupOf(db, request, groupOfPost(id));
      const flagged = await flagPost(db, viewer, id, request.body, deps);
      return reply.status(201).send({ postId: flagged.postId, hidden: flagged.hidden });
    },
  );

  api.post(
    '/posts/:id/flags/decision',
    {
      config: { scope: 'moderate' },
      schema: {
        tags: TAGS,
        summary: "Decide about a flagged post's flags",
        description:
          'As on the review page: `approve` keeps it up (showing it again if flags hid it), `hide`, `delete`, ' +
          '`warning` (set its content warning), `warn` its author privately, `silence` them for `days`, or ' +
          '`remove` them from the group (`ban` to keep them out). `warn`, `silence` and `remove` need a ' +
          '`message`, and may hide the post too (`alsoHide`). Closes the open flags; the flaggers are told ' +
          'what was decided, never by whom. Audited.',
        params: postParams,
        body: z.object({
          decision: z.enum(decisions),
          message: z.string().max(1000).optional(),
          days: z
            .number()
            .int()
            .refine((d) => (silenceDays as readonly number[]).includes(d), `one of ${silenceDays.join(', ')}`)
            .optional(),
          contentWarning: z.string().max(1000).optional(),
          alsoHide: z.boolean().optional(),
          ban: z.boolean().optional(),
        }),
        response: { 200: z.object({ postId: z.number().int(), decision: z.enum(decisions) }) },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      const { id } = request.params;
      await assertTokenReachesGroupOf(db, request, groupOfPost(id));
      const { days, ...rest } = request.body;
      const { decision } = await decideFlags(
        db,
        viewer,
        id,
        { ...rest, ...(days === undefined ? {} : { days: String(days) }) },
        deps,
      );
      return { postId: id, decision };
    },
  );

  for (const [action, flag, on] of [
    ['lock', 'locked', true],
    ['unlock', 'locked', false],
    ['pin', 'pinned', true],
    ['unpin', 'pinned', false],
  ] as const) {
    api.post(
      `/threads/:id/${action}`,
      {
        config: { scope: 'moderate' },
        schema: {
          tags: TAGS,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a thread`,
          description:
            flag === 'locked'
              ? on
                ? 'No more replies. For moderators; audited.'
                : 'Replies are open again. For moderators; audited.'
              : on
                ? "Keeps the thread at the top of the group's list. For moderators; audited."
                : 'The thread takes its place by activity again. For moderators; audited.',
          params: threadParams,
          response: { 200: z.object({ threadId: z.number().int(), locked: z.boolean(), pinned: z.boolean() }) },
        },
      },
      async (request) => {
        const viewer = apiViewer(request);
        const { id } = request.params;
        await assertTokenReachesGroupOf(db, request, groupOfThread(id));
        const thread = await setThreadFlag(db, viewer, id, flag, on);
        return { threadId: thread.id, locked: thread.locked, pinned: thread.pinned };
      },
    );
  }
};
