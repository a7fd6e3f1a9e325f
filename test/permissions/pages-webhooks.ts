import { webhooks } from '../../src/features/webhooks/schema.js';
import type { GroupFixture } from '../helpers/permission-world.js';
import { NO_ID, permissionWorld, shows, type Form, type GroupCase, type Req, type SiteCase } from './cases.js';
import { administers, allowIf, loggedIn, manages } from './oracle.js';

/*
 * The permission table's cases for webhooks (run by table.ts with the rest). The README's rules:
 * a group's settings are its owners' (and the organisation's admins' and site admins'), and a
 * webhook is one of them; an organisation's webhooks are its admins' (and site admins'), like the
 * rest of running the organisation. Everyone else is refused, whatever they may read.
 */

/** Where the cases' webhooks point: https, a name, never delivered to (the test world reaches loopback only). */
const URL = 'https://hooks.example.org/mutual';

type Owner = { groupId: number } | { organisationId: number };

/** A webhook written straight to the table, on and listening for meetings. */
async function freshWebhook(owner: Owner, url = URL): Promise<number> {
  const [row] = await permissionWorld()
    .world.database.db.insert(webhooks)
    .values({ ...owner, url, secret: 'whsec_permission-case', events: ['meeting.scheduled'] })
    .returning({ id: webhooks.id });
  return row!.id;
}

// The cases' targets, one of each per group (or for the organisation), made on first use.
const shared = new Map<string, Promise<number>>();
function sharedWebhook(key: string, owner: Owner, purpose: 'read' | 'switch'): Promise<number> {
  const name = `${key}:${purpose}`;
  if (!shared.has(name)) shared.set(name, freshWebhook(owner, `${URL}/${purpose}`));
  return shared.get(name)!;
}

const registerForm: Form = { url: URL, events: 'meeting.scheduled' };

interface Shape {
  method: 'GET' | 'POST';
  route: string;
  request(base: string, key: string, owner: Owner): Promise<Req> | Req;
  check?(body: string, allowed: boolean): string[];
}

/** The same requests for a group's webhooks and an organisation's. */
const shapes: Shape[] = [
  {
    method: 'GET',
    route: '',
    request: (base) => ({ url: base }),
    check: (body, allowed) => shows(body, 'name="events"', allowed),
  },
  {
    method: 'POST',
    route: '',
    request: (base) => ({ url: base, form: registerForm }),
    // The secret is shown to whoever registered, in this answer only.
    check: (body, allowed) => shows(body, 'id="webhook-secret"', allowed),
  },
  {
    method: 'GET',
    route: '/:id',
    request: async (base, key, owner) => ({
      url: `${base}/${await sharedWebhook(key, owner, 'read')}`,
      missing: `${base}/${NO_ID}`,
    }),
    // Never the secret, even for those who manage it.
    check: (body) => shows(body, 'whsec_permission-case', false),
  },
  {
    method: 'POST',
    route: '/:id/test',
    request: async (base, key, owner) => ({
      url: `${base}/${await sharedWebhook(key, owner, 'read')}/test`,
      missing: `${base}/${NO_ID}/test`,
    }),
  },
  ...(['disable', 'enable'] as const).map((action): Shape => ({
    method: 'POST',
    route: `/:id/${action}`,
    request: async (base, key, owner) => ({
      url: `${base}/${await sharedWebhook(key, owner, 'switch')}/${action}`,
      missing: `${base}/${NO_ID}/${action}`,
    }),
  })),
  {
    method: 'POST',
    route: '/:id/delete',
    request: async (base, _key, owner) => ({
      // Each its own: roles' requests may be made before any of them is sent.
      url: `${base}/${await freshWebhook(owner, `${URL}/delete-me`)}/delete`,
      missing: `${base}/${NO_ID}/delete`,
    }),
  },
];

const groupBase = (g: GroupFixture) => `/g/${g.slug}/webhooks`;

export const groupCases: GroupCase[] = shapes.map((s) => ({
  method: s.method,
  route: `/g/:slug/webhooks${s.route}`,
  request: (g) => s.request(groupBase(g), `g${g.id}`, { groupId: g.id }),
  expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  ...(s.check ? { check: (body: string, r) => s.check!(body, manages(r)) } : {}),
}));

export const siteCases: SiteCase[] = shapes.map((s) => ({
  method: s.method,
  route: `/o/:slug/webhooks${s.route}`,
  request: () => {
    const { organisation } = permissionWorld();
    return s.request(`/o/${organisation.slug}/webhooks`, `o${organisation.id}`, { organisationId: organisation.id });
  },
  expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  ...(s.check ? { check: (body: string, r) => s.check!(body, administers(r)) } : {}),
}));
