import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { countQueries } from '../../platform/db/client.js';
import { groups, memberships } from '../groups/schema.js';
import { directoryEntries, listings, meetingTimes } from './schema.js';

const BASE = 'https://mutual.example';

/** A complete listing form, as a person fills it in. */
function listingForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Leeds Parkinson’s café',
    summary: 'A friendly monthly meeting for people living with Parkinson’s and their families.',
    description: 'Tea, cake and a speaker.\n\nStep-free access from the car park.',
    contact: 'parkinsons.cafe@example.net',
    website: 'https://parkinsons-cafe.example.net/leeds',
    organiser: 'Leeds Parkinson’s Trust',
    leadership: 'peer',
    access: 'open',
    free: 'yes',
    language: 'en',
    topics: ['parkinsons'],
    formats: ['in_person'],
    audiences: ['self', 'carers'],
    place: 'Leeds',
    meetingDay0: '2',
    meetingStart0: '14:00',
    meetingLength0: '120',
    meetingZone0: 'Europe/London',
    meetingPlace0: 'in_person',
    ...overrides,
  };
}

const idFrom = (location: unknown) => Number(/\/listings\/(\d+)/.exec(String(location))?.[1]);
const noindex = (html: string) => html.includes('<meta name="robots" content="noindex"/>');

