import { loggedIn, allowIf, manages } from './oracle.js';
import { NO_GROUP, shows, type GroupCase, type SiteCase } from './cases.js';

/*
 * The permission table's cases for group agreements and welcomes (run by table.ts with the rest).
 * The fixture groups have no agreements, and these cases leave them without any (an empty body
 * writes none), so that joining elsewhere in the table needs no box ticked.
 */
export const groupCases: GroupCase[] = [
  {
    method: 'GET',
    route: '/g/:slug/agreements',
    // Public like the about page: people read them before deciding to join.
    request: (g) => ({ url: `/g/${g.slug}/agreements`, missing: `/g/${NO_GROUP}/agreements` }),
    expect: () => 'ok',
    check: (body, r) => shows(body, 'Edit the agreements and welcome', manages(r)),
  },
  {
    method: 'GET',
    route: '/g/:slug/agreements/edit',
    request: (g) => ({ url: `/g/${g.slug}/agreements/edit`, missing: `/g/${NO_GROUP}/agreements/edit` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/agreements/edit',
    request: (g) => ({
      url: `/g/${g.slug}/agreements/edit`,
      form: { body: '', welcomeMessage: 'Welcome, and take your time.' },
      missing: `/g/${NO_GROUP}/agreements/edit`,
    }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/agreements/accept',
    // Members asked to accept again, and people about to pay to join; never someone banned.
    request: (g) => ({ url: `/g/${g.slug}/agreements/accept`, form: {}, missing: `/g/${NO_GROUP}/agreements/accept` }),
    expect: (r) => loggedIn(r, () => allowIf(r !== 'banned')),
  },
];
export const siteCases: SiteCase[] = [];
