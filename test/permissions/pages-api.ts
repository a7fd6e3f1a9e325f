import { createApiToken } from '../../src/features/api/index.js';
import type { Person } from '../helpers/permission-world.js';
import { NO_ID, permissionWorld, type GroupCase, type SiteCase } from './cases.js';
import { administers, allowIf, loggedIn } from './oracle.js';

/*
 * The permission table's cases for access tokens and the API reference (run by table.ts with the
 * rest). The README's rules: a person's tokens are theirs alone; an organisation's tokens are its
 * administrators' (and site admins'), like the rest of running the organisation; the reference
 * is for everyone.
 */

const ORG = 'permission-trust';
const tokenForm = { name: 'Permission case', scopes: 'read', expires: '30' };

/** A token written through the service: the person's own, or the organisation's (made by the site admin). */
async function freshToken(owner: { person: Person } | 'organisation'): Promise<number> {
  const pw = permissionWorld();
  const made = await createApiToken(
    pw.world.database.db,
    owner === 'organisation' ? pw.people.siteAdmin.id : owner.person.id,
    {
      name: 'Permission case',
      scopes: ['read'],
      expiresAt: null,
      organisationId: owner === 'organisation' ? pw.organisation.id : null,
    },
  );
  return made.id;
}

/** No page ever shows a whole token again once it was made. */
const noWholeToken = (body: string) => (/mutual_[A-Za-z0-9_-]{43}/u.test(body) ? ['shows a whole token'] : []);

export const groupCases: GroupCase[] = [];
export const siteCases: SiteCase[] = [
  { method: 'GET', route: '/api/docs', request: () => ({ url: '/api/docs' }), expect: () => 'ok' },
  {
    method: 'GET',
    route: '/account/tokens',
    request: () => ({ url: '/account/tokens' }),
    expect: (r) => loggedIn(r, () => 'ok'),
    check: noWholeToken,
  },
  {
    method: 'POST',
    route: '/account/tokens',
    request: () => ({ url: '/account/tokens', form: tokenForm }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/tokens/:id/revoke',
    fresh: true,
    request: async (actor) => ({
      url: `/account/tokens/${actor ? await freshToken({ person: actor }) : NO_ID}/revoke`,
      missing: `/account/tokens/${NO_ID}/revoke`,
    }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/tokens/:id/revoke',
    fresh: true,
    request: async (actor) => ({
      url: `/account/tokens/${actor ? await freshToken({ person: actor }) : NO_ID}/revoke`,
      missing: `/account/tokens/${NO_ID}/revoke`,
    }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/tokens/:id/revoke',
    label: 'someone else’s',
    request: async () => ({
      url: `/account/tokens/${await freshToken({ person: await permissionWorld().freshPerson() })}/revoke`,
      missing: `/account/tokens/${NO_ID}/revoke`,
    }),
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  {
    method: 'GET',
    route: '/o/:slug/tokens',
    request: () => ({ url: `/o/${ORG}/tokens` }),
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
    check: noWholeToken,
  },
  {
    method: 'POST',
    route: '/o/:slug/tokens',
    request: () => ({ url: `/o/${ORG}/tokens`, form: tokenForm }),
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  {
    method: 'GET',
    route: '/o/:slug/tokens/:id/revoke',
    request: async () => ({ url: `/o/${ORG}/tokens/${await freshToken('organisation')}/revoke` }),
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  {
    method: 'POST',
    route: '/o/:slug/tokens/:id/revoke',
    request: async () => ({ url: `/o/${ORG}/tokens/${await freshToken('organisation')}/revoke` }),
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
];
