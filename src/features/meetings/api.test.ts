import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClientFor, ApiClient } from '../../../test/helpers/api.js';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { makeMeeting } from '../../../test/helpers/meetings.js';
import { joinGroup } from '../groups/index.js';
import { meetings } from './schema.js';

/*
 * Meetings through /api/v1, as a program acting for a person would use them: the dates it may
 * see, the place details its person may have, and answers with places and the waitlist.
 */

let world: TestWorld;
const db = () => world.database.db;
let made = 0;

async function person(name: string) {
  made += 1;
  return world.createUser(`${name} ${made}`);
}
const actor = (p: { id: number; pseudonym: string }) => ({ id: p.id, pseudonym: p.pseudonym, isAdmin: false });
const daysAhead = (days: number) => new Date(Date.now() + days * 24 * 3600_000);

async function groupWithOwner(visibility: 'public' | 'members' = 'public') {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner, { visibility });
  return { owner, group };
}

async function memberOf(slug: string, name = 'Member') {
  const p = await person(name);
  await joinGroup(db(), actor(p), slug);
  return { person: p, api: await apiClientFor(world.app, db(), p.id) };
}

beforeAll(async () => {
  world = await createWorld();
  await world.createUser('Site Admin'); // the first account administers the site
});
afterAll(async () => {
  await world.close();
});

describe('GET /api/v1/groups/:slug/meetings', () => {
  it("lists a public group's dates to a visitor without the phone number, and to a member with it", async () => {
    const { group } = await groupWithOwner();
    await makeMeeting(world, group, {
      starts: [daysAhead(3)],
      title: 'Phone circle',
      kind: 'phone',
      timeZone: 'America/New_York',
      dialIn: '0800 555 0100',
      dialInPin: '4242',
    });
    const visitor = new ApiClient(world.app, null);
    const res = await visitor.get(`/api/v1/groups/${group.slug}/meetings`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      title: 'Phone circle',
      kind: 'phone',
      timeZone: 'America/New_York',
      myAnswer: null,
      place: { dialIn: null, dialInPin: null },
    });
    expect(res.body).not.toContain('0800 555 0100');
    expect(page.items[0].startsAt).toMatch(/Z$/);

    const { api } = await memberOf(group.slug);
    const mine = await api.get(`/api/v1/groups/${group.slug}/meetings`);
    expect(mine.json().items[0].place).toMatchObject({ dialIn: '0800 555 0100', dialInPin: '4242' });

    // One date, likewise: a visitor never has the number, nor who is coming.
    const one = await visitor.get(`/api/v1/meetings/${page.items[0].id}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain('0800 555 0100');
    expect(one.json().attendees).toBeNull();
  });

  it('pages through dates soonest first with a cursor', async () => {
    const { group } = await groupWithOwner();
    await makeMeeting(world, group, { starts: [daysAhead(1), daysAhead(2), daysAhead(3)], title: 'Weekly' });
    const { api } = await memberOf(group.slug);
    const first = await api.get(`/api/v1/groups/${group.slug}/meetings?limit=2`);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await api.get(
      `/api/v1/groups/${group.slug}/meetings?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`,
    );
    const page2 = second.json();
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const starts = [...page1.items, ...page2.items].map((i: { startsAt: string }) => i.startsAt);
    expect(starts).toEqual([...starts].sort());
    expect(new Set(starts).size).toBe(3);

    const bad = await api.get(`/api/v1/groups/${group.slug}/meetings?cursor=nonsense`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("keeps a members-only group's meetings from visitors and non-members", async () => {
    const { group } = await groupWithOwner('members');
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [daysAhead(2)], title: 'Private circle' });
    const stranger = await apiClientFor(world.app, db(), (await person('Stranger')).id);
    const list = await stranger.get(`/api/v1/groups/${group.slug}/meetings`);
    expect([403, 404]).toContain(list.statusCode);
    expect(list.body).not.toContain('Private circle');
    const one = await stranger.get(`/api/v1/meetings/${occurrenceIds[0]}`);
    expect(one.statusCode).toBe(404);
    const none = await stranger.get(`/api/v1/meetings/2000000000`);
    expect(one.body).toBe(none.body);
  });
});

describe('POST /api/v1/meetings/:occurrenceId/rsvp', () => {
  it('gives the last place to one of two members answering at once and waitlists the other', async () => {
    const { group } = await groupWithOwner();
    const { meetingId, occurrenceIds } = await makeMeeting(world, group, { starts: [daysAhead(5)], kind: 'online' });
    await db().update(meetings).set({ capacity: 1, waitlist: true }).where(eq(meetings.id, meetingId));
    const a = await memberOf(group.slug, 'Asha');
    const b = await memberOf(group.slug, 'Bram');
    const url = `/api/v1/meetings/${occurrenceIds[0]}/rsvp`;
    const [ra, rb] = await Promise.all([a.api.post(url, { answer: 'going' }), b.api.post(url, { answer: 'going' })]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    expect([ra.json().status, rb.json().status].sort()).toEqual(['going', 'waitlisted']);
    const waiting = ra.json().status === 'waitlisted' ? ra.json() : rb.json();
    expect(waiting.meeting).toMatchObject({ going: 1, waitlisted: 1, waitlistPosition: 1, placesLeft: 0 });

    // The one going says they cannot come: the place goes to the one waiting.
    const going = ra.json().status === 'going' ? a : b;
    const other = going === a ? b : a;
    const freed = await going.api.post(url, { answer: 'not_going' });
    expect(freed.json().status).toBe('not_going');
    const now = await other.api.get(`/api/v1/meetings/${occurrenceIds[0]}`);
    expect(now.json()).toMatchObject({ myAnswer: 'going', going: 1, waitlisted: 0 });
  });

  it('refuses a non-member, a bad answer and a token without the write scope, as problems', async () => {
    const { group } = await groupWithOwner();
    const { occurrenceIds } = await makeMeeting(world, group, { starts: [daysAhead(4)] });
    const url = `/api/v1/meetings/${occurrenceIds[0]}/rsvp`;

    const stranger = await apiClientFor(world.app, db(), (await person('Stranger')).id);
    const refused = await stranger.post(url, { answer: 'going' });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().detail, refused.body).toEqual(expect.any(String));

    const { person: m } = await memberOf(group.slug);
    const member = await apiClientFor(world.app, db(), m.id);
    const bad = await member.post(url, { answer: 'perhaps' });
    expect(bad.statusCode).toBe(400);

    const reader = await apiClientFor(world.app, db(), m.id, { scopes: ['read'] });
    const scoped = await reader.post(url, { answer: 'going' });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().type).toMatch(/#problem-insufficient-scope$/);

    // Nobody at all: refused (401, or 403 from the CSRF check when no session or token came with it).
    const visitor = new ApiClient(world.app, null);
    expect([401, 403]).toContain((await visitor.post(url, { answer: 'going' })).statusCode);
  });
});
