import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { replyToThread } from '../forum/index.js';
import { setAlias } from '../groups/aliases.js';
import { joinGroup } from '../groups/index.js';
import { memberships } from '../groups/schema.js';
import { unlimitedPosting } from '../../platform/deps.js';
import { exportResourcesData } from './personal-data.js';
import { resources } from './schema.js';

/*
 * The resource library and the coping strategies as members and moderators meet them: through
 * the pages, with notifications as the notifications page shows them.
 */

let world: TestWorld;
const db = () => world.database.db;

interface Person {
  id: number;
  pseudonym: string;
  agent: Agent;
}

let made = 0;
async function person(name: string): Promise<Person> {
  made += 1;
  const user = await world.createUser(`${name} ${made}`);
  const agent = world.agent();
  await agent.logIn(user.email, user.password);
  return { id: user.id, pseudonym: user.pseudonym, agent };
}

async function join(p: Person, slug: string, role: 'member' | 'moderator' = 'member') {
  const access = await joinGroup(db(), { id: p.id, pseudonym: p.pseudonym, isAdmin: false }, slug);
  if (role !== 'member')
    await db()
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, p.id)));
}

async function circle(visibility: 'public' | 'members' = 'public') {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner, { name: `Sleep Circle ${made}`, visibility });
  const moderator = await person('Moderator');
  await join(moderator, group.slug, 'moderator');
  const member = await person('Member');
  await join(member, group.slug);
  return { owner, group, moderator, member };
}

/** Suggests through the form; returns the response. */
async function suggest(p: Person, slug: string, form: Record<string, string>) {
  await p.agent.get(`/g/${slug}/resources/new`);
  return p.agent.post(`/g/${slug}/resources/new`, form);
}

async function resourceId(title: string): Promise<number> {
  const [row] = await db().select({ id: resources.id }).from(resources).where(eq(resources.title, title));
  return row!.id;
}

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world.close();
});

