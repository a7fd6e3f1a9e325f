import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { twoFactor, users } from '../accounts/schema.js';
import { joinGroup } from '../groups/index.js';
import { auditLog, groupAliases, memberships } from '../groups/schema.js';
import { gatherMemberData } from '../privacy/exports.js';
import { campaigns } from './schema.js';

/*
 * Advocacy campaigns as their writers, signers and visitors meet them: through the pages.
 */

let world: TestWorld;
const db = () => world.database.db;

interface Person {
  id: number;
  email: string;
  password: string;
  pseudonym: string;
  agent: Agent;
}

let made = 0;
async function person(name: string, timeZone = 'UTC'): Promise<Person> {
  made += 1;
  const user = await world.createUser(`${name} ${made}`);
  await db().update(users).set({ timeZone }).where(eq(users.id, user.id));
  const agent = world.agent();
  await agent.logIn(user.email, user.password);
  return { ...user, agent };
}

async function join(p: Person, slug: string, opts: { alias?: string; role?: 'member' | 'facilitator' } = {}) {
  const access = await joinGroup(db(), { id: p.id, pseudonym: p.pseudonym, isAdmin: false }, slug);
  if (opts.alias) await db().insert(groupAliases).values({ groupId: access.group.id, userId: p.id, alias: opts.alias });
  if (opts.role === 'facilitator') {
    await db()
      .update(memberships)
      .set({ role: 'facilitator' })
      .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, p.id)));
    await db().insert(twoFactor).values({ userId: p.id, secret: generateSecret(), enabledAt: new Date() });
  }
}

const campaignForm = (overrides: Record<string, string> = {}) => ({
  title: 'Fund the night clinic',
  statement: 'The night clinic **helps** people in crisis.',
  callToAction: 'Add your name to our letter to the health board.',
  actionUrl: 'https://example.org/letter',
  eventDate: '2040-03-10',
  eventTime: '18:30',
  signable: 'on',
  ...overrides,
});

async function groupWithOwner(visibility: 'public' | 'members' = 'public') {
  const owner = await person('Owner', 'Europe/Paris');
  const group = await makeGroup(world, owner, { name: `Night Owls ${made}`, visibility });
  return { owner, group };
}

/** Writes a campaign through the form and returns its public address. */
async function writeCampaign(owner: Person, slug: string, form = campaignForm()): Promise<string> {
  await owner.agent.get(`/g/${slug}/campaigns/new`);
  const res = await owner.agent.post(`/g/${slug}/campaigns/new`, form);
  expect(res.statusCode).toBe(303);
  return res.headers.location!.replace(/\?.*$/u, '');
}

