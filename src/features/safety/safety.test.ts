import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';

const gb = { 'accept-language': 'en-GB,en;q=0.9' };
const crisisWords = 'I don’t want to be here anymore. I have been saving my pills.';

/** Confirms an agent's email address the way its owner would: by the link in the mail. */
async function confirmEmail(world: TestWorld, agent: Agent, email: string): Promise<void> {
  await agent.post('/account/verify-email');
  const mail = (await world.outbox()).find((m) => m.to === email && m.text.includes('/verify-email/'));
  const link = /http:\/\/localhost:3000(\/verify-email\/\S+)/.exec(mail!.text)![1]!;
  expect((await agent.post(link)).statusCode).toBe(303);
}

/*
 * Crisis support: a post that reads as someone in danger stays up; its author is shown help for
 * their country at once and can ask for a check-in; the group's leaders are alerted in the app and
 * by an email that gives nothing away, and close the alert with a note.
 */
describe('crisis support', () => {
  let world: TestWorld;
  let admin: Agent;
  let owner: Agent;
  let moderator: Agent;
  let author: Agent;
  let reader: Agent;
  let slug: string;
  let groupName: string;

  beforeAll(async () => {
    world = await createWorld();
    const a = await world.createUser('Site Admin');
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    await turnOnTwoFactor(world.database.db, a.id);
    const o = await world.createUser('Owner Olu');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    await confirmEmail(world, owner, o.email);
    const group = await makeGroup(world, o, { name: 'Carers who are running on empty' });
    slug = group.slug;
    groupName = group.name;
    moderator = await world.member('Moderator Mo');
    await moderator.post(`/g/${slug}/join`);
    await owner.post(`/g/${slug}/members/${encodeURIComponent('Moderator Mo')}/role`, { role: 'moderator' });
    author = await world.member('Author Alex');
    await author.post(`/g/${slug}/join`);
    reader = await world.member('Reader Robin');
    await reader.post(`/g/${slug}/join`);
  });
  afterAll(() => world.close());

  it('links "Get help now" from every page, with help for the visitor’s country', async () => {
    const visitor = world.agent();
    const home = await visitor.get('/', gb);
    expect(home.body).toContain('href="/help"');
    expect(textOf(home.body)).toContain('Get help now');

    const britain = textOf((await visitor.get('/help', gb)).body);
    expect(britain).toContain('Showing help for United Kingdom.');
    expect(britain).toContain('Samaritans');
    expect(britain).toContain('116 123');
    expect(britain).toContain('999');
    expect(britain).toContain('Find A Helpline');
    expect(britain).not.toContain('988');

    const us = textOf((await visitor.get('/help', { 'accept-language': 'en-US' })).body);
    expect(us).toContain('988 Suicide & Crisis Lifeline');
    expect(us).toContain('911');

    // A language without a region says nothing about a country: the directory for everywhere, and a choice.
    const anywhere = textOf((await visitor.get('/help', { 'accept-language': 'en' })).body);
    expect(anywhere).toContain('Choose your country to see its crisis lines.');
    expect(anywhere).toContain('Find A Helpline');
    expect(anywhere).not.toContain('Samaritans');

    const chosen = textOf((await visitor.get('/help?country=au', gb)).body);
    expect(chosen).toContain('Lifeline');
    expect(chosen).toContain('13 11 14');
    expect(chosen).toContain('000');
    // Anything else in the address is ignored, not an error.
    expect((await visitor.get('/help?country=%3Cscript%3E', gb)).statusCode).toBe(200);
  });

  it('follows the country a member chose in their settings over their browser', async () => {
    const member = await world.member('Kiwi Kit');
    const form = (await member.get('/account/settings')).body;
    expect(form).toContain('Country for help lines');
    const saved = await member.post('/account/settings', {
      membershipVisibility: 'members',
      timeZone: 'Pacific/Auckland',
      locale: 'auto',
      country: 'NZ',
    });
    expect(saved.statusCode).toBe(303);
    const help = textOf((await member.get('/help', gb)).body);
    expect(help).toContain('Need to talk? 1737');
    expect(help).not.toContain('Samaritans');
    const refused = await member.post('/account/settings', {
      membershipVisibility: 'members',
      timeZone: 'UTC',
      locale: 'auto',
      country: 'QQ',
    });
    expect(refused.statusCode).toBe(400);
  });

  it('keeps the post up and puts help for their country in front of its author', async () => {
    const res = await author.post(`/g/${slug}/threads/new`, { title: 'Tonight', body: crisisWords }, { headers: gb });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/\?notice=threadCreated&support=\d+#crisis-panel$/);

    const page = textOf((await author.get(location, gb)).body);
    expect(page).toContain('We are glad you shared this');
    expect(page).toContain('Your post is up, and the group can read it.');
    expect(page).toContain('Samaritans');
    expect(page).toContain('Ask a leader to check in with me');
    expect(page).toContain('I have been saving my pills.');

    // The post stands for the group; the help panel is the author's alone, even with the same address.
    const seenByReader = textOf((await reader.get(location, gb)).body);
    expect(seenByReader).toContain('I have been saving my pills.');
    expect(seenByReader).not.toContain('We are glad you shared this');
  });

  it('alerts the group’s leaders in the app and by an email that names nobody and quotes nothing', async () => {
    for (const leader of [owner, moderator]) {
      const text = textOf((await leader.get('/notifications')).body);
      expect(text).toContain(`A post in ${groupName} reads as if its author may be in crisis.`);
    }
    expect(textOf((await reader.get('/notifications')).body)).not.toContain('may be in crisis');
    expect(textOf((await author.get('/notifications')).body)).not.toContain('may be in crisis');

    const mails = (await world.outbox()).filter((m) => m.subject === 'A member may need support');
    // Only the owner confirmed their address: the moderator's is not used until they do.
    expect(mails.map((m) => m.to)).toEqual(['ownerolu@example.org']);
    const mail = mails[0]!;
    expect(mail.text).toContain(`http://localhost:3000/g/${slug}/safety`);
    for (const secret of [groupName, 'Author Alex', 'saving my pills', 'Tonight'])
      expect(`${mail.subject}\n${mail.text}`).not.toContain(secret);
  });

  it('lets the author ask for a check-in, and a leader answer privately and close the alert with a note', async () => {
    const alerts = textOf((await moderator.get(`/g/${slug}/safety`)).body);
    expect(alerts).toContain('Tonight');
    expect(alerts).toContain('Author Alex');
    expect(alerts).toContain('thoughts of suicide');
    const alertId = Number(
      /\/safety\/alerts\/(\d+)\/resolve/.exec((await moderator.get(`/g/${slug}/safety`)).body)![1],
    );

    // Only the author can ask for a check-in about their post.
    expect((await reader.post(`/safety/alerts/${alertId}/check-in`)).statusCode).toBe(404);
    const asked = await author.post(`/safety/alerts/${alertId}/check-in`, {}, { htmx: true });
    expect(asked.statusCode).toBe(200);
    expect(textOf(asked.body)).toContain('The group’s leaders have been asked to check in with you.');
    expect(textOf((await owner.get('/notifications')).body)).toContain('asked the group’s leaders to check in');
    expect(textOf((await moderator.get(`/g/${slug}/safety`)).body)).toContain('The author asked for a check-in');

    // A message with nothing in it is refused, with the form as it was.
    const empty = await moderator.post(`/safety/alerts/${alertId}/check-in-message`, { message: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(textOf(empty.body)).toContain('Write the message.');
    const sent = await moderator.post(`/safety/alerts/${alertId}/check-in-message`, {
      message: 'Thinking of you tonight. Would you like to talk?',
    });
    expect(sent.statusCode).toBe(303);
    const told = textOf((await author.get('/notifications')).body);
    expect(told).toContain('A moderator of');
    expect(told).toContain('Thinking of you tonight. Would you like to talk?');
    expect(told).not.toContain('Moderator Mo');

    const noNote = await moderator.post(`/safety/alerts/${alertId}/resolve`, { note: '' });
    expect(noNote.statusCode).toBe(400);
    expect(textOf(noNote.body)).toContain('Write a short note of what was done.');
    const closed = await moderator.post(`/safety/alerts/${alertId}/resolve`, {
      note: 'Talked by message; Alex has a plan for tonight and called Samaritans.',
    });
    expect(closed.headers.location).toBe(`/g/${slug}/safety?notice=alertResolved`);
    const after = textOf((await owner.get(`/g/${slug}/safety`)).body);
    expect(after).toContain('No open alerts.');
    expect(after).toContain('Alex has a plan for tonight');
  });

  it('shows the panel in place when a reply is sent with htmx, and not for figurative words', async () => {
    const threadUrl = /href="(\/g\/[^"]+\/t\/\d+)"/.exec((await reader.get(`/g/${slug}`)).body)![1]!;
    const threadId = Number(/\/t\/(\d+)/.exec(threadUrl)![1]);
    const calm = await reader.post(
      `/threads/${threadId}/replies`,
      { body: 'This migraine is killing me, but I would kill for a coffee with you all.' },
      { htmx: true, headers: gb },
    );
    expect(calm.statusCode).toBe(200);
    expect(calm.body).not.toContain('crisis-panel');

    const reply = await reader.post(
      `/threads/${threadId}/replies`,
      { body: 'Me too. I want to kill myself tonight.' },
      { htmx: true, headers: gb },
    );
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('hx-swap-oob="outerHTML"');
    expect(textOf(reply.body)).toContain('We are glad you shared this');
    expect(textOf(reply.body)).toContain('Samaritans');
  });

  it('keeps an anonymous author hidden from the leaders on the alerts page', async () => {
    await owner.post(`/g/${slug}/settings`, {
      joinPolicy: 'open',
      listed: 'on',
      slowModeMinutes: '0',
      anonymousPosts: 'on',
    });
    const res = await author.post(`/g/${slug}/threads/new`, {
      title: 'Not sure who to tell',
      body: 'I cut myself again last night and I can’t stop.',
      anonymous: 'on',
    });
    expect(res.headers.location).toContain('&support=');
    const alerts = textOf((await owner.get(`/g/${slug}/safety`)).body);
    const alert = alerts.slice(alerts.indexOf('Not sure who to tell'), alerts.indexOf('Closed in the last 30 days'));
    expect(alert).toContain('Anonymous member');
    expect(alert).toContain('self-harm');
    expect(alert).not.toContain('Author Alex');
  });

  it('tells the site’s administrators when the author leads the group alone', async () => {
    const solo = await world.createUser('Solo Sam');
    const sam = world.agent();
    await sam.logIn(solo.email, solo.password);
    const group = await makeGroup(world, solo, { name: 'Night shift nurses' });
    const res = await sam.post(`/g/${group.slug}/threads/new`, { title: 'Done', body: 'I want to kill myself.' });
    expect(res.headers.location).toContain('&support=');
    expect(textOf((await admin.get('/notifications')).body)).toContain(
      'A post in Night shift nurses reads as if its author may be in crisis.',
    );
    expect(textOf((await sam.get('/notifications')).body)).not.toContain('may be in crisis');
    expect(textOf((await admin.get(`/g/${group.slug}/safety`)).body)).toContain('Done');
  });

  it('shows the alerts only to the group’s leaders', async () => {
    expect((await reader.get(`/g/${slug}/safety`)).statusCode).toBe(403);
    expect((await world.agent().get(`/g/${slug}/safety`)).statusCode).toBe(303);
    expect((await moderator.get(`/g/${slug}/safety`)).statusCode).toBe(200);
  });

  it('lets site admins keep the help lines, refusing bad ones with the text kept', async () => {
    expect((await owner.get('/admin/crisis-resources')).statusCode).toBe(404);
    expect((await owner.post('/admin/crisis-resources', { country: 'GB', name: 'X', phone: '1' })).statusCode).toBe(
      404,
    );
    const page = textOf((await admin.get('/admin/crisis-resources')).body);
    expect(page).toContain('Samaritans');

    const bad = await admin.post('/admin/crisis-resources', {
      country: 'GB',
      name: 'Shout',
      description: 'Text support',
      phone: '',
      sms: '',
      chatUrl: 'http://insecure.example',
      websiteUrl: '',
      hours: '24/7',
      languages: 'en',
      position: '1',
    });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Use a full https:// address.');
    expect(bad.body).toContain('value="Shout"');

    const good = await admin.post('/admin/crisis-resources', {
      country: 'gb',
      name: 'Shout',
      description: 'Text support, any time',
      phone: '',
      sms: '85258',
      chatUrl: '',
      websiteUrl: 'https://giveusashout.org',
      hours: '24/7',
      languages: 'en',
      position: '1',
    });
    expect(good.headers.location).toBe('/admin/crisis-resources?notice=resourceAdded');
    const help = textOf((await world.agent().get('/help', gb)).body);
    expect(help).toContain('Shout');
    expect(help).toContain('85258');

    const listed = (await admin.get('/admin/crisis-resources')).body;
    const id = /crisis-resources\/(\d+)\/delete"(?:(?!\/delete").)*?Remove Shout/s.exec(listed)?.[1];
    expect(id).toBeDefined();
    expect((await admin.post(`/admin/crisis-resources/${id}/delete`)).statusCode).toBe(303);
    expect(textOf((await world.agent().get('/help', gb)).body)).not.toContain('Shout');
  });
});
