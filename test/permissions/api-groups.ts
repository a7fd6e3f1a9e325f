import type { ApiGroupCase, ApiSiteCase } from './cases.js';
import { permissionWorld } from './cases.js';
import { holdsMembership, loggedIn, allowIf, readsDiscussions, takesPart } from './oracle.js';

/** The JSON API permission cases for groups, the directory, joining, leaving and applying (run by table.ts's 'api' part). */
export const apiGroupCases: ApiGroupCase[] = [
  {
    method: 'GET',
    route: '/api/v1/groups/:slug',
    request: (g) => ({ url: `/api/v1/groups/${g.slug}` }),
    // As its about page: "a group's name, summary and description page are always public", unlisted ones by their address.
    expect: () => 'ok',
    // The caller's own standing, as the README gives it for the role; never anyone else's.
    check: (body, r, g) => {
      const group = JSON.parse(body) as {
        slug: string;
        you: null | { canRead: boolean; canTakePart: boolean; member: boolean };
      };
      const problems: string[] = [];
      if (group.slug !== g.slug) problems.push(`answers for ${group.slug}`);
      if (r === 'visitor') return group.you === null ? problems : [...problems, 'gives a visitor a standing'];
      if (!group.you) return [...problems, 'gives no standing'];
      if (group.you.canRead !== readsDiscussions(r, g.kind)) problems.push(`says canRead ${group.you.canRead}`);
      if (group.you.canTakePart !== takesPart(r, g.kind)) problems.push(`says canTakePart ${group.you.canTakePart}`);
      if (r !== 'banned' && group.you.member !== holdsMembership(r)) problems.push(`says member ${group.you.member}`);
      return problems;
    },
  },
  // Coming in, as the pages' forms (/g/:slug/join, /leave, /apply).
  {
    method: 'POST',
    route: '/api/v1/groups/:slug/join',
    fresh: true,
    request: (g) => ({ url: `/api/v1/groups/${g.slug}/join`, body: {} }),
    expect: (r, k) =>
      loggedIn(r, () => {
        if (r === 'banned') return 'forbidden';
        if (holdsMembership(r)) return 'ok'; // already in: nothing to do
        return allowIf(k.policy === 'open');
      }),
  },
  {
    method: 'POST',
    route: '/api/v1/groups/:slug/leave',
    fresh: true, // a fresh owner is never the last owner
    request: (g) => ({ url: `/api/v1/groups/${g.slug}/leave`, body: {} }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/api/v1/groups/:slug/applications',
    fresh: true,
    request: (g) => ({
      url: `/api/v1/groups/${g.slug}/applications`,
      body: { answers: ['A friend told me about it.'] },
    }),
    expect: (r, k) =>
      loggedIn(r, () => {
        if (r === 'banned' || k.policy !== 'approval') return 'forbidden';
        return holdsMembership(r) ? 'invalid' : 'ok';
      }),
  },
];

export const apiSiteCases: ApiSiteCase[] = [
  {
    method: 'GET',
    route: '/api/v1/groups',
    request: () => ({ url: '/api/v1/groups?limit=100' }),
    // The directory: open to everyone, and only listed groups, whoever asks (members of unlisted ones too).
    expect: () => 'ok',
    check: (body) =>
      permissionWorld().groups.flatMap((g) =>
        body.includes(`"slug":"${g.slug}"`) === g.kind.listed
          ? []
          : [`${g.kind.listed ? 'leaves out' : 'lists'} the ${g.kind.name} group`],
      ),
  },
];
