import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { apiClientFor, ApiClient } from '../../../test/helpers/api.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { users } from '../accounts/schema.js';
import { applyToGroup } from './applications.js';
import { joinGroup } from './membership.js';
import { auditLog, groups, memberships } from './schema.js';

/*
 * Members and applications through /api/v1, as a leader's program (or a member's) would use them:
 * the list as the members page shows it to each, and the leaders' changes through the same services.
 */

let world: TestWorld;
const db = () => world.database.db;
let made = 0;

type Person = { id: number; pseudonym: string; email: string };
async function person(name: string): Promise<Person> {
  made += 1;
  return world.createUser(`${name} ${made}`);
}
const actor = (p: Person) => ({ id: p.id, pseudonym: p.pseudonym, isAdmin: false });
const tokenOf = (p: Person, scopes?: ('read' | 'write' | 'moderate' | 'admin')[]) =>
  apiClientFor(world.app, db(), p.id, scopes ? { scopes } : {});

async function setUp() {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner);
  const join = async (name: string, alias?: string) => {
    const p = await person(name);
    await joinGroup(db(), actor(p), group.slug, alias ? { alias } : {});
    return p;
  };
  return { owner, group, join };
}

beforeAll(async () => {
  world = await createWorld();
  await world.createUser('Site Admin'); // the first account administers the site
});
afterAll(async () => {
  await world.close();
});

