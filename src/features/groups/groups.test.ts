import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { makeGroup } from '../../../test/helpers/factories.js';

const validGroup = {
  name: 'Living with Long COVID',
  summary: 'For people whose recovery from COVID is taking longer than expected.',
  description: 'We share **pacing** tips and listen.',
  tags: 'long covid, fatigue, Fatigue',
  language: 'en',
  leadership: 'peer',
  visibility: 'public',
};

describe('groups', () => {
  let world: TestWorld;
  let admin: Agent;
  beforeAll(async () => {
    world = await createWorld();
    const a = await world.createUser('Admin');
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    // Site administrators use their powers only with two-step verification on.
    await turnOnTwoFactor(world.database.db, a.id);
  });
  afterAll(() => world.close());

  it('creates a group whose creator becomes its owner', async () => {
    const owner = await world.member('Founder');
    await owner.get('/groups/new');
    const res = await owner.post('/groups/new', validGroup);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/g/living-with-long-covid?notice=groupCreated');
    const page = textOf((await owner.get('/g/living-with-long-covid')).body);
    expect(page).toContain('Living with Long COVID');
    expect(page).toContain('Peer-led');
    expect(page).toContain('1 member');
    expect(page).toContain('You own this group');
    const about = await owner.get('/g/living-with-long-covid/about');
    expect(about.body).toContain('<strong>pacing</strong>');
    const directory = textOf((await world.agent().get('/groups')).body);
    expect(directory).toContain('Living with Long COVID');
    expect(directory).toContain('long covid');
    expect(directory).toContain('fatigue');
  });

  it('gives the same name a distinct address', async () => {
    const owner = await world.member('Second Founder');
    const res = await owner.post('/groups/new', validGroup);
    expect(res.headers.location).toBe('/g/living-with-long-covid-2?notice=groupCreated');
  });

  it.each<[Partial<Record<string, string>>, string]>([
    [{ name: 'ab' }, 'The group name needs 3 to 80 characters.'],
    [{ name: 'x'.repeat(81) }, 'The group name needs 3 to 80 characters.'],
    [{ summary: 'short' }, 'The short description needs 10 to 200 characters.'],
    [{ tags: 'a,b,c,d,e,f,g,h,i' }, 'Choose at most 8 topics.'],
    [{ leadership: 'dictator' }, 'Choose who leads the group.'],
    [{ language: 'xx' }, 'Choose a language from the list.'],
    [{ visibility: 'secret' }, 'Choose who can read the discussions.'],
  ])('refuses %j and keeps what was typed', async (override, message) => {
    const owner = await world.member(`Typist ${Object.keys(override)[0]}${String(Object.values(override)[0]).length}`);
    const summary = override.summary ?? 'Kept summary text here';
    const res = await owner.post('/groups/new', { ...validGroup, ...override, summary } as Record<string, string>);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain(message);
    expect(res.body).toContain(`value="${summary}"`);
  });

  it('asks visitors to log in before starting a group', async () => {
    const res = await world.agent().get('/groups/new');
    expect(res.headers.location).toBe('/login?next=%2Fgroups%2Fnew');
  });

  it('lets members join and leave an open group, counting them', async () => {
    const owner = await world.createUser('Host');
    const group = await makeGroup(world, owner);
    const joiner = await world.member('Joiner');
    const join = await joiner.post(`/g/${group.slug}/join`);
    expect(join.headers.location).toBe(`/g/${group.slug}?notice=joined`);
    let page = textOf((await joiner.get(`/g/${group.slug}`)).body);
    expect(page).toContain('2 members');
    expect(page).toContain('You are a member');
    await joiner.post(`/g/${group.slug}/join`);
    expect(textOf((await joiner.get(`/g/${group.slug}`)).body)).toContain('2 members');
    await joiner.post(`/g/${group.slug}/leave`);
    page = textOf((await joiner.get(`/g/${group.slug}`)).body);
    expect(page).toContain('1 member');
    expect(page).toContain('Join this group');
  });

  it('does not let the last owner leave', async () => {
    const owner = await world.member('Only Owner');
    const res = await owner.post('/groups/new', { ...validGroup, name: 'Only owner group' });
    const slug = /\/g\/([^?]+)/.exec(res.headers.location as string)![1]!;
    const leave = await owner.post(`/g/${slug}/leave`);
    expect(leave.statusCode).toBe(400);
    expect(textOf(leave.body)).toContain('You are this group’s only owner.');
  });

  it('lets owners (and site admins) appoint moderators, and no one else', async () => {
    const ownerUser = await world.createUser('Appointer');
    const group = await makeGroup(world, ownerUser);
    const owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    const helper = await world.member('Helper');
    const bystander = await world.member('Bystander');
    await helper.post(`/g/${group.slug}/join`);
    await bystander.post(`/g/${group.slug}/join`);

    const refused = await bystander.post(`/g/${group.slug}/members/Helper/role`, { role: 'moderator' });
    expect(refused.statusCode).toBe(403);
    const ok = await owner.post(`/g/${group.slug}/members/Helper/role`, { role: 'moderator' });
    expect(ok.headers.location).toBe(`/g/${group.slug}/members?notice=roleChanged`);
    expect(textOf((await helper.get(`/g/${group.slug}`)).body)).toContain('You moderate this group');
    const members = textOf((await bystander.get(`/g/${group.slug}/members`)).body);
    expect(members).toMatch(/Appointer Owner/);
    expect(members).toMatch(/Helper Moderator/);
    const byAdmin = await admin.post(`/g/${group.slug}/members/Bystander/role`, { role: 'moderator' });
    expect(byAdmin.statusCode).toBe(303);
    const bad = await owner.post(`/g/${group.slug}/members/Helper/role`, { role: 'emperor' });
    expect(bad.statusCode).toBe(400);
    expect((await owner.post(`/g/${group.slug}/members/Nobody/role`, { role: 'member' })).statusCode).toBe(404);
  });

  it('keeps the member list for members', async () => {
    const ownerUser = await world.createUser('Private Host');
    const group = await makeGroup(world, ownerUser);
    const outsider = await world.member('Outsider');
    expect((await outsider.get(`/g/${group.slug}/members`)).statusCode).toBe(403);
    expect(textOf((await admin.get(`/g/${group.slug}/members`)).body)).toContain('Private Host');
  });

  it('lets the owner edit the group, and refuses others', async () => {
    const ownerUser = await world.createUser('Editor');
    const group = await makeGroup(world, ownerUser);
    const owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    const other = await world.member('Not Editor');
    expect((await other.get(`/g/${group.slug}/edit`)).statusCode).toBe(403);
    expect((await other.post(`/g/${group.slug}/edit`, { ...validGroup })).statusCode).toBe(403);
    const form = await owner.get(`/g/${group.slug}/edit`);
    expect(form.body).toContain(group.name);
    const res = await owner.post(`/g/${group.slug}/edit`, {
      ...validGroup,
      name: 'Renamed circle',
      leadership: 'professional',
    });
    expect(res.statusCode).toBe(303);
    const page = textOf((await owner.get(`/g/${group.slug}/about`)).body);
    expect(page).toContain('Renamed circle');
    expect(page).toContain('Professionally facilitated');
  });

  it('shows a friendly 404 for an unknown group', async () => {
    const res = await world.agent().get('/g/no-such-group');
    expect(res.statusCode).toBe(404);
    expect(textOf(res.body)).toContain('We could not find that page');
  });

  it('lists groups newest first or most active first, paged', async () => {
    const res = await world.agent().get('/groups?sort=newest&page=abc');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<option value="newest" selected>');
    const home = await world.agent().get('/');
    expect(textOf(home.body)).toContain('Active groups');
    expect(textOf(home.body)).toContain('New groups');
  });
});
