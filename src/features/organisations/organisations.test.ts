import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { groups } from '../groups/schema.js';

const validOrganisation = {
  name: 'St Mary’s Hospital',
  kind: 'hospital',
  description: 'We run groups for **patients** and carers.',
  website: 'https://stmarys.example.org/groups',
};

const validGroup = {
  name: 'After cardiac surgery',
  summary: 'For patients recovering from heart surgery at St Mary’s.',
  description: 'Led by our cardiac rehabilitation nurses.',
  tags: 'heart, recovery',
  language: 'en',
  leadership: 'professional',
  visibility: 'members',
};

let slugCounter = 0;

describe('organisations', () => {
  let world: TestWorld;
  let siteAdmin: Agent;

  /** A new organisation created by the site admin, with `adminName` added as its administrator. */
  async function organisationWithAdmin(adminName: string): Promise<{ slug: string; admin: Agent }> {
    slugCounter += 1;
    const res = await siteAdmin.post('/organisations/new', {
      ...validOrganisation,
      name: `Organisation ${slugCounter}`,
      kind: 'charity',
    });
    const slug = /^\/o\/(.+)$/.exec(res.headers.location as string)![1]!;
    const admin = await world.member(adminName);
    const added = await siteAdmin.post(`/o/${slug}/admins`, { pseudonym: adminName });
    expect(added.statusCode).toBe(303);
    await turnOnTwoFactor(world.database.db, (await findUserIdByPseudonym(world.database.db, adminName))!);
    return { slug, admin };
  }

  beforeAll(async () => {
    world = await createWorld();
    // The first account in a world is the site administrator.
    const a = await world.createUser('Admin');
    siteAdmin = world.agent();
    await siteAdmin.logIn(a.email, a.password);
    // Administrators use their powers only with two-step verification on.
    await turnOnTwoFactor(world.database.db, a.id);
  });
  afterAll(() => world.close());

  it('lets a site admin create an organisation, shown on its page and in the list', async () => {
    expect((await siteAdmin.get('/organisations/new')).statusCode).toBe(200);
    const res = await siteAdmin.post('/organisations/new', validOrganisation);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/o/st-mary-s-hospital');

    const page = await world.agent().get('/o/st-mary-s-hospital');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('St Mary’s Hospital');
    expect(text).toContain('Hospital');
    expect(page.body).toContain('<strong>patients</strong>');
    expect(page.body).toContain(
      '<a href="https://stmarys.example.org/groups" rel="nofollow ugc noopener">stmarys.example.org/groups</a>',
    );
    expect(text).toContain('This organisation has no groups listed yet.');

    const list = textOf((await world.agent().get('/organisations')).body);
    expect(list).toContain('St Mary’s Hospital');
    expect(list).toMatch(/St Mary’s Hospital Hospital 0 groups/);

    // The creator is its first administrator.
    const admins = textOf((await siteAdmin.get('/o/st-mary-s-hospital/admins')).body);
    expect(admins).toContain('Admin');
    expect(admins).toContain('An organisation always needs at least one administrator.');
  });

  it('refuses organisations to everyone but site admins', async () => {
    const member = await world.member('Ordinary Member');
    expect((await member.get('/organisations/new')).statusCode).toBe(403);
    const res = await member.post('/organisations/new', { ...validOrganisation, name: 'Sneaky charity' });
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain('Only the site’s administrators can add organisations.');
    expect(textOf((await world.agent().get('/organisations')).body)).not.toContain('Sneaky charity');
    expect(textOf((await member.get('/organisations')).body)).not.toContain('Add an organisation');

    const visitor = await world.agent().get('/organisations/new');
    expect(visitor.headers.location).toBe('/login?next=%2Forganisations%2Fnew');
  });

  it.each<[string, Record<string, string>, string]>([
    ['a short name', { name: 'ab' }, 'The organisation name needs 3 to 100 characters.'],
    ['an unknown kind', { kind: 'prison' }, 'Choose the kind of organisation.'],
    [
      'a javascript: website',
      { website: 'javascript:alert(1)' },
      'Enter a web address starting with http:// or https://',
    ],
    [
      'an ftp: website',
      { website: 'ftp://files.example.org' },
      'Enter a web address starting with http:// or https://',
    ],
    [
      'a website that is not an address',
      { website: 'not a web address' },
      'Enter a web address starting with http:// or https://',
    ],
    ['a too long description', { description: 'x'.repeat(10001) }, 'The description can be at most 10,000 characters.'],
  ])('refuses %s and keeps what was typed', async (_label, override, message) => {
    const typed = { ...validOrganisation, name: 'Kept name here', ...override };
    const res = await siteAdmin.post('/organisations/new', typed);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain(message);
    expect(res.body).toContain('aria-invalid="true"');
    if (!override.name) expect(res.body).toContain('value="Kept name here"');
    if (override.website) expect(res.body).not.toContain(`href="${override.website}"`);
  });

  it('escapes raw HTML in the description', async () => {
    const res = await siteAdmin.post('/organisations/new', {
      ...validOrganisation,
      name: 'Careful charity',
      kind: 'charity',
      description: '<script>alert(1)</script> [click](javascript:alert(2))',
      website: '',
    });
    const page = await world.agent().get(res.headers.location as string);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('href="javascript:');
    expect(page.body).toContain('&lt;script&gt;');
  });

  it('lets an organisation admin add another admin by pseudonym, and refuses others', async () => {
    const { slug, admin } = await organisationWithAdmin('Org Lead');
    await world.member('Colleague');
    const outsider = await world.member('Outsider');

    expect((await outsider.get(`/o/${slug}/admins`)).statusCode).toBe(403);
    expect((await outsider.post(`/o/${slug}/admins`, { pseudonym: 'Outsider' })).statusCode).toBe(403);

    const res = await admin.post(`/o/${slug}/admins`, { pseudonym: 'colleague' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/o/${slug}/admins`);
    const list = textOf((await admin.get(`/o/${slug}/admins`)).body);
    expect(list).toContain('Org Lead');
    expect(list).toContain('Colleague');
    expect(list).not.toContain('Outsider');

    const unknown = await admin.post(`/o/${slug}/admins`, { pseudonym: 'Nobody Here' });
    expect(unknown.statusCode).toBe(400);
    expect(textOf(unknown.body)).toContain('Nobody on Mutual uses that public name.');
    expect(unknown.body).toContain('value="Nobody Here"');
    const twice = await admin.post(`/o/${slug}/admins`, { pseudonym: 'Colleague' });
    expect(twice.statusCode).toBe(400);
    expect(textOf(twice.body)).toContain('That person is already an administrator.');
    const empty = await admin.post(`/o/${slug}/admins`, { pseudonym: '  ' });
    expect(textOf(empty.body)).toContain('Enter the public name of the person to add.');
  });

  it('lets an organisation admin create a group that appears on the organisation page', async () => {
    const { slug, admin } = await organisationWithAdmin('Group Starter');
    const outsider = await world.member('Not Staff');
    expect((await outsider.get(`/o/${slug}/groups/new`)).statusCode).toBe(403);
    expect((await outsider.post(`/o/${slug}/groups/new`, validGroup)).statusCode).toBe(403);

    const form = await admin.get(`/o/${slug}/groups/new`);
    expect(form.statusCode).toBe(200);
    const bad = await admin.post(`/o/${slug}/groups/new`, { ...validGroup, summary: 'short' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('The short description needs 10 to 200 characters.');
    expect(bad.body).toContain('value="After cardiac surgery"');

    const res = await admin.post(`/o/${slug}/groups/new`, validGroup);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/g/after-cardiac-surgery?notice=groupCreated');
    const [group] = await world.database.db.select().from(groups).where(eq(groups.slug, 'after-cardiac-surgery'));
    expect(group?.organisationId).not.toBeNull();

    const page = textOf((await world.agent().get(`/o/${slug}`)).body);
    expect(page).toContain('After cardiac surgery');
    expect(page).toContain('Professionally facilitated');
    expect(page).not.toContain('Unlisted');
    expect(textOf((await world.agent().get('/organisations')).body)).toContain(
      `Organisation ${slugCounter} Charity 1 group`,
    );
  });

  it('hides unlisted groups from visitors but shows them to organisation admins', async () => {
    const { slug, admin } = await organisationWithAdmin('Unlisted Keeper');
    await admin.post(`/o/${slug}/groups/new`, { ...validGroup, name: 'Quiet circle' });
    await admin.post(`/o/${slug}/groups/new`, { ...validGroup, name: 'Open circle' });
    await world.database.db.update(groups).set({ listed: false }).where(eq(groups.slug, 'quiet-circle'));

    const member = await world.member('Curious Member');
    for (const viewer of [world.agent(), member]) {
      const body = (await viewer.get(`/o/${slug}`)).body;
      expect(textOf(body)).toContain('Open circle');
      expect(textOf(body)).not.toContain('Quiet circle');
      expect(body).not.toContain(`href="/o/${slug}/groups/new"`);
    }
    expect(textOf((await world.agent().get('/organisations')).body)).toContain(
      `Organisation ${slugCounter} Charity 1 group`,
    );

    for (const viewer of [admin, siteAdmin]) {
      const body = (await viewer.get(`/o/${slug}`)).body;
      expect(textOf(body)).toContain('Open circle');
      expect(textOf(body)).toMatch(/Quiet circle .* Unlisted/);
      expect(body).toContain(`href="/o/${slug}/groups/new"`);
    }
  });

  it('shows a friendly 404 for an unknown organisation', async () => {
    for (const path of ['/o/no-such-org', '/o/no-such-org/admins', '/o/no-such-org/groups/new']) {
      const res = await siteAdmin.get(path);
      expect(res.statusCode).toBe(404);
      expect(textOf(res.body)).toContain('We could not find that page');
    }
    expect((await siteAdmin.post('/o/no-such-org/admins', { pseudonym: 'Admin' })).statusCode).toBe(404);
  });

  it('refuses to remove the last administrator', async () => {
    const { slug, admin } = await organisationWithAdmin('Last Standing');
    // The site admin created it, so there are two; the site admin steps down first.
    const stepDown = await siteAdmin.post(`/o/${slug}/admins/Admin/remove`);
    expect(stepDown.statusCode).toBe(303);
    // Site admins still manage every organisation.
    expect(stepDown.headers.location).toBe(`/o/${slug}/admins`);

    const page = textOf((await admin.get(`/o/${slug}/admins`)).body);
    expect(page).toContain('An organisation always needs at least one administrator.');
    const res = await admin.post(`/o/${slug}/admins/Last%20Standing/remove`);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('An organisation needs at least one administrator.');
    expect(textOf((await admin.get(`/o/${slug}/admins`)).body)).toContain('Last Standing');

    expect((await admin.post(`/o/${slug}/admins/Nobody/remove`)).statusCode).toBe(404);
  });

  it('lets an admin step down when others remain, and then no longer manage', async () => {
    const { slug, admin } = await organisationWithAdmin('Leaving Lead');
    const outsider = await world.member('Remover Outsider');
    expect((await outsider.post(`/o/${slug}/admins/Leaving%20Lead/remove`)).statusCode).toBe(403);
    const res = await admin.post(`/o/${slug}/admins/Leaving%20Lead/remove`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/o/${slug}`);
    expect((await admin.get(`/o/${slug}/admins`)).statusCode).toBe(403);
  });

  it('requires the CSRF token to change anything', async () => {
    const { slug, admin } = await organisationWithAdmin('Csrf Lead');
    await world.member('Csrf Target');
    const res = await admin.post(`/o/${slug}/admins`, { pseudonym: 'Csrf Target' }, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect(textOf((await admin.get(`/o/${slug}/admins`)).body)).not.toContain('Csrf Target');
  });
});