describe('GET /api/v1/groups/:slug/members', () => {
  it('lists members by their names in the group, hiding those who keep their membership to themselves', async () => {
    const { owner, group, join } = await setUp();
    const open = await join('Open');
    const quiet = await join('Quiet');
    const aliased = await join('Aliased', 'Willow Grey');
    await db().update(users).set({ membershipVisibility: 'nobody' }).where(eq(users.id, quiet.id));

    const asOwner = await (await tokenOf(owner)).get(`/api/v1/groups/${group.slug}/members`);
    expect(asOwner.statusCode, asOwner.body).toBe(200);
    const names = asOwner.json().items.map((m: { name: string }) => m.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining([owner.pseudonym, open.pseudonym, quiet.pseudonym, 'Willow Grey']));
    expect(asOwner.json().items.find((m: { name: string }) => m.name === quiet.pseudonym)).toMatchObject({
      role: 'member',
      hidden: true,
    });
    // Never the pseudonym behind an alias, an account id or an address.
    expect(asOwner.body).not.toContain(aliased.pseudonym);
    expect(asOwner.body).not.toContain('@example.org');
    expect(asOwner.body).not.toMatch(/"(id|userId)"/);

    const asMember = await (await tokenOf(open)).get(`/api/v1/groups/${group.slug}/members`);
    const seen = asMember.json().items as { name: string; hidden: boolean | null; self: boolean }[];
    expect(seen.map((m) => m.name)).not.toContain(quiet.pseudonym);
    expect(seen.map((m) => m.name)).toContain(owner.pseudonym);
    expect(seen.find((m) => m.name === owner.pseudonym)!.hidden).toBeNull();
    expect(seen.find((m) => m.self)!.name).toBe(open.pseudonym);

    // The quiet member sees themself.
    const asQuiet = await (await tokenOf(quiet)).get(`/api/v1/groups/${group.slug}/members`);
    expect(asQuiet.json().items.map((m: { name: string }) => m.name)).toContain(quiet.pseudonym);

    const stranger = await tokenOf(await person('Stranger'));
    expect((await stranger.get(`/api/v1/groups/${group.slug}/members`)).statusCode).toBe(403);
    expect((await new ApiClient(world.app, null).get(`/api/v1/groups/${group.slug}/members`)).statusCode).toBe(401);
  });

  it('pages through members by name', async () => {
    const { owner, group, join } = await setUp();
    await join('Amber');
    await join('Birch');
    const api = await tokenOf(owner);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const url: string = `/api/v1/groups/${group.slug}/members?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await api.get(url)).json() as { items: { name: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((m) => m.name));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    expect(cursor).toBeNull();
  });
});

describe('managing members', () => {
  it("lets the owner change a role, by the member's name, with the admin scope only", async () => {
    const { owner, group, join } = await setUp();
    const helper = await join('Helper', 'Kind Heron');
    const url = `/api/v1/groups/${group.slug}/members/${encodeURIComponent('Kind Heron')}/role`;

    const narrow = await tokenOf(owner, ['read', 'write', 'moderate']);
    const scoped = await narrow.put(url, { role: 'moderator' });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().type).toMatch(/#problem-insufficient-scope$/);

    const res = await (await tokenOf(owner)).put(url, { role: 'moderator' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ name: 'Kind Heron', role: 'moderator' });
    const [m] = await db().select().from(memberships).where(eq(memberships.userId, helper.id));
    expect(m!.role).toBe('moderator');
    const audit = await db().select().from(auditLog).where(eq(auditLog.groupId, group.id));
    expect(audit.map((a) => a.action)).toContain('change_role');

    // A moderator may not appoint anyone: that is the owner's.
    const other = await join('Other');
    const asModerator = await (
      await tokenOf(helper)
    ).put(`/api/v1/groups/${group.slug}/members/${encodeURIComponent(other.pseudonym)}/role`, { role: 'moderator' });
    expect(asModerator.statusCode).toBe(403);
    expect(asModerator.headers['content-type']).toMatch(/^application\/problem\+json/);

    const unknown = await (
      await tokenOf(owner)
    ).put(`/api/v1/groups/${group.slug}/members/${encodeURIComponent('Nobody Here')}/role`, { role: 'moderator' });
    expect(unknown.statusCode).toBe(404);
  });

  it('lets a moderator remove and ban a member, list the ban and lift it', async () => {
    const { owner, group, join } = await setUp();
    const moderator = await join('Moderator');
    await db().update(memberships).set({ role: 'moderator' }).where(eq(memberships.userId, moderator.id));
    const troubled = await join('Troubled');
    const api = await tokenOf(moderator);
    const name = encodeURIComponent(troubled.pseudonym);

    const noReason = await api.post(`/api/v1/groups/${group.slug}/members/${name}/remove`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(Object.keys(noReason.json().errors)).toContain('reason');

    const removed = await api.post(`/api/v1/groups/${group.slug}/members/${name}/remove`, {
      reason: 'Repeated unkind posts',
      ban: true,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ name: troubled.pseudonym, removed: true, banned: true });
    const theirs = await tokenOf(troubled);
    expect((await theirs.get(`/api/v1/groups/${group.slug}/members`)).statusCode).toBe(403);

    const bans = await api.get(`/api/v1/groups/${group.slug}/bans`);
    expect(bans.json().items).toEqual([expect.objectContaining({ name: troubled.pseudonym, anonymousPostId: null })]);

    const lifted = await api.delete(`/api/v1/groups/${group.slug}/bans/${name}`);
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect((await api.get(`/api/v1/groups/${group.slug}/bans`)).json().items).toEqual([]);
    expect(owner.id).toBeGreaterThan(0);
  });
});

describe('applications', () => {
  async function approvalGroup() {
    const { owner, group, join } = await setUp();
    const member = await join('Member');
    await db()
      .update(groups)
      .set({ joinPolicy: 'approval', entryQuestions: ['What brings you here?'] })
      .where(eq(groups.id, group.id));
    return { owner, group, member };
  }

  it('shows the leaders each applicant by the name they applied under, with their answers, and decides', async () => {
    const { owner, group, member } = await approvalGroup();
    const applicant = await person('Applicant');
    const second = await person('Second');
    const application = await applyToGroup(db(), actor(applicant), group.slug, {
      answers: ['My mother was diagnosed last spring.'],
      alias: 'Sea Glass',
    });
    const other = await applyToGroup(db(), actor(second), group.slug, { answers: ['A friend sent me.'] });
    const api = await tokenOf(owner);

    const list = await api.get(`/api/v1/groups/${group.slug}/applications?limit=1`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([
      {
        id: application.id,
        applicant: 'Sea Glass',
        answers: [{ question: 'What brings you here?', answer: 'My mother was diagnosed last spring.' }],
        createdAt: expect.any(String),
      },
    ]);
    expect(list.body).not.toContain(applicant.pseudonym);
    const next = await api.get(
      `/api/v1/groups/${group.slug}/applications?limit=1&cursor=${encodeURIComponent(list.json().nextCursor)}`,
    );
    expect(next.json().items.map((a: { id: number }) => a.id)).toEqual([other.id]);
    expect(next.json().nextCursor).toBeNull();

    // A member who does not review applications is refused, as on the page; a token without 'moderate' too.
    expect((await (await tokenOf(member)).get(`/api/v1/groups/${group.slug}/applications`)).statusCode).toBe(403);
    const reader = await tokenOf(owner, ['read', 'write']);
    const scoped = await reader.post(`/api/v1/applications/${application.id}/approve`, {});
    expect(scoped.json().type).toMatch(/#problem-insufficient-scope$/);
    const hidden = await (await tokenOf(member)).post(`/api/v1/applications/${application.id}/approve`, {});
    expect(hidden.statusCode).toBe(404);

    const approved = await api.post(`/api/v1/applications/${application.id}/approve`, { message: 'Welcome.' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toEqual({ id: application.id, status: 'approved' });
    const [m] = await db().select().from(memberships).where(eq(memberships.userId, applicant.id));
    expect(m).toBeDefined();
    const again = await api.post(`/api/v1/applications/${application.id}/decline`, {});
    expect(again.statusCode).toBe(400);

    const declined = await api.post(`/api/v1/applications/${other.id}/decline`, {});
    expect(declined.json()).toEqual({ id: other.id, status: 'declined' });
    expect((await api.get(`/api/v1/groups/${group.slug}/applications`)).json().items).toEqual([]);
  });
});