describe('the resource library', () => {
  it('takes a suggestion through review into the library, where search finds it and members vote', async () => {
    const { owner, group, moderator, member } = await circle();
    const slug = group.slug;
    const res = await suggest(member, slug, {
      kind: 'article',
      title: 'Better sleep after a diagnosis',
      body: 'Keep the same bedtime. Sleep comes easier when the evenings are calm.',
      tags: 'Sleep, Evenings',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/g/${slug}/resources?notice=resourcesSuggested`);

    // Waiting: not in the library yet, and a member cannot approve it.
    const id = await resourceId('Better sleep after a diagnosis');
    expect(textOf((await member.agent.get(`/g/${slug}/resources`)).body)).not.toContain('Better sleep');
    await member.agent.get(`/g/${slug}/resources/${id}`);
    expect((await member.agent.post(`/g/${slug}/resources/${id}/approve`)).statusCode).toBe(403);
    expect((await member.agent.get(`/g/${slug}/resources/review`)).statusCode).toBe(403);

    const queue = await moderator.agent.get(`/g/${slug}/resources/review`);
    expect(textOf(queue.body)).toContain('Better sleep after a diagnosis');
    expect(textOf(queue.body)).toContain(`Suggested by ${member.pseudonym}`);
    expect((await moderator.agent.post(`/g/${slug}/resources/${id}/approve`)).statusCode).toBe(303);

    const notes = textOf((await member.agent.get('/notifications')).body);
    expect(notes).toContain(`The resource you suggested to ${group.name} is now in its library`);

    // Stemmed: "sleeping" finds "sleep".
    const found = await member.agent.get(`/g/${slug}/resources?q=sleeping`);
    expect(textOf(found.body)).toContain('Better sleep after a diagnosis');
    expect(found.body).toContain('<mark>');
    expect(textOf((await member.agent.get(`/g/${slug}/resources?q=gardening`)).body)).toContain('No resources match');
    // Tags are kept lower case, and filter the list.
    expect(textOf((await member.agent.get(`/g/${slug}/resources?tag=evenings`)).body)).toContain('Better sleep');

    const page = textOf((await member.agent.get(`/g/${slug}/resources/${id}`)).body);
    expect(page).toContain('Last reviewed');
    expect(page).toContain('Nobody');
    expect((await member.agent.post(`/g/${slug}/resources/${id}/helped`)).statusCode).toBe(303);
    expect((await moderator.agent.post(`/g/${slug}/resources/${id}/helped`)).statusCode).toBe(303);
    expect(textOf((await member.agent.get(`/g/${slug}/resources/${id}`)).body)).toContain('Helped 2 members');
    // A second press takes the vote back: one vote per member.
    await member.agent.post(`/g/${slug}/resources/${id}/helped`);
    expect(textOf((await member.agent.get(`/g/${slug}/resources/${id}`)).body)).toContain('Helped 1 member');

    // The decision is in the group's audit log.
    const audit = textOf((await owner.agent.get(`/g/${slug}/audit`)).body);
    expect(audit).toContain('Approved a resource for the library');
  });

  it('puts a moderator’s own link straight into the library, opened as a plain nofollow link', async () => {
    const { group, moderator, member } = await circle();
    const res = await suggest(moderator, group.slug, {
      kind: 'link',
      title: 'Sleep hygiene guide',
      url: 'https://example.org/sleep',
      tags: '',
    });
    expect(res.statusCode).toBe(303);
    const page = await member.agent.get(String(res.headers.location));
    expect(page.body).toContain('<a href="https://example.org/sleep" rel="nofollow noopener ugc">');
  });

  it('declines with a reason, and tells the suggester kindly', async () => {
    const { group, moderator, member } = await circle();
    await suggest(member, group.slug, { kind: 'link', title: 'A miracle cure', url: 'https://example.com/cure' });
    const id = await resourceId('A miracle cure');
    await moderator.agent.get(`/g/${group.slug}/resources/review`);
    const res = await moderator.agent.post(`/g/${group.slug}/resources/${id}/decline`, {
      reason: 'We only list sources a doctor would recognise.',
    });
    expect(res.statusCode).toBe(303);
    const notes = textOf((await member.agent.get('/notifications')).body);
    expect(notes).toContain(`The resource you suggested to ${group.name} was not added`);
    expect(notes).toContain('We only list sources a doctor would recognise.');
    expect(textOf((await member.agent.get(`/g/${group.slug}/resources`)).body)).not.toContain('A miracle cure');
  });

  it('refuses a bad address or a too long article, keeping what was written', async () => {
    const { group, member } = await circle();
    const bad = await suggest(member, group.slug, {
      kind: 'link',
      title: 'My notes',
      url: 'javascript:alert(1)',
    });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Please give a web address starting with https:// or http://.');
    expect(bad.body).toContain('value="My notes"');
    const long = await suggest(member, group.slug, {
      kind: 'article',
      title: 'Everything I learnt',
      body: 'word '.repeat(5000),
      tags: 'a, b, c, d, e, f, g, h, i',
    });
    expect(long.statusCode).toBe(400);
    expect(textOf(long.body)).toContain('Please write the article, in up to 20,000 characters.');
    expect(textOf(long.body)).toContain('Please use at most 8 tags.');
    expect(long.body).toContain('Everything I learnt');
  });

  it('keeps a members-only group’s library and coping strategies from outsiders', async () => {
    const { group, moderator } = await circle('members');
    const res = await suggest(moderator, group.slug, {
      kind: 'article',
      title: 'Private notes on fatigue',
      body: 'Rest.',
    });
    const location = String(res.headers.location).replace(/\?.*$/, '');
    const outsider = await person('Outsider');
    for (const url of [`/g/${group.slug}/resources`, location, `/g/${group.slug}/coping`]) {
      const page = await outsider.agent.get(url);
      expect(page.statusCode).toBe(403);
      expect(page.body).not.toContain('Private notes on fatigue');
    }
    expect((await world.agent().get(location)).statusCode).not.toBe(200);
  });

  it('shows a card under a reply that links a resource of the group', async () => {
    const { group, moderator, member } = await circle();
    const made = await suggest(moderator, group.slug, {
      kind: 'article',
      title: 'Pacing your energy',
      body: 'Plan rests.',
    });
    const id = /resources\/(\d+)/.exec(String(made.headers.location))![1];
    const thread = await makeThread(world, member, group.slug, 'So tired', 'Any ideas?');
    await replyToThread(
      db(),
      { id: moderator.id, pseudonym: moderator.pseudonym, isAdmin: false },
      thread.id,
      { body: `This helped me: https://mutual.example/g/${group.slug}/resources/${id}` },
      { postingLimits: unlimitedPosting },
    );
    const page = await member.agent.get(`/g/${group.slug}/t/${thread.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a href="/g/${group.slug}/resources/${id}">Pacing your energy</a>`);
  });
});

describe('coping strategies', () => {
  async function replyIn() {
    const { group, member, moderator } = await circle();
    const helper = await person('Helper');
    await join(helper, group.slug);
    await setAlias(db(), { id: helper.id, pseudonym: helper.pseudonym, isAdmin: false }, group.slug, {
      alias: `Quiet Owl ${made}`,
    });
    const thread = await makeThread(world, member, group.slug, 'Panic at night', 'What do you do?');
    const reply = await replyToThread(
      db(),
      { id: helper.id, pseudonym: helper.pseudonym, isAdmin: false },
      thread.id,
      { body: 'I breathe in for four counts and out for six.' },
      { postingLimits: unlimitedPosting },
    );
    return { group, member, moderator, helper, thread, reply, alias: `Quiet Owl ${made}` };
  }

  it('is shown only after its author consents, under their alias, until they take it back', async () => {
    const { group, member, helper, thread, reply, alias } = await replyIn();
    const threadPage = await member.agent.get(`/g/${group.slug}/t/${thread.id}`);
    expect(threadPage.body).toContain('Save as a coping strategy');
    // Not on one's own reply.
    expect((await helper.agent.get(`/g/${group.slug}/t/${thread.id}`)).body).not.toContain('Save as a coping strategy');

    const res = await member.agent.post(`/g/${group.slug}/coping`, { postId: String(reply.id), title: 'Breathing' });
    expect(res.statusCode).toBe(303);
    expect(textOf((await member.agent.get(`/g/${group.slug}/coping`)).body)).not.toContain('Breathing');

    const notes = textOf((await helper.agent.get('/notifications')).body);
    expect(notes).toContain('would like to save it to the group’s coping strategies');
    const requests = await helper.agent.get(`/g/${group.slug}/coping/requests`);
    const id = /\/coping\/(\d+)\/consent/.exec(requests.body)![1];
    expect((await member.agent.post(`/g/${group.slug}/coping/${id}/consent`)).statusCode).toBe(404);
    expect((await helper.agent.post(`/g/${group.slug}/coping/${id}/consent`)).statusCode).toBe(303);

    const list = textOf((await world.agent().get(`/g/${group.slug}/coping`)).body);
    expect(list).toContain('Breathing');
    expect(list).toContain('I breathe in for four counts');
    expect(list).toContain(`Shared by ${alias}`);
    expect(list).not.toContain(helper.pseudonym);

    await helper.agent.get(`/g/${group.slug}/coping/requests`);
    expect((await helper.agent.post(`/g/${group.slug}/coping/${id}/decline`)).statusCode).toBe(303);
    expect(textOf((await member.agent.get(`/g/${group.slug}/coping`)).body)).not.toContain('Breathing');

    const data = await exportResourcesData(db(), helper.id);
    expect(data.copingOfMine).toEqual([expect.objectContaining({ title: 'Breathing', status: 'declined' })]);
  });

  it('is never listed when the author says no, and is not asked twice', async () => {
    const { group, member, moderator, helper, reply } = await replyIn();
    await member.agent.post(`/g/${group.slug}/coping`, { postId: String(reply.id), title: 'Counting breaths' });
    const again = await moderator.agent.post(`/g/${group.slug}/coping`, { postId: String(reply.id), title: 'Again' });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('Someone has already asked to save this reply.');
    const requests = await helper.agent.get(`/g/${group.slug}/coping/requests`);
    const id = /\/coping\/(\d+)\/decline/.exec(requests.body)![1];
    await helper.agent.post(`/g/${group.slug}/coping/${id}/decline`);
    expect(textOf((await member.agent.get(`/g/${group.slug}/coping`)).body)).not.toContain('Counting breaths');
    // A "no" cannot be turned into a yes by anyone replaying the consent.
    expect((await helper.agent.post(`/g/${group.slug}/coping/${id}/consent`)).statusCode).toBe(404);
  });

  it('asks for a title again, keeping the reply chosen', async () => {
    const { group, member, reply } = await replyIn();
    await member.agent.get(`/g/${group.slug}/coping`);
    const res = await member.agent.post(`/g/${group.slug}/coping`, { postId: String(reply.id), title: '' });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Please give it a short title');
    expect(res.body).toContain(`value="${reply.id}"`);
  });
});
