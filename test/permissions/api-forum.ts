import type { ApiGroupCase, ApiSiteCase } from './cases.js';
import { NO_GROUP, NO_ID, permissionWorld, shows } from './cases.js';
import { allowIf, moderates, onContent, readsDiscussions, refused, takesPart, loggedIn } from './oracle.js';

/*
 * The JSON API permission cases for threads, posts, replies and reactions (run by table.ts's 'api'
 * part). Each mirrors the page or form that does the same (table.ts: '/g/:slug', '/g/:slug/t/:id',
 * '/g/:slug/threads/new', '/threads/:id/replies', '/posts/:id/reactions/:kind', '/posts/:id/edit'),
 * except that a group's threads are not found, rather than an empty list, by those who may not read them.
 */

const pw = () => permissionWorld();

export const apiGroupCases: ApiGroupCase[] = [
  {
    method: 'GET',
    route: '/api/v1/groups/:slug/threads',
    request: (g) => ({
      url: `/api/v1/groups/${g.slug}/threads?limit=100`,
      missing: `/api/v1/groups/${NO_GROUP}/threads`,
    }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
    check: (body, r, g) => [
      ...shows(body, g.thread.title, true),
      ...shows(body, g.hiddenThread.title, moderates(r)),
      ...shows(body, g.pendingThread.title, moderates(r) || r === 'member'),
    ],
  },
  {
    method: 'GET',
    route: '/api/v1/threads/:id',
    label: 'published thread',
    request: (g) => ({ url: `/api/v1/threads/${g.thread.id}`, missing: `/api/v1/threads/${NO_ID}` }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
    // The member started it under their name in the group; nothing of their account shows.
    check: (body) => shows(body, pw().people.member.email, false),
  },
  {
    method: 'GET',
    route: '/api/v1/threads/:id',
    label: 'opening post hidden by a moderator',
    request: (g) => ({ url: `/api/v1/threads/${g.hiddenThread.id}`, missing: `/api/v1/threads/${NO_ID}` }),
    expect: (r) => (moderates(r) ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/api/v1/threads/:id',
    label: "the member's thread awaiting approval",
    request: (g) => ({ url: `/api/v1/threads/${g.pendingThread.id}`, missing: `/api/v1/threads/${NO_ID}` }),
    expect: (r) => (moderates(r) || r === 'member' ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/api/v1/threads/:id/posts',
    request: (g) => ({ url: `/api/v1/threads/${g.thread.id}/posts`, missing: `/api/v1/threads/${NO_ID}/posts` }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
    check: (body) => shows(body, pw().people.member.email, false),
  },
  // Taking part.
  {
    method: 'POST',
    route: '/api/v1/groups/:slug/threads',
    request: (g) => ({
      url: `/api/v1/groups/${g.slug}/threads`,
      body: { title: 'Checking in', body: 'A quiet week here.' },
    }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/api/v1/threads/:id/posts',
    async request(g) {
      const t = await pw().freshThread(g);
      return {
        url: `/api/v1/threads/${t.id}/posts`,
        body: { body: 'Thinking of you.' },
        missing: `/api/v1/threads/${NO_ID}/posts`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/api/v1/posts/:id/reactions',
    async request(g) {
      const t = await pw().freshThread(g);
      return {
        url: `/api/v1/posts/${t.replyId}/reactions`,
        body: { kind: 'support' },
        missing: `/api/v1/posts/${NO_ID}/reactions`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'DELETE',
    route: '/api/v1/posts/:id/reactions/:kind',
    async request(g) {
      const t = await pw().freshThread(g);
      return {
        url: `/api/v1/posts/${t.replyId}/reactions/support`,
        missing: `/api/v1/posts/${NO_ID}/reactions/support`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  // Authors' own posts: the member wrote them. Others are refused; how is the code's choice.
  {
    method: 'PATCH',
    route: '/api/v1/posts/:id',
    async request(g) {
      const t = await pw().freshThread(g);
      return {
        url: `/api/v1/posts/${t.replyId}`,
        body: { body: 'Edited: a better week.' },
        missing: `/api/v1/posts/${NO_ID}`,
      };
    },
    expect: (r, k) => onContent(r, k, () => (r === 'member' ? 'ok' : refused)),
  },
];

export const apiSiteCases: ApiSiteCase[] = [];
