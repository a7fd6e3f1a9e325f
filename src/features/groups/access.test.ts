import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { groups } from './schema.js';

describe('controlled groups', () => {
  let world: TestWorld;
  let owner: Agent;
  let ownerUser: { id: number; pseudonym: string; email: string; password: string };

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    ownerUser = await world.createUser('Gatekeeper');
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
  });
  afterAll(() => world.close());

  async function groupWith(settings: Record<string, string>, overrides: Record<string, string> = {}) {
    const group = await makeGroup(world, ownerUser, overrides);
    await owner.get(`/g/${group.slug}/settings`);
    const res = await owner.post(`/g/${group.slug}/settings`, { slowModeMinutes: '0', listed: 'on', ...settings });
    expect(res.statusCode).toBe(303);
    return group;
  }

  it('takes applications with answers; leaders approve or decline with a message, and the applicant is told', async () => {
    const group = await groupWith({
      joinPolicy: 'approval',
      entryQuestions: 'Have you been diagnosed with type 1 diabetes?\nWhat do you hope to find here?',
    });
    const applicant = await world.member('Hopeful');
    expect((await applicant.post(`/g/${group.slug}/join`)).statusCode).toBe(403);
    const page = textOf((await applicant.get(`/g/${group.slug}`)).body);
    expect(page).toContain('Apply to join');
    const form = await applicant.get(`/g/${group.slug}/apply`);
    expect(textOf(form.body)).toContain('Have you been diagnosed with type 1 diabetes?');

    const incomplete = await applicant.post(`/g/${group.slug}/apply`, { answers: ['Yes, in 2019', ''] });
    expect(incomplete.statusCode).toBe(400);
    expect(textOf(incomplete.body)).toContain('Please answer this question.');
    expect(incomplete.body).toContain('Yes, in 2019');

    await applicant.post(`/g/${group.slug}/apply`, { answers: ['Yes, in 2019', 'People who get it'] });
    expect(textOf((await applicant.get(`/g/${group.slug}/apply`)).body)).toContain('Your application is waiting');

    const outsider = await world.member('Nosy');
    expect((await outsider.get(`/g/${group.slug}/applications`)).statusCode).toBe(403);
    const queue = await owner.get(`/g/${group.slug}/applications`);
    expect(textOf(queue.body)).toContain('Hopeful');
    expect(textOf(queue.body)).toContain('People who get it');
    const id = /\/applications\/(\d+)\/decision/.exec(queue.body)![1]!;
    const decided = await owner.post(`/applications/${id}/decision`, {
      decision: 'approve',
      message: 'Welcome aboard',
    });
    expect(decided.statusCode).toBe(303);
    expect(textOf((await applicant.get(`/g/${group.slug}`)).body)).toContain('You are a member');
    const mail = (await world.outbox()).find((m) => m.to === 'hopeful@example.org');
    expect(mail?.subject).toBe('News about your application on Mutual');
    expect(mail?.subject).not.toContain(group.name);
    expect(mail?.text).toContain('Welcome aboard');
    expect((await owner.post(`/applications/${id}/decision`, { decision: 'decline' })).statusCode).toBe(400);
    const audit = textOf((await owner.get(`/g/${group.slug}/audit`)).body);
    expect(audit).toContain('Approved an application · Hopeful');

    const declined = await world.member('Not Yet');
    await declined.post(`/g/${group.slug}/apply`, { answers: ['No', 'Curious'] });
    const queue2 = await owner.get(`/g/${group.slug}/applications`);
    const id2 = /\/applications\/(\d+)\/decision/.exec(queue2.body)![1]!;
    await owner.post(`/applications/${id2}/decision`, {
      decision: 'decline',
      message: 'This group is for people with a diagnosis.',
    });
    const state = textOf((await declined.get(`/g/${group.slug}/apply`)).body);
    expect(state).toContain('Your last application was not accepted.');
    expect(state).toContain('This group is for people with a diagnosis.');
  });

  it('lets people in by invite link or emailed invitation, within its expiry and use limit, until revoked', async () => {
    const group = await groupWith({ joinPolicy: 'invitation' });
    const guest = await world.member('Guest One');
    expect((await guest.post(`/g/${group.slug}/join`)).statusCode).toBe(403);
    expect(textOf((await guest.get(`/g/${group.slug}`)).body)).toContain('Joining is by invitation only.');

    await owner.get(`/g/${group.slug}/invitations`);
    const bad = await owner.post(`/g/${group.slug}/invitations`, { days: '365', uses: '2' });
    expect(textOf(bad.body)).toContain('Choose between 1 and 90 days.');
    const created = await owner.post(`/g/${group.slug}/invitations`, { days: '7', uses: '1' });
    const link = /value="http:\/\/localhost:3000(\/invite\/[^"]+)"/.exec(created.body)![1]!;
    expect(textOf((await guest.get(link)).body)).toContain(`You are invited to join ${group.name}`);
    expect((await guest.post(link)).headers.location).toBe(`/g/${group.slug}?notice=joined`);
    const second = await world.member('Guest Two');
    expect((await second.get(link)).statusCode).toBe(404);

    const emailed = await owner.post(`/g/${group.slug}/invitations`, {
      email: 'guesttwo@example.org',
      days: '7',
      uses: '1',
    });
    expect(textOf(emailed.body)).toContain('An invitation is on its way to guesttwo@example.org');
    const mail = (await world.outbox()).find((m) => m.to === 'guesttwo@example.org')!;
    const mailed = /http:\/\/localhost:3000(\/invite\/\S+)/.exec(mail.text)![1]!;
    const stranger = await world.member('Guest Three');
    expect((await stranger.post(mailed)).statusCode).toBe(403);
    expect((await second.post(mailed)).statusCode).toBe(303);

    const revokable = await owner.post(`/g/${group.slug}/invitations`, { days: '7', uses: '5' });
    const revLink = /value="http:\/\/localhost:3000(\/invite\/[^"]+)"/.exec(revokable.body)![1]!;
    const list = await owner.get(`/g/${group.slug}/invitations`);
    const ids = [...list.body.matchAll(/\/invitations\/(\d+)\/revoke/g)].map((m) => m[1]!);
    for (const id of ids) await owner.post(`/g/${group.slug}/invitations/${id}/revoke`);
    expect((await stranger.get(revLink)).statusCode).toBe(404);
  });

  it('keeps unlisted groups out of the directory and home page, but reachable by link', async () => {
    const group = await groupWith({ joinPolicy: 'open', listed: '' }, { name: 'Hidden harbour' });
    const visitor = world.agent();
    expect((await visitor.get('/groups')).body).not.toContain('Hidden harbour');
    expect((await visitor.get('/groups?sort=newest')).body).not.toContain('Hidden harbour');
    expect((await visitor.get('/')).body).not.toContain('Hidden harbour');
    expect((await visitor.get(`/g/${group.slug}`)).statusCode).toBe(200);
  });

  it('removes and bans members with a reason; a banned person cannot rejoin until the ban is lifted', async () => {
    const group = await groupWith({ joinPolicy: 'open' });
    const troll = await world.member('Trouble');
    await troll.post(`/g/${group.slug}/join`);
    const bystander = await world.member('Calm Member');
    await bystander.post(`/g/${group.slug}/join`);
    expect((await bystander.post(`/g/${group.slug}/members/Trouble/remove`, { reason: 'unkind' })).statusCode).toBe(
      403,
    );
    const noReason = await owner.post(`/g/${group.slug}/members/Trouble/remove`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(textOf(noReason.body)).toContain('Please give a reason');
    const removed = await owner.post(`/g/${group.slug}/members/Trouble/remove`, {
      reason: 'Repeated unkind posts',
      ban: 'on',
    });
    expect(removed.statusCode).toBe(303);
    const rejoin = await troll.post(`/g/${group.slug}/join`);
    expect(rejoin.statusCode).toBe(403);
    expect(textOf(rejoin.body)).toContain('You can no longer take part in this group.');
    expect(textOf((await owner.get(`/g/${group.slug}/members`)).body)).toContain('Repeated unkind posts');
    expect(textOf((await owner.get(`/g/${group.slug}/audit`)).body)).toContain('Removed and banned a member · Trouble');
    await owner.post(`/g/${group.slug}/bans/Trouble/lift`);
    expect((await troll.post(`/g/${group.slug}/join`)).statusCode).toBe(303);
  });

  it('refuses settings from anyone but those who manage the group, and bad values with a message', async () => {
    const group = await makeGroup(world, ownerUser);
    const member = await world.member('Settings Peeker');
    await member.post(`/g/${group.slug}/join`);
    expect((await member.get(`/g/${group.slug}/settings`)).statusCode).toBe(403);
    expect(
      (await member.post(`/g/${group.slug}/settings`, { joinPolicy: 'open', slowModeMinutes: '0' })).statusCode,
    ).toBe(403);
    const bad = await owner.post(`/g/${group.slug}/settings`, {
      joinPolicy: 'approval',
      slowModeMinutes: 'lots',
      entryQuestions: 'a\nb\nc\nd\ne\nf',
    });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Enter a number of minutes from 0 (off) to 1,440.');
    expect(textOf(bad.body)).toContain('Up to 5 questions');
    const domain = await owner.post(`/g/${group.slug}/settings`, {
      joinPolicy: 'open',
      slowModeMinutes: '0',
      allowedEmailDomain: 'hospital.example.org',
    });
    expect(textOf(domain.body)).toContain('Only a group run by an organisation can be limited to an email domain.');
  });

  it('limits an organisation group to an email domain', async () => {
    const group = await makeGroup(world, ownerUser);
    await world.database.db.update(groups).set({ allowedEmailDomain: 'example.net' }).where(eq(groups.id, group.id));
    const wrong = await world.member('Wrong Domain');
    const res = await wrong.post(`/g/${group.slug}/join`);
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain('This group is for people with an email address from its organisation.');
  });
});
