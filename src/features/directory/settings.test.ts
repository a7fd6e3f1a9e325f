import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { users } from '../accounts/schema.js';
import { directoryEntries, topics } from './schema.js';

const profileForm = {
  topics: ['dementia', 'caregiving'],
  formats: ['online_meetings', 'forum'],
  audiences: 'carers',
  place: 'Leeds',
  meetingDay0: '2',
  meetingStart0: '19:30',
  meetingLength0: '90',
  meetingZone0: 'Europe/London',
  meetingPlace0: 'online',
};

describe('how people find a group (/g/:slug/listing)', () => {
  let world: TestWorld;
  let admin: Agent;
  let owner: Agent;
  let member: Agent;
  let outsider: Agent;
  let slug: string;
  let privateSlug: string;
  let groupId: number;

  beforeAll(async () => {
    world = await createWorld();
    const a = await world.createUser('Site Admin');
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    await turnOnTwoFactor(world.database.db, a.id);
    const o = await world.createUser('Owner Oak');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    const group = await makeGroup(world, o, { name: 'Dementia carers Leeds' });
    slug = group.slug;
    groupId = group.id;
    privateSlug = (await makeGroup(world, o, { name: 'Quiet circle', visibility: 'members' })).slug;
    member = await world.member('Willow');
    await member.post(`/g/${slug}/join`);
    outsider = await world.member('Rowan');
    // The owner reads times in New York; the meetings are set in London.
    await world.database.db.update(users).set({ timeZone: 'America/New_York' }).where(eq(users.id, o.id));
  });
  afterAll(() => world.close());

  it('is for those who may manage the group', async () => {
    expect((await world.agent().get(`/g/${slug}/listing`)).headers.location).toBe(
      `/login?next=${encodeURIComponent(`/g/${slug}/listing`)}`,
    );
    for (const [who, agent] of [
      ['a member', member],
      ['someone else', outsider],
    ] as const) {
      expect((await agent.get(`/g/${slug}/listing`)).statusCode, who).toBe(403);
      expect((await agent.post(`/g/${slug}/listing`, profileForm)).statusCode, who).toBe(403);
    }
    expect((await admin.get(`/g/${slug}/listing`)).statusCode).toBe(200);
    const page = await owner.get(`/g/${slug}/listing`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('How people find this group');
    expect(page.body).toContain('<meta name="robots" content="noindex"');
    // Linked from the group's edit page and the leaders' menu.
    expect((await owner.get(`/g/${slug}/edit`)).body).toContain(`href="/g/${slug}/listing"`);
    expect((await owner.get(`/g/${slug}/about`)).body).toContain(`href="/g/${slug}/listing"`);
    expect((await member.get(`/g/${slug}/about`)).body).not.toContain(`href="/g/${slug}/listing"`);
  });

  it('refuses a form without its CSRF token', async () => {
    expect((await owner.post(`/g/${slug}/listing`, profileForm, { csrf: null })).statusCode).toBe(403);
  });

  it('saves the profile, shown on the about page in the reader’s own time zone', async () => {
    const saved = await owner.post(`/g/${slug}/listing`, { ...profileForm, searchEngines: 'on' });
    expect(saved.statusCode, textOf(saved.body)).toBe(303);
    expect(saved.headers.location).toBe(`/g/${slug}/listing?done=listingSaved`);
    const form = await owner.get(String(saved.headers.location));
    expect(textOf(form.body)).toContain('How people find the group is saved.');
    expect(form.body).toMatch(/id="topic-dementia" name="topics" value="dementia" checked/);
    expect(form.body).toContain('value="Leeds, England, United Kingdom"');
    expect(form.body).toMatch(/name="searchEngines" value="on" checked/);

    const [entry] = await world.database.db
      .select({ searchEngines: directoryEntries.searchEngines })
      .from(directoryEntries)
      .where(eq(directoryEntries.groupId, groupId));
    expect(entry?.searchEngines).toBe(true);

    const mine = textOf((await owner.get(`/g/${slug}/about`)).body);
    expect(mine).toContain('Dementia');
    expect(mine).toContain('Caregiving');
    expect(mine).toContain('Online meetings');
    expect(mine).toContain('Family, friends and carers of someone going through it');
    expect(mine).toContain('Leeds, England, United Kingdom');
    // 19:30 in London is 14:30 in New York, all year but for a few weeks of spring and autumn.
    expect(mine).toMatch(/Tuesdays 1[34]:30–1[56]:00 \(your time\), online/);

    const visitor = textOf((await world.agent().get(`/g/${slug}/about`)).body);
    expect(visitor).toContain('Tuesdays 19:30–21:00 (United Kingdom Time), online');
    expect(visitor).toContain('Log in to see meeting times in your own time zone.');
  });

  it('brings the form back with the person’s input and a message beside each problem', async () => {
    const res = await owner.post(`/g/${slug}/listing`, {
      ...profileForm,
      topics: ['dementia', 'caregiving', 'diabetes', 'cancer', 'stroke', 'grief-loss'],
      place: 'Xyzzyvillebury <b>',
      meetingStart0: '25:99',
    });
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('There are 3 problems with what you entered.');
    expect(text).toContain('Choose at most 5 topics.');
    expect(text).toContain('We couldn’t find that place.');
    expect(text).toContain('Enter the start time as hours and minutes on a 24-hour clock');
    expect(res.body).toContain('value="Xyzzyvillebury &lt;b>"');
    expect(res.body).not.toContain('Xyzzyvillebury <b>');
    expect(res.body).toMatch(/value="grief-loss" checked/);
    expect(res.body).toContain('value="25:99"');
    // Nothing was saved.
    expect(textOf((await world.agent().get(`/g/${slug}/about`)).body)).toContain('Leeds, England, United Kingdom');
  });

  it('lets search engines list only public, listed groups', async () => {
    const page = await owner.get(`/g/${privateSlug}/listing`);
    expect(page.body).not.toContain('name="searchEngines"');
    expect(textOf(page.body)).toContain('Only public groups listed in the directory can be shown in search engines.');
    const res = await owner.post(`/g/${privateSlug}/listing`, { ...profileForm, searchEngines: 'on' });
    expect(res.statusCode).toBe(303);
    const rows = await world.database.db
      .select({ searchEngines: directoryEntries.searchEngines })
      .from(directoryEntries)
      .where(sql`${directoryEntries.groupId} = (select id from groups where slug = ${privateSlug})`);
    expect(rows[0]?.searchEngines).toBe(false);
  });
});

describe('topics (/admin/topics)', () => {
  let world: TestWorld;
  let admin: Agent;
  let adminId: number;
  let member: Agent;
  let entryId: number;

  const searchable = async (word: string) => {
    const [row] = await world.database.db
      .select({ hit: sql<boolean>`search @@ to_tsquery('simple', ${word})` })
      .from(directoryEntries)
      .where(eq(directoryEntries.id, entryId));
    return row?.hit;
  };

  beforeAll(async () => {
    world = await createWorld();
    const a = await world.createUser('Site Admin');
    adminId = a.id;
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    const o = await world.createUser('Owner Oak');
    const owner = world.agent();
    await owner.logIn(o.email, o.password);
    const slug = (await makeGroup(world, o, { name: 'Circle' })).slug;
    await owner.post(`/g/${slug}/listing`, { ...profileForm, topics: 'diabetes' });
    const [entry] = await world.database.db
      .select({ id: directoryEntries.id })
      .from(directoryEntries)
      .where(sql`${directoryEntries.groupId} = (select id from groups where slug = ${slug})`);
    entryId = entry!.id;
    member = await world.member('Willow');
  });
  afterAll(() => world.close());

  it('are for site admins with two-step verification on', async () => {
    expect((await member.get('/admin/topics')).statusCode).toBe(404);
    expect((await member.post('/admin/topics', { name: 'Spam' })).statusCode).toBe(404);
    const before = await admin.get('/admin/topics');
    expect(before.statusCode).toBe(403);
    expect(textOf(before.body)).toContain('two-step verification');
    expect((await world.agent().get('/admin/topics')).headers.location).toBe('/login?next=%2Fadmin%2Ftopics');
    await turnOnTwoFactor(world.database.db, adminId);
    const page = textOf((await admin.get('/admin/topics')).body);
    expect(page).toMatch(/Long-term illness .*Diabetes .*1 group or listing/);
  });

  it('are added inside a category, with other names, and refused when the name is taken', async () => {
    const [category] = await world.database.db.select().from(topics).where(eq(topics.slug, 'chronic-illness'));
    const res = await admin.post('/admin/topics', {
      name: 'Lupus <em>',
      parent: String(category!.id),
      synonyms: 'SLE, Systemic lupus erythematosus,  sle ',
      forCarers: '',
    });
    expect(res.statusCode, textOf(res.body)).toBe(303);
    const page = await admin.get('/admin/topics?done=topicAdded');
    expect(textOf(page.body)).toContain('The topic is added.');
    expect(page.body).toContain('Lupus &lt;em>');
    expect(page.body).not.toContain('Lupus <em>');
    const [lupus] = await world.database.db.select().from(topics).where(eq(topics.name, 'Lupus <em>'));
    expect(lupus).toMatchObject({
      slug: 'lupus-em',
      parentId: category!.id,
      synonyms: ['sle', 'systemic lupus erythematosus'],
    });

    const again = await admin.post('/admin/topics', { name: 'lupus <EM>', parent: '' });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('There is a topic with that name already.');
    expect(again.body).toContain('value="lupus &lt;EM>"');

    const deep = await admin.post('/admin/topics', { name: 'Lupus nephritis', parent: String(lupus!.id) });
    expect(deep.statusCode).toBe(400);
    expect(textOf(deep.body)).toContain('topics go only one level deep');
  });

  it('when renamed or given other names, the groups filed under them are found by the new words', async () => {
    const [diabetes] = await world.database.db.select().from(topics).where(eq(topics.slug, 'diabetes'));
    expect(await searchable('glucose')).toBe(false);
    const edit = await admin.get(`/admin/topics/${diabetes!.id}`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Diabetes"');
    const res = await admin.post(`/admin/topics/${diabetes!.id}`, {
      name: 'Diabetes',
      parent: String(diabetes!.parentId),
      synonyms: `${diabetes!.synonyms.join(', ')}, glucose`,
      forCarers: 'on',
    });
    expect(res.statusCode, textOf(res.body)).toBe(303);
    expect(await searchable('glucose')).toBe(true);
    const [saved] = await world.database.db.select().from(topics).where(eq(topics.id, diabetes!.id));
    expect(saved?.forCarers).toBe(true);
  });

  it('when removed, come off every group that carried them', async () => {
    const [diabetes] = await world.database.db.select().from(topics).where(eq(topics.slug, 'diabetes'));
    expect(await searchable('diabetes')).toBe(true);
    expect((await member.post(`/admin/topics/${diabetes!.id}/remove`)).statusCode).toBe(404);
    const res = await admin.post(`/admin/topics/${diabetes!.id}/remove`);
    expect(res.headers.location).toBe('/admin/topics?done=topicRemoved');
    const [entry] = await world.database.db
      .select({ topicIds: directoryEntries.topicIds })
      .from(directoryEntries)
      .where(eq(directoryEntries.id, entryId));
    expect(entry?.topicIds).toEqual([]);
    expect(await searchable('glucose')).toBe(false);
    expect((await admin.get(`/admin/topics/${diabetes!.id}`)).statusCode).toBe(404);
  });
});
