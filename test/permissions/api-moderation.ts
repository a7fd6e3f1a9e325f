import { eq } from 'drizzle-orm';
import { posts } from '../../src/features/forum/schema.js';
import { flags } from '../../src/features/moderation/schema.js';
import type { GroupFixture } from '../helpers/permission-world.js';
import type { ApiGroupCase, ApiSiteCase } from './cases.js';
import { NO_GROUP, NO_ID, permissionWorld, shows } from './cases.js';
import { allowIf, loggedIn, moderates, onContent, takesPart } from './oracle.js';

/*
 * The JSON API permission cases for moderation (run by table.ts's 'api' part). Each mirrors the
 * page or form that does the same (table.ts: '/g/:slug/review', '/posts/:id/review',
 * '/posts/:id/hide', '/posts/:id/restore', '/posts/:id/flag', '/posts/:id/flags/decision',
 * '/threads/:id/lock' and the rest).
 */

const pw = () => permissionWorld();
const db = () => pw().world.database.db;

/** A fresh reply of the member's with an open flag from someone outside the table's roles. */
async function flaggedReply(g: GroupFixture): Promise<number> {
  const t = await pw().freshThread(g);
  const flagger = await pw().freshPerson();
  await db()
    .insert(flags)
    .values({ groupId: g.id, postId: t.replyId, threadId: t.id, flaggerId: flagger.id, reason: 'spam' });
  return t.replyId;
}

export const apiGroupCases: ApiGroupCase[] = [
  {
    method: 'GET',
    route: '/api/v1/groups/:slug/review',
    request: (g) => ({
      url: `/api/v1/groups/${g.slug}/review?limit=100`,
      missing: `/api/v1/groups/${NO_GROUP}/review`,
    }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
    // The member's thread waiting for approval is in the queue, under their name in the group, never their address.
    check: (body) => [
      ...shows(body, `"author":"${pw().people.member.pseudonym}"`, true),
      ...shows(body, pw().people.member.email, false),
    ],
  },
  ...(['approve', 'reject'] as const).map((decision): ApiGroupCase => ({
    method: 'POST',
    route: `/api/v1/posts/:id/${decision}`,
    label: "the member's reply awaiting approval",
    async request(g) {
      const t = await pw().freshThread(g, { status: 'pending' });
      return { url: `/api/v1/posts/${t.replyId}/${decision}`, body: {}, missing: `/api/v1/posts/${NO_ID}/${decision}` };
    },
    // A pending post is seen only by its author and those who review it; to others it does not exist.
    expect: (r) => loggedIn(r, () => (moderates(r) ? 'ok' : r === 'member' ? 'forbidden' : 'notFound')),
  })),
  {
    method: 'POST',
    route: '/api/v1/posts/:id/hide',
    async request(g) {
      const t = await pw().freshThread(g);
      return { url: `/api/v1/posts/${t.replyId}/hide`, body: {}, missing: `/api/v1/posts/${NO_ID}/hide` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
    check: (body) => shows(body, '"hidden":true', true),
  },
  {
    method: 'POST',
    route: '/api/v1/posts/:id/restore',
    label: 'a hidden reply',
    async request(g) {
      const t = await pw().freshThread(g, { hidden: true });
      return { url: `/api/v1/posts/${t.replyId}/restore`, body: {}, missing: `/api/v1/posts/${NO_ID}/restore` };
    },
    // Only moderators see a hidden post: to anyone else it does not exist.
    expect: (r) => loggedIn(r, () => (moderates(r) ? 'ok' : 'notFound')),
    check: (body) => shows(body, '"hidden":false', true),
  },
  {
    method: 'POST',
    route: '/api/v1/posts/:id/flags',
    label: "someone else's reply",
    async request(g) {
      const t = await pw().freshThread(g);
      await db()
        .update(posts)
        .set({ authorId: (await pw().freshPerson()).id })
        .where(eq(posts.id, t.replyId));
      return {
        url: `/api/v1/posts/${t.replyId}/flags`,
        body: { reason: 'spam' },
        missing: `/api/v1/posts/${NO_ID}/flags`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/api/v1/posts/:id/flags/decision',
    label: 'a reply with an open flag',
    async request(g) {
      const id = await flaggedReply(g);
      return {
        url: `/api/v1/posts/${id}/flags/decision`,
        body: { decision: 'approve' },
        missing: `/api/v1/posts/${NO_ID}/flags/decision`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
  ...(['lock', 'unlock', 'pin', 'unpin'] as const).map((action): ApiGroupCase => ({
    method: 'POST',
    route: `/api/v1/threads/:id/${action}`,
    async request(g) {
      const t = await pw().freshThread(g);
      return { url: `/api/v1/threads/${t.id}/${action}`, body: {}, missing: `/api/v1/threads/${NO_ID}/${action}` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  })),
];
export const apiSiteCases: ApiSiteCase[] = [];