async function idOf(url: string): Promise<number> {
  const [row] = await db()
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(eq(campaigns.slug, url.replace('/campaigns/', '')));
  return row!.id;
}

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('a campaign from draft to closed', () => {
  it('is written, published, signed publicly and anonymously, withdrawn from, updated and closed', async () => {
    const { owner, group } = await groupWithOwner();
    const url = await writeCampaign(owner, group.slug);
    expect(url).toBe('/campaigns/fund-the-night-clinic');
    const id = await idOf(url);
    const visitor = world.agent();

    // A draft is for its writers only.
    expect((await visitor.get(url)).statusCode).toBe(404);
    const draft = await owner.agent.get(url);
    expect(textOf(draft.body)).toContain('This is a draft');
    expect(draft.body).toContain('<meta name="robots" content="noindex"');

    expect((await owner.agent.post(`/g/${group.slug}/campaigns/${id}/publish`)).statusCode).toBe(303);
    const page = await visitor.get(url);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Fund the night clinic');
    expect(page.body).toContain('<strong>helps</strong>');
    expect(text).toContain('Add your name to our letter to the health board.');
    expect(page.body).toContain('href="https://example.org/letter"');
    // 18:30 on the writer's clock in Paris is 17:30 UTC, which a visitor reads.
    expect(text).toContain('March 10, 2040 at 5:30 PM');
    expect(text).toContain(`A campaign by ${group.name}`);
    expect(text).toContain('0 signatures');
    expect(text).toContain('Anyone with an account on Mutual can sign.');
    expect(text).toContain('Log in to sign');
    // A public, listed group's campaign may be found by search engines.
    expect(page.body).toContain('<link rel="canonical" href="http://localhost:3000/campaigns/fund-the-night-clinic"');

    // A member signs under their alias; a stranger anonymously.
    const member = await person('Member');
    await join(member, group.slug, { alias: 'Quiet Heron' });
    await member.agent.get(url);
    expect((await member.agent.post(`${url}/sign`, { how: 'public' })).statusCode).toBe(303);
    const stranger = await person('Stranger');
    await stranger.agent.get(url);
    expect((await stranger.agent.post(`${url}/sign`, { how: 'anonymous' })).statusCode).toBe(303);
    // Signing twice counts once.
    expect((await stranger.agent.post(`${url}/sign`, { how: 'anonymous' })).statusCode).toBe(303);

    let seen = textOf((await visitor.get(url)).body);
    expect(seen).toContain('2 signatures');
    expect(seen).toContain('Quiet Heron');
    expect(seen).not.toContain(member.pseudonym);
    expect(seen).not.toContain(stranger.pseudonym);
    expect(seen).toContain('and 1 person who signed anonymously');
    expect(textOf((await stranger.agent.get(url)).body)).toContain('You signed anonymously.');

    // The member takes their name back.
    expect((await member.agent.post(`${url}/withdraw`)).statusCode).toBe(303);
    seen = textOf((await visitor.get(url)).body);
    expect(seen).toContain('1 signature');
    expect(seen).not.toContain('Quiet Heron');

    // Updates, newest first.
    await owner.agent.get(url);
    await owner.agent.post(`/g/${group.slug}/campaigns/${id}/updates`, { body: 'We met the board.' });
    await owner.agent.post(`/g/${group.slug}/campaigns/${id}/updates`, { body: 'The board said yes!' });
    seen = textOf((await visitor.get(url)).body);
    expect(seen.indexOf('The board said yes!')).toBeGreaterThan(-1);
    expect(seen.indexOf('The board said yes!')).toBeLessThan(seen.indexOf('We met the board.'));

    // Closed: the page stays, signing stops.
    expect((await owner.agent.post(`/g/${group.slug}/campaigns/${id}/close`)).statusCode).toBe(303);
    seen = textOf((await visitor.get(url)).body);
    expect(seen).toContain('This campaign is not taking signatures.');
    await member.agent.get(url);
    const late = await member.agent.post(`${url}/sign`, { how: 'public' });
    expect(late.statusCode).toBe(400);
    expect(textOf(late.body)).toContain('This campaign is not taking signatures.');

    // The audit log has both.
    const audit = await db().select().from(auditLog).where(eq(auditLog.groupId, group.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['publish_campaign', 'close_campaign']));
    const list = textOf((await visitor.get(`/g/${group.slug}/campaigns`)).body);
    expect(list).toContain('Fund the night clinic');
    expect(list).toContain('Closed');
  });

  it('gives two campaigns with one title two addresses', async () => {
    const { owner, group } = await groupWithOwner();
    const form = campaignForm({ title: 'Open the library on Sundays' });
    expect(await writeCampaign(owner, group.slug, form)).toBe('/campaigns/open-the-library-on-sundays');
    expect(await writeCampaign(owner, group.slug, form)).toBe('/campaigns/open-the-library-on-sundays-2');
  });
});

