import type { ApiGroupCase, ApiSiteCase } from './cases.js';
import { permissionWorld } from './cases.js';
import { administers, loggedIn } from './oracle.js';

/** The JSON API permission cases for the account (/api/v1/me) and the API document. */
export const apiGroupCases: ApiGroupCase[] = [];
export const apiSiteCases: ApiSiteCase[] = [
  {
    method: 'GET',
    route: '/api/v1/me',
    request: () => ({ url: '/api/v1/me' }),
    expect: (r) => loggedIn(r, () => 'ok'),
    // The token's own person, by pseudonym, and nothing else of theirs (no email, no id).
    check: (body, r) => {
      const me = JSON.parse(body) as Record<string, unknown>;
      const person = r === 'visitor' ? null : permissionWorld().people[r];
      const problems: string[] = [];
      if (me.pseudonym !== person?.pseudonym) problems.push(`names ${String(me.pseudonym)}`);
      if (person && body.includes(person.email)) problems.push('shows the email address');
      return problems;
    },
  },
  {
    method: 'GET',
    route: '/api/v1/openapi.json',
    request: () => ({ url: '/api/v1/openapi.json' }),
    expect: () => 'ok',
    check: (body) => (body.includes('"openapi":"3.1.0"') ? [] : ['is not an OpenAPI 3.1 document']),
  },
  {
    method: 'DELETE',
    route: '/api/v1/me/token',
    // Revokes the token it is sent with: each role with a token of its own.
    fresh: true,
    request: () => ({ url: '/api/v1/me/token' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/api/v1/organisations/:slug',
    request: () => ({
      url: `/api/v1/organisations/${permissionWorld().organisation.slug}`,
      missing: '/api/v1/organisations/no-such-organisation',
    }),
    expect: () => 'ok',
    // Unlisted groups stay off it, but for the organisation's administrators.
    check: (body, r) => {
      const shown = new Set((JSON.parse(body) as { groups: { slug: string }[] }).groups.map((g) => g.slug));
      const problems: string[] = [];
      for (const g of permissionWorld().groups) {
        const visible = g.kind.listed || administers(r);
        if (shown.has(g.slug) !== visible) problems.push(`${visible ? 'leaves out' : 'shows'} ${g.kind.name}`);
      }
      return problems;
    },
  },
];
