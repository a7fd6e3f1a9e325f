import type { GroupFixture, Person, Role } from '../helpers/permission-world.js';
import type { ApiGroupCase, ApiSiteCase } from './cases.js';
import { NO_GROUP, NO_ID, permissionWorld, shows } from './cases.js';
import { allowIf, loggedIn, manages, moderates, seesMembers } from './oracle.js';

/*
 * The JSON API permission cases for members, bans and applications (run by table.ts's 'api' part).
 * Each mirrors the page or form that does the same (table.ts: '/g/:slug/members',
 * '/g/:slug/members/:name/role', '/g/:slug/members/:name/remove', '/g/:slug/bans/:name/lift',
 * '/g/:slug/applications', '/applications/:id/decision'); people are named by their names in the group.
 */

const pw = () => permissionWorld();

async function freshMember(g: GroupFixture, role: Role = 'member'): Promise<Person> {
  const person = await pw().freshPerson();
  await pw().giveRole(person, role, g);
  return person;
}
const named = (p: Person) => encodeURIComponent(p.pseudonym);

export const apiGroupCases: ApiGroupCase[] = [
  {
    method: 'GET',
    route: '/api/v1/groups/:slug/members',
    request: (g) => ({
      url: `/api/v1/groups/${g.slug}/members?limit=100`,
      missing: `/api/v1/groups/${NO_GROUP}/members`,
    }),
    expect: (r, k) => loggedIn(r, () => allowIf(seesMembers(r, k))),
    check: (body) => [
      ...shows(body, `"name":"${pw().people.member.pseudonym}"`, true),
      ...shows(body, pw().people.member.email, false),
      ...shows(body, '"id":', false),
    ],
  },
  {
    method: 'PUT',
    route: '/api/v1/groups/:slug/members/:name/role',
    async request(g) {
      const target = await freshMember(g);
      return { url: `/api/v1/groups/${g.slug}/members/${named(target)}/role`, body: { role: 'moderator' } };
    },
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/api/v1/groups/:slug/members/:name/remove',
    async request(g) {
      const target = await freshMember(g);
      return {
        url: `/api/v1/groups/${g.slug}/members/${named(target)}/remove`,
        body: { reason: 'Repeated unkind posts', ban: true },
      };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/api/v1/groups/:slug/bans',
    request: (g) => ({ url: `/api/v1/groups/${g.slug}/bans?limit=100`, missing: `/api/v1/groups/${NO_GROUP}/bans` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
    check: (body) => [
      ...shows(body, `"name":"${pw().people.banned.pseudonym}"`, true),
      ...shows(body, pw().people.banned.email, false),
    ],
  },
  {
    method: 'DELETE',
    route: '/api/v1/groups/:slug/bans/:name',
    async request(g) {
      const target = await freshMember(g, 'banned');
      return { url: `/api/v1/groups/${g.slug}/bans/${named(target)}` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/api/v1/groups/:slug/applications',
    request: (g) => ({
      url: `/api/v1/groups/${g.slug}/applications?limit=100`,
      missing: `/api/v1/groups/${NO_GROUP}/applications`,
    }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  ...(['approve', 'decline'] as const).map((decision): ApiGroupCase => ({
    method: 'POST',
    route: `/api/v1/applications/:id/${decision}`,
    async request(g) {
      const id = await pw().freshApplication(g);
      return {
        url: `/api/v1/applications/${id}/${decision}`,
        body: { message: 'Thank you for applying.' },
        missing: `/api/v1/applications/${NO_ID}/${decision}`,
      };
    },
    // Applications are seen only by those who review them: to anyone else one does not exist.
    expect: (r) => loggedIn(r, () => (moderates(r) ? 'ok' : 'notFound')),
  })),
];
export const apiSiteCases: ApiSiteCase[] = [];
