import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';

const defaults = { membershipVisibility: 'members', timeZone: 'UTC', locale: 'auto' };

describe('settings', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
  });
  afterAll(() => world.close());

  it('saves who sees what, email, time zone and language, and keeps what was typed after an error', async () => {
    const agent = await world.member('Settled In');
    const page = await agent.get('/account/settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<input type="radio" name="membershipVisibility" value="members" checked/);
    expect(page.body).toContain('<option value="Pacific/Auckland">Pacific/Auckland</option>');
    expect(textOf(page.body)).toContain('The language of my browser');

    const bad = await agent.post('/account/settings', {
      ...defaults,
      timeZone: 'Mars/Olympus_Mons',
      emailNewsletters: 'on',
    });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Choose a time zone from the list.');
    expect(bad.body).toMatch(/<input type="checkbox" name="emailNewsletters" checked/);
    // Replies, mentions and messages by email are chosen per kind on the notifications page.
    expect(bad.body).toContain('href="/account/notifications"');

    const saved = await agent.post('/account/settings', {
      membershipVisibility: 'nobody',
      emailNewsletters: 'on',
      timeZone: 'Asia/Tokyo',
      locale: 'en',
    });
    expect(saved.headers.location).toBe('/account/settings?notice=settingsSaved');
    const again = await agent.get('/account/settings');
    expect(again.body).toMatch(/value="nobody" checked/);
    expect(again.body).toMatch(/<option value="Asia\/Tokyo" selected/);
    expect(again.body).not.toMatch(/name="appearOnline" checked/);
    expect(again.body).toMatch(/name="emailNewsletters" checked/);
    expect(again.body).toContain('<html lang="en">');
  });

  it('shows dates and times in the chosen time zone', async () => {
    const agent = await world.member('Far Away');
    await agent.post('/account/settings', { ...defaults, timeZone: 'Pacific/Kiritimati' });
    const page = await agent.get('/account/security');
    const when = /<time datetime="([^"]+)">([^<]+)<\/time>/i.exec(page.body)!;
    const expected = new Intl.DateTimeFormat('en', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Pacific/Kiritimati',
    }).format(new Date(when[1]!));
    expect(when[2]).toBe(expected);
  });

  it('keeps a hidden member out of the member list for other members, but not for leaders', async () => {
    const ownerUser = await world.createUser('Circle Owner');
    const group = await makeGroup(world, ownerUser);
    const owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    const hidden = await world.member('Hidden Hana');
    await hidden.post(`/g/${group.slug}/join`);
    await hidden.post('/account/settings', { ...defaults, membershipVisibility: 'nobody' });
    const other = await world.member('Open Olu');
    await other.post(`/g/${group.slug}/join`);

    const seenByMember = textOf((await other.get(`/g/${group.slug}/members`)).body);
    expect(seenByMember).toContain('Open Olu');
    expect(seenByMember).not.toContain('Hidden Hana');
    const seenByOwner = textOf((await owner.get(`/g/${group.slug}/members`)).body);
    expect(seenByOwner).toContain('Hidden Hana (hidden from other members)');
    expect(textOf((await hidden.get(`/g/${group.slug}/members`)).body)).toContain('Hidden Hana');

    // Leaders are always shown as leaders: members need to know who leads.
    await owner.post(`/g/${group.slug}/members/Hidden Hana/role`, { role: 'moderator' });
    expect(textOf((await other.get(`/g/${group.slug}/members`)).body)).toContain('Hidden Hana');
  });
});