describe('who may write and sign', () => {
  it('lets only the group’s leaders write one: not its members', async () => {
    const { group } = await groupWithOwner();
    const member = await person('Writer');
    await join(member, group.slug);
    expect((await member.agent.get(`/g/${group.slug}/campaigns/new`)).statusCode).toBe(403);
    await member.agent.get(`/g/${group.slug}/campaigns`);
    const res = await member.agent.post(`/g/${group.slug}/campaigns/new`, campaignForm());
    expect(res.statusCode).toBe(403);
    expect(await db().select().from(campaigns).where(eq(campaigns.groupId, group.id))).toHaveLength(0);
    expect(textOf((await member.agent.get(`/g/${group.slug}/campaigns`)).body)).not.toContain('Start a campaign');

    const facilitator = await person('Facilitator');
    await join(facilitator, group.slug, { role: 'facilitator' });
    await writeCampaign(facilitator, group.slug, campaignForm({ title: 'A facilitator’s campaign' }));
  });

  it('keeps what was typed when the form is refused, and says why', async () => {
    const { owner, group } = await groupWithOwner();
    await owner.agent.get(`/g/${group.slug}/campaigns/new`);
    const res = await owner.agent.post(
      `/g/${group.slug}/campaigns/new`,
      campaignForm({ title: 'Our <b>letter</b>', actionUrl: 'javascript:alert(1)', eventTime: '' }),
    );
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('Enter a web address starting with https:// or http://');
    expect(text).toContain('Give both a date and a time for the event, or neither.');
    expect(res.body).toContain('value="Our &lt;b>letter&lt;/b>"');
    expect(res.body).toContain('The night clinic **helps** people in crisis.');
  });

  it('shows a members-only group’s campaign to everyone without naming the group, and lets only members sign', async () => {
    const { owner, group } = await groupWithOwner('members');
    const url = await writeCampaign(owner, group.slug, campaignForm({ title: 'Quiet voices' }));
    await owner.agent.post(`/g/${group.slug}/campaigns/${await idOf(url)}/publish`);
    const page = await world.agent().get(url);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Quiet voices');
    expect(text).toContain('A campaign by a support group on Mutual');
    expect(page.body).not.toContain(group.name);
    expect(page.body).not.toContain(`/g/${group.slug}`);
    expect(page.body).toContain('<meta name="robots" content="noindex"');
    expect(text).toContain('Members of the group can sign.');

    const stranger = await person('Outsider');
    await stranger.agent.get(url);
    expect(textOf((await stranger.agent.get(url)).body)).toContain('Only members of the group can sign this campaign.');
    expect((await stranger.agent.post(`${url}/sign`, { how: 'anonymous' })).statusCode).toBe(403);
    // The group's list of campaigns would tie it to the group: members only.
    expect((await stranger.agent.get(`/g/${group.slug}/campaigns`)).statusCode).toBe(403);

    const member = await person('Insider');
    await join(member, group.slug);
    await member.agent.get(url);
    expect((await member.agent.post(`${url}/sign`, { how: 'anonymous' })).statusCode).toBe(303);
    expect(textOf((await world.agent().get(url)).body)).toContain('1 signature');
  });
});

describe('personal data', () => {
  it('exports a member’s signatures and, when they leave, takes them off the count', async () => {
    const { owner, group } = await groupWithOwner();
    const url = await writeCampaign(owner, group.slug, campaignForm({ title: 'Count me in' }));
    await owner.agent.post(`/g/${group.slug}/campaigns/${await idOf(url)}/publish`);
    const signer = await person('Leaver');
    await signer.agent.get(url);
    await signer.agent.post(`${url}/sign`, { how: 'anonymous' });
    expect(textOf((await world.agent().get(url)).body)).toContain('1 signature');

    const data = await gatherMemberData(db(), signer.id);
    expect(data!.campaigns.signatures).toEqual([
      expect.objectContaining({ campaign: 'Count me in', group: group.name, public: false, address: url }),
    ]);

    await signer.agent.get('/account/delete');
    const gone = await signer.agent.post('/account/delete', { posts: 'erase', password: signer.password });
    expect(gone.statusCode).toBe(303);
    expect(textOf((await world.agent().get(url)).body)).toContain('0 signatures');
  });
});
