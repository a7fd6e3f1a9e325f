import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';

/*
 * Per-group aliases: a member goes by another name in a group, and nothing in that group (pages,
 * links, the audit log, leaders' tools) shows their pseudonym or their name in another group.
 */
describe('names in groups', () => {
  let world: TestWorld;
  let owner: Agent;
  let ownerUser: { id: number; pseudonym: string };
  let jo: Agent;
  let other: Agent;
  let recovery: string;
  let work: string;

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Site Admin');
    const o = await world.createUser('Group Owner');
    ownerUser = o;
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    recovery = (await makeGroup(world, o, { name: 'Recovery circle', leadership: 'professional' })).slug;
    work = (await makeGroup(world, o, { name: 'Nurses at work' })).slug;
    await turnOnTwoFactor(world.database.db, o.id);
    jo = await world.member('Jo Realname');
    other = await world.member('Other Member');
    await other.post(`/g/${recovery}/join`);
    await other.post(`/g/${work}/join`);
  });
  afterAll(() => world.close());

  it('lets a person join under another name, and shows only that name inside the group', async () => {
    const page = await jo.get(`/g/${recovery}/name`);
    expect(textOf(page.body)).toContain('How you appear in this group');
    expect(page.body).toContain(`action="/g/${recovery}/join"`);
    const joined = await jo.post(`/g/${recovery}/join`, { alias: 'Quiet Heron' });
    expect(joined.headers.location).toBe(`/g/${recovery}?notice=joined`);
    expect((await jo.post(`/g/${work}/join`, { alias: 'Blue Kettle' })).statusCode).toBe(303);
    expect(textOf((await jo.get(`/g/${recovery}`)).body)).toContain('You appear here as Quiet Heron');

    const post = await jo.post(`/g/${recovery}/threads/new`, {
      title: 'Ninety days today',
      body: 'One day at a time.',
    });
    const threadUrl = (post.headers.location as string).split('?')[0]!;
    for (const url of [threadUrl, `/g/${recovery}`, `/g/${recovery}/members`]) {
      const body = (await other.get(url)).body;
      expect(body).toContain('Quiet Heron');
      expect(body).not.toContain('Jo Realname');
      expect(body).not.toContain('Blue Kettle');
    }
    const workMembers = (await other.get(`/g/${work}/members`)).body;
    expect(workMembers).toContain('Blue Kettle');
    expect(workMembers).not.toContain('Quiet Heron');
    expect(workMembers).not.toContain('Jo Realname');
  });

  it('names people in leaders’ tools and URLs by their name in the group, never by pseudonym', async () => {
    const byAlias = `/g/${recovery}/members/${encodeURIComponent('Quiet Heron')}`;
    expect((await owner.post(`${byAlias}/notes`, { body: 'Settling in well.' })).statusCode).toBe(303);
    const notes = await owner.get(`${byAlias}/notes`);
    expect(textOf(notes.body)).toContain('Facilitator notes about Quiet Heron');
    expect(notes.body).not.toContain('Jo Realname');
    // Asking by the pseudonym finds nobody: the URL cannot confirm who is behind the alias.
    const byPseudonym = `/g/${recovery}/members/${encodeURIComponent('Jo Realname')}`;
    expect((await owner.get(`${byPseudonym}/notes`)).statusCode).toBe(404);
    expect((await owner.post(`${byPseudonym}/role`, { role: 'moderator' })).statusCode).toBe(404);
    expect((await owner.post(`${byAlias}/role`, { role: 'moderator' })).statusCode).toBe(303);
    const audit = textOf((await owner.get(`/g/${recovery}/audit`)).body);
    expect(audit).toContain('Changed a role · Quiet Heron');
    expect(audit).not.toContain('Jo Realname');
    expect((await owner.post(`${byAlias}/role`, { role: 'member' })).statusCode).toBe(303);
  });

  it('refuses a name someone else goes by, here or as a pseudonym, and allows the same alias in another group', async () => {
    const taken = await other.post(`/g/${recovery}/name`, { alias: 'quiet heron' });
    expect(taken.statusCode).toBe(400);
    expect(textOf(taken.body)).toContain('That name is taken');
    expect(taken.body).toContain('value="quiet heron"');
    expect((await other.post(`/g/${recovery}/name`, { alias: 'Group Owner' })).statusCode).toBe(400);
    expect((await other.post(`/g/${recovery}/name`, { alias: '(x)' })).statusCode).toBe(400);
    // Another group's alias is not this group's business: no clash, and nothing learnt about Jo.
    expect((await other.post(`/g/${work}/name`, { alias: 'Quiet Heron' })).statusCode).toBe(303);
    expect((await other.post(`/g/${work}/name`, { alias: '' })).statusCode).toBe(303);
    const stranger = await world.member('Not In It');
    expect((await stranger.post(`/g/${recovery}/name`, { alias: 'Lurker' })).statusCode).toBe(403);
  });

  it('lets a member change their name, or go back to their pseudonym, and keeps it on their posts after they leave', async () => {
    const sam = await world.member('Sam Pseudonym');
    await sam.post(`/g/${recovery}/join`);
    expect((await sam.post(`/g/${recovery}/name`, { alias: 'Morning Tide' })).headers.location).toBe(
      `/g/${recovery}/name?notice=nameSaved`,
    );
    const post = await sam.post(`/g/${recovery}/threads/new`, { title: 'Hello from Sam', body: 'New here.' });
    const url = (post.headers.location as string).split('?')[0]!;
    expect(textOf((await other.get(url)).body)).toContain('Morning Tide');
    await sam.post(`/g/${recovery}/leave`);
    const after = (await other.get(url)).body;
    expect(after).toContain('Morning Tide');
    expect(after).not.toContain('Sam Pseudonym');

    const lee = await world.member('Lee Pseudonym');
    await lee.post(`/g/${recovery}/join`, { alias: 'Evening Star' });
    await lee.post(`/g/${recovery}/name`, { alias: '' });
    expect(textOf((await lee.get(`/g/${recovery}/name`)).body)).toContain('You appear here as Lee Pseudonym');
  });

  it('shows reviewers the name an applicant asked for, and makes it their name once approved', async () => {
    const slug = (await makeGroup(world, ownerUser, { name: 'Grief support' })).slug;
    await owner.post(`/g/${slug}/settings`, {
      joinPolicy: 'approval',
      listed: 'on',
      entryQuestions: 'What brings you here?',
      slowModeMinutes: '0',
    });
    const ari = await world.member('Ari Pseudonym');
    expect(textOf((await ari.get(`/g/${slug}/apply`)).body)).toContain('Name in this group');
    const applied = await ari.post(`/g/${slug}/apply`, { answers: 'I lost my dad.', alias: 'Willow' });
    expect(applied.statusCode).toBe(303);
    const list = await owner.get(`/g/${slug}/applications`);
    expect(textOf(list.body)).toContain('Willow');
    expect(list.body).not.toContain('Ari Pseudonym');
    const id = /\/applications\/(\d+)\/decision/.exec(list.body)![1];
    await owner.post(`/applications/${id}/decision`, { decision: 'approve' });
    expect(textOf((await owner.get(`/g/${slug}/members`)).body)).toContain('Willow');
    expect((await owner.get(`/g/${slug}/members`)).body).not.toContain('Ari Pseudonym');
  });

  it('gives someone whose pseudonym another member took as an alias a name of their own', async () => {
    // "Quiet Heron" is Jo's alias in the recovery circle; later someone signs up with it as pseudonym.
    const late = await world.member('Quiet Heron');
    await late.post(`/g/${recovery}/join`);
    const members = textOf((await owner.get(`/g/${recovery}/members`)).body);
    expect(members).toContain('Quiet Heron (2)');
    expect(textOf((await late.get(`/g/${recovery}`)).body)).toContain('You appear here as Quiet Heron (2)');
  });
});