describe('listings of groups hosted elsewhere', () => {
  let world: TestWorld;
  let admin: Agent;
  let adminId: number;
  let submitter: Agent;
  let other: Agent;
  let visitor: Agent;
  let claimant: { id: number; email: string; password: string; pseudonym: string };
  let claimantAgent: Agent;
  let listingId: number;

  beforeAll(async () => {
    world = await createWorld({ baseUrl: BASE });
    const a = await world.createUser('Site Admin');
    adminId = a.id;
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    submitter = await world.member('Quiet Submitter');
    other = await world.member('Someone Else');
    claimant = await world.createUser('Café Organiser');
    claimantAgent = world.agent();
    await claimantAgent.logIn(claimant.email, claimant.password);
    visitor = world.agent();
  });
  afterAll(() => world.close());

  it('asks a visitor to log in before listing a group', async () => {
    const res = await visitor.get('/listings/new');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Flistings%2Fnew');
  });

  it('gives the form back with the person’s words and a message by each field that needs changing', async () => {
    const form = await submitter.get('/listings/new');
    expect(form.statusCode).toBe(200);
    expect(noindex(form.body)).toBe(true);
    expect(textOf(form.body)).toContain('Published exactly as you type it');
    const res = await submitter.post(
      '/listings/new',
      listingForm({
        name: 'L',
        contact: '',
        website: 'javascript:alert(1)',
        place: 'Nowhereville Qqq',
        summary: 'A summary I took care to write, kept as I typed it.',
      }),
    );
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('Give the group’s name, between 3 and 80 characters.');
    expect(text).toContain('Give a web address that starts with https:// or http://');
    expect(res.body).toContain('A summary I took care to write, kept as I typed it.');
    expect(res.body).toContain('value="Nowhereville Qqq"');
    expect(res.body).toMatch(/id="field-place-error"/);
    expect(await world.database.db.select().from(listings)).toHaveLength(0);

    const neither = await submitter.post('/listings/new', listingForm({ contact: '', website: '' }));
    expect(neither.statusCode).toBe(400);
    expect(textOf(neither.body)).toContain('Give a way to get in touch, or the group’s website');
  });

  it('creates a pending listing and its unlisted directory entry, seen only by its submitter and admins', async () => {
    const res = await submitter.post('/listings/new', listingForm());
    expect(res.statusCode).toBe(303);
    listingId = idFrom(res.headers.location);
    const page = await submitter.get(String(res.headers.location));
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('waiting for review');
    expect(textOf(page.body)).toContain('Waiting for review. Only you and the site’s administrators can see this page');
    expect(noindex(page.body)).toBe(true);

    const [entry] = await world.database.db
      .select()
      .from(directoryEntries)
      .where(eq(directoryEntries.listingId, listingId));
    expect(entry).toMatchObject({
      kind: 'listing',
      listed: false,
      searchEngines: false,
      placeName: expect.stringContaining('Leeds'),
    });
    const meetings = await world.database.db.select().from(meetingTimes).where(eq(meetingTimes.entryId, entry!.id));
    expect(meetings).toMatchObject([{ weekday: 2, startMinute: 14 * 60, durationMinutes: 120, place: 'in_person' }]);

    const mine = textOf((await submitter.get('/listings/mine')).body);
    expect(mine).toContain('Leeds Parkinson’s café');
    expect(mine).toContain('Waiting for review');

    // Everyone else: as if it did not exist, admins too until two-step verification is on.
    for (const agent of [visitor, other, admin])
      expect((await agent.get(`/listings/${listingId}`)).statusCode).toBe(404);
    expect((await other.get(`/listings/${listingId}/edit`)).statusCode).toBe(404);
    expect(textOf((await visitor.get('/groups?q=parkinson')).body)).not.toContain('Leeds Parkinson’s café');
    expect((await visitor.get('/sitemaps/1.xml')).body).not.toContain(`/listings/${listingId}<`);
  });

  it('lets its submitter change it while it waits', async () => {
    const edit = await submitter.get(`/listings/${listingId}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="parkinsons.cafe@example.net"');
    const saved = await submitter.post(`/listings/${listingId}/edit`, listingForm({ name: 'Leeds Parkinson’s Café' }));
    expect(saved.statusCode).toBe(303);
    expect(textOf((await submitter.get(`/listings/${listingId}`)).body)).toContain('Leeds Parkinson’s Café');
  });

  it('is reviewed only by site admins with two-step verification on', async () => {
    expect((await other.get('/admin/listings')).statusCode).toBe(404);
    expect((await other.post(`/admin/listings/${listingId}/approve`)).statusCode).toBe(404);
    const before = await admin.get('/admin/listings');
    expect(before.statusCode).toBe(403);
    expect(textOf(before.body)).toContain('two-step verification');
    await turnOnTwoFactor(world.database.db, adminId);
    const queue = await admin.get('/admin/listings');
    expect(queue.statusCode).toBe(200);
    expect(textOf(queue.body)).toContain('Leeds Parkinson’s Café');
    expect(textOf(queue.body)).toContain('parkinsons.cafe@example.net');
    // Who submitted it is not shown, even to admins.
    expect(textOf(queue.body)).not.toContain('Quiet Submitter');
  });

  it('reads the review queue in the same few queries however many listings wait', async () => {
    const { queries: one } = await countQueries(() => admin.get('/admin/listings'));
    const extra: number[] = [];
    for (const name of ['Harrogate stroke club', 'York carers walk']) {
      const res = await other.post('/listings/new', listingForm({ name }));
      extra.push(idFrom(res.headers.location));
    }
    const { queries: three } = await countQueries(() => admin.get('/admin/listings'));
    expect(three).toBe(one);
    // Tidy: these two are declined in the next test.
    listingIds.push(...extra);
  });
  const listingIds: number[] = [];

  it('declines with a reason the submitter is told, and the listing stays out of sight', async () => {
    const [declined] = listingIds;
    const empty = await admin.post(`/admin/listings/${declined}/decline`, { [`reason-${declined}`]: '' });
    expect(empty.statusCode).toBe(400);
    expect(textOf(empty.body)).toContain('Say why, in a few words');
    const res = await admin.post(`/admin/listings/${declined}/decline`, {
      [`reason-${declined}`]: 'We could not find this club; please add its website.',
    });
    expect(res.statusCode).toBe(303);
    const note = textOf((await other.get('/notifications')).body);
    expect(note).toContain('Your listing of Harrogate stroke club was not approved.');
    expect(note).toContain('We could not find this club; please add its website.');
    const own = await other.get(`/listings/${declined}`);
    expect(textOf(own.body)).toContain('Not approved.');
    expect((await visitor.get(`/listings/${declined}`)).statusCode).toBe(404);
    // Once reviewed, its submitter cannot change it; it cannot be declined twice.
    expect((await other.post(`/listings/${declined}/edit`, listingForm())).statusCode).toBe(403);
    expect(
      (await admin.post(`/admin/listings/${declined}/decline`, { [`reason-${declined}`]: 'Again.' })).statusCode,
    ).toBe(404);
  });

  it('approves: the listing is public, marked hosted elsewhere, in the directory and the sitemap', async () => {
    const res = await admin.post(`/admin/listings/${listingId}/approve`);
    expect(res.statusCode).toBe(303);
    expect(textOf((await submitter.get('/notifications')).body)).toContain(
      'Your listing of Leeds Parkinson’s Café is approved and now in the directory.',
    );

    const page = await visitor.get(`/listings/${listingId}?utm_source=x`);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Hosted elsewhere');
    expect(text).toContain('parkinsons.cafe@example.net');
    expect(text).toContain('Leeds Parkinson’s Trust');
    expect(text).toContain('Parkinson');
    expect(text).toMatch(/Tuesdays? 14:00/);
    expect(page.body).toContain(
      '<a href="https://parkinsons-cafe.example.net/leeds" rel="nofollow ugc noopener noreferrer" target="_blank">',
    );
    expect(text).not.toContain('Quiet Submitter');
    expect(noindex(page.body)).toBe(false);
    expect(page.body).toContain(`<link rel="canonical" href="${BASE}/listings/${listingId}"/>`);
    const blocks = [...page.body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
      (m) => JSON.parse(m[1]!) as Record<string, unknown>,
    );
    expect(blocks[0]).toMatchObject({
      '@type': 'Organization',
      name: 'Leeds Parkinson’s Café',
      url: `${BASE}/listings/${listingId}`,
      sameAs: ['https://parkinsons-cafe.example.net/leeds'],
      parentOrganization: { '@type': 'Organization', name: 'Leeds Parkinson’s Trust' },
    });
    expect(blocks[1]).toMatchObject({
      '@type': 'Event',
      duration: 'PT2H',
      eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
      location: { '@type': 'Place' },
      isAccessibleForFree: true,
    });
    expect(String(blocks[1]!.startDate)).toMatch(/T14:00:00\+0[01]:00$/);
    expect(JSON.stringify(blocks)).not.toContain('Quiet Submitter');

    const directory = await visitor.get('/groups?q=parkinson');
    expect(directory.statusCode).toBe(200);
    expect(directory.body).toContain(`href="/listings/${listingId}"`);
    expect(textOf(directory.body)).toContain('Hosted elsewhere');
    const sitemap = (await visitor.get('/sitemaps/1.xml')).body;
    expect(sitemap).toContain(`<loc>${BASE}/listings/${listingId}</loc>`);
    for (const id of listingIds) expect(sitemap).not.toContain(`/listings/${id}<`);

    // Now the submitter may not change it; an admin may.
    expect((await submitter.get(`/listings/${listingId}/edit`)).statusCode).toBe(403);
    expect((await admin.get(`/listings/${listingId}/edit`)).statusCode).toBe(200);
  });

  it('is claimed by its organiser and becomes a Mutual group that they own', async () => {
    const asVisitor = textOf((await visitor.get(`/listings/${listingId}`)).body);
    expect(asVisitor).toContain('Is this your group?');
    expect(asVisitor).toContain('Log in to claim this group');
    const short = await claimantAgent.post(`/listings/${listingId}/claim`, { message: 'Me!' });
    expect(short.statusCode).toBe(400);
    expect(textOf(short.body)).toContain('Tell us how you are connected to the group');
    expect(short.body).toContain('Me!');
    const message = 'I have run the café since 2019; the Trust’s office can confirm.';
    expect((await claimantAgent.post(`/listings/${listingId}/claim`, { message })).statusCode).toBe(303);
    expect(textOf((await claimantAgent.get(`/listings/${listingId}`)).body)).toContain('You have claimed this group.');
    expect((await claimantAgent.post(`/listings/${listingId}/claim`, { message })).statusCode).toBe(400);
    // Someone else claims it too: they are told no when the organiser's claim is approved.
    expect(
      (await other.post(`/listings/${listingId}/claim`, { message: 'I go there every month, I could run it.' }))
        .statusCode,
    ).toBe(303);
    // A pending listing cannot be claimed; one that others cannot see is simply not there.
    expect((await claimantAgent.post(`/listings/${listingIds[1]}/claim`, { message })).statusCode).toBe(404);

    const queue = await admin.get('/admin/listings');
    expect(textOf(queue.body)).toContain(message);
    const claimId = Number(/\/admin\/listings\/claims\/(\d+)\/approve/.exec(queue.body)?.[1]);
    const approved = await admin.post(`/admin/listings/claims/${claimId}/approve`);
    expect(approved.statusCode).toBe(303);

    const db = world.database.db;
    const [listing] = await db.select().from(listings).where(eq(listings.id, listingId));
    expect(listing!.status).toBe('claimed');
    const [group] = await db.select().from(groups).where(eq(groups.id, listing!.claimedGroupId!));
    expect(group).toMatchObject({ name: 'Leeds Parkinson’s Café', visibility: 'public' });
    const [owner] = await db.select().from(memberships).where(eq(memberships.groupId, group!.id));
    expect(owner).toMatchObject({ userId: claimant.id, role: 'owner' });
    const [entry] = await db.select().from(directoryEntries).where(eq(directoryEntries.groupId, group!.id));
    expect(entry!.formats).toEqual(['in_person']);
    expect(entry!.audiences).toEqual(['self', 'carers']);
    expect(entry!.topicIds).toHaveLength(1);
    expect(entry!.placeName).toContain('Leeds');
    expect(await db.select().from(meetingTimes).where(eq(meetingTimes.entryId, entry!.id))).toMatchObject([
      { weekday: 2, startMinute: 14 * 60, groupId: group!.id },
    ]);

    const moved = await visitor.get(`/listings/${listingId}`);
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/g/${group!.slug}`);
    expect(textOf((await claimantAgent.get('/notifications')).body)).toContain(
      'Your claim on Leeds Parkinson’s Café is approved.',
    );
    expect(textOf((await other.get('/notifications')).body)).toContain(
      'Your claim on Leeds Parkinson’s Café was not approved.',
    );
    // The listing has left the directory and the sitemap: the group is there now, if it chooses.
    const directory = await visitor.get('/groups?q=parkinson&kind=listing');
    expect(directory.body).not.toContain(`href="/listings/${listingId}"`);
    expect((await visitor.get('/sitemaps/1.xml')).body).not.toContain(`/listings/${listingId}<`);
    expect((await claimantAgent.get(`/g/${group!.slug}`)).statusCode).toBe(200);
  });

  it('refuses a forged form without its CSRF token', async () => {
    const res = await submitter.post('/listings/new', listingForm({ name: 'Forged group' }), { csrf: null });
    expect(res.statusCode).toBe(403);
  });
});
