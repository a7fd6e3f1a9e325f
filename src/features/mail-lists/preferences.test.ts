import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { users } from '../accounts/schema.js';

/* The email settings pages, the group's list settings, and the outbox as an administrator reads it. */

describe('email settings', () => {
  let world: TestWorld;
  let admin: Agent;
  let owner: Agent;
  let member: Agent;
  let slug: string;
  let groupId: number;
  let privateSlug: string;
  let privateId: number;

  beforeAll(async () => {
    world = await createWorld();
    const adminUser = await world.createUser('Admin');
    admin = world.agent();
    await admin.logIn(adminUser.email, adminUser.password);
    await turnOnTwoFactor(world.database.db, adminUser.id);
    const ownerUser = await world.createUser('Rowan');
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    const group = await makeGroup(world, ownerUser, { name: 'Caregivers Circle' });
    slug = group.slug;
    groupId = group.id;
    const closed = await makeGroup(world, ownerUser, { name: 'Quiet Room', visibility: 'members' });
    privateSlug = closed.slug;
    privateId = closed.id;
    const memberUser = await world.createUser('Hazel');
    member = world.agent();
    await member.logIn(memberUser.email, memberUser.password);
    await world.database.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, memberUser.id));
    await member.post(`/g/${slug}/join`);
    await member.post(`/g/${privateSlug}/join`);
  });
  afterAll(() => world.close());

  it('lists every group with its choice, and saves them with the digest hour and day', async () => {
    const page = await member.get('/account/email');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Caregivers Circle');
    expect(text).toContain('Quiet Room');
    // New members get a daily digest unless the owner chose otherwise.
    expect(page.body).toMatch(new RegExp(`name="mode-${groupId}" value="daily"[^>]*checked`));
    expect(text).toContain('In your time zone (UTC)');
    expect(page.body).toContain('href="/account/email" aria-current="page"');

    const saved = await member.post('/account/email', {
      [`mode-${groupId}`]: 'every_post',
      [`newsletters-${groupId}`]: 'on',
      [`mode-${privateId}`]: 'weekly',
      digestHour: '19',
      digestWeekday: '5',
    });
    expect(saved.statusCode).toBe(303);
    const again = await member.get(saved.headers.location as string);
    expect(textOf(again.body)).toContain('Your email choices are saved.');
    expect(again.body).toMatch(new RegExp(`name="mode-${groupId}" value="every_post"[^>]*checked`));
    expect(again.body).toMatch(new RegExp(`name="mode-${privateId}" value="weekly"[^>]*checked`));
    expect(again.body).toMatch(new RegExp(`id="newsletters-${groupId}"[^>]*checked`));
    expect(again.body).not.toMatch(new RegExp(`id="newsletters-${privateId}"[^>]*checked`));
    expect(again.body).toMatch(/<option value="19" selected/);
    expect(again.body).toMatch(/<option value="5" selected/);
  });

  it('refuses a bad choice with a 400, keeping everything the member chose', async () => {
    const res = await member.post('/account/email', {
      [`mode-${groupId}`]: 'sometimes',
      [`mode-${privateId}`]: 'none',
      digestHour: '25',
      digestWeekday: '3',
    });
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('Please choose one of the options.');
    expect(text).toContain('Please choose an hour between 0 and 23.');
    expect(res.body).toMatch(new RegExp(`name="mode-${privateId}" value="none"[^>]*checked`));
    expect(res.body).toMatch(/<option value="3" selected/);
    // Nothing was saved.
    const page = await member.get('/account/email');
    expect(page.body).toMatch(new RegExp(`name="mode-${privateId}" value="weekly"[^>]*checked`));
  });

  it('shows the group’s page from its header, with the address for new discussions', async () => {
    const group = await member.get(`/g/${slug}`);
    expect(group.body).toContain(`href="/g/${slug}/email"`);
    const page = await member.get(`/g/${slug}/email`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain(`write to ${slug}@lists.test`);
    expect(page.body).toMatch(/value="every_post"[^>]*checked/);
    // Only those who manage the group see its list settings link.
    expect(page.body).not.toContain(`/g/${slug}/email/settings`);
    const bad = await member.post(`/g/${slug}/email`, { mode: 'hourly', newsletters: 'on' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Please choose one of the options.');
    expect(bad.body).toMatch(/id="field-newsletters"[^>]*checked/);
    const ok = await member.post(`/g/${slug}/email`, { mode: 'weekly' });
    expect(ok.statusCode).toBe(303);
    const after = await member.get(`/g/${slug}/email`);
    expect(after.body).toMatch(/value="weekly"[^>]*checked/);
    expect(after.body).not.toMatch(/id="field-newsletters"[^>]*checked/);
  });

  it('lets the owner set up the list, records it, and keeps members-only archives closed', async () => {
    expect((await member.get(`/g/${slug}/email/settings`)).statusCode).toBe(403);
    expect((await member.post(`/g/${slug}/email/settings`, { defaultMode: 'none' })).statusCode).toBe(403);
    const page = await owner.get(`/g/${slug}/email/settings`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/name="defaultMode" value="daily"[^>]*checked/);
    const saved = await owner.post(`/g/${slug}/email/settings`, {
      defaultMode: 'every_post',
      newsletterArchivePublic: 'on',
    });
    expect(saved.statusCode).toBe(303);
    // Posting by email is off now: members are no longer shown the group's address.
    expect(textOf((await member.get(`/g/${slug}/email`)).body)).not.toContain(`${slug}@lists.test`);
    // A new member gets the new default.
    const newcomer = await world.member('Ivy');
    await newcomer.post(`/g/${slug}/join`);
    expect((await newcomer.get(`/g/${slug}/email`)).body).toMatch(/value="every_post"[^>]*checked/);
    const audit = textOf((await owner.get(`/g/${slug}/audit`)).body);
    expect(audit).toContain('Mailing list: new members get Every post; discussions by email off');

    const refused = await owner.post(`/g/${privateSlug}/email/settings`, {
      defaultMode: 'weekly',
      postByEmail: 'on',
      newsletterArchivePublic: 'on',
    });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('Only a public group’s newsletter archive can be open to everyone.');
    expect(refused.body).toMatch(/name="defaultMode" value="weekly"[^>]*checked/);
  });

  it('shows the administrator every header, the text and the HTML source in the outbox', async () => {
    await owner.post(`/g/${slug}/email/settings`, { defaultMode: 'daily', postByEmail: 'on' });
    await member.post(`/g/${slug}/email`, { mode: 'every_post' });
    const posted = await owner.post(`/g/${slug}/threads/new`, {
      title: 'Welcome <everyone>',
      body: 'Glad you are **here**.',
    });
    expect(posted.statusCode).toBe(303);
    await world.mailTick();
    expect((await member.get('/admin/outbox')).statusCode).toBe(404);
    const page = await admin.get('/admin/outbox');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('"Rowan via Caregivers Circle" <');
    expect(text).toContain(`List-Id "Caregivers Circle" <${slug}.lists.test>`);
    expect(text).toContain('Reply-To reply+');
    expect(text).toContain('List-Unsubscribe-Post List-Unsubscribe=One-Click');
    expect(text).toContain('Glad you are **here**.');
    // The HTML part is shown as escaped source, never run.
    expect(page.body).toContain('Glad you are &lt;strong>here&lt;/strong>');
    expect(page.body).not.toContain('<strong>here</strong>');
    expect(page.body).toContain('Welcome &lt;everyone>');
    expect(page.body).not.toContain('<everyone>');
  });
});
