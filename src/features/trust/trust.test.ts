import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { defaultPostingLimits, defaultRateLimits } from '../../platform/deps.js';
import { earnedLevel, trustLevel, type TrustActivity } from './levels.js';
import { countLinks } from './limits.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { exportTrustData, grantTrustLevel, trustLevelOf } from './index.js';

const DAY = 24 * 3600 * 1000;

describe('trust levels from activity', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const activity = (over: Partial<TrustActivity>): TrustActivity => ({
    accountCreatedAt: now,
    daysVisited: 0,
    posts: 0,
    reactedReplies: 0,
    hiddenRecently: 0,
    manualLevel: null,
    locked: false,
    ...over,
  });
  const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

  it.each([
    ['a new account', {}, 0],
    ['a reader on their second day', { accountCreatedAt: daysAgo(1), daysVisited: 2 }, 1],
    ['a reader back within the day', { accountCreatedAt: daysAgo(0.5), daysVisited: 2 }, 0],
    [
      'a member who posts and is found helpful',
      { accountCreatedAt: daysAgo(14), daysVisited: 10, posts: 5, reactedReplies: 2 },
      2,
    ],
    [
      'someone who posts a lot but whose replies nobody reacted to',
      { accountCreatedAt: daysAgo(30), daysVisited: 20, posts: 40, reactedReplies: 1 },
      1,
    ],
    ['a regular', { accountCreatedAt: daysAgo(60), daysVisited: 50, posts: 30, reactedReplies: 10 }, 3],
    [
      'a regular with a post a moderator hid',
      { accountCreatedAt: daysAgo(60), daysVisited: 50, posts: 30, reactedReplies: 10, hiddenRecently: 1 },
      1,
    ],
    [
      'a regular with three posts moderators hid',
      { accountCreatedAt: daysAgo(60), daysVisited: 50, posts: 30, reactedReplies: 10, hiddenRecently: 3 },
      0,
    ],
  ] as const)('%s is at level %#', (_name, over, level) => {
    expect(earnedLevel(activity(over), now)).toBe(level);
  });

  it('treats a level set by hand as a floor, or as fixed when locked', () => {
    const regular = { accountCreatedAt: daysAgo(60), daysVisited: 50, posts: 30, reactedReplies: 10 };
    expect(trustLevel(activity({ manualLevel: 2 }), now)).toBe(2);
    expect(trustLevel(activity({ ...regular, manualLevel: 1 }), now)).toBe(3);
    expect(trustLevel(activity({ ...regular, manualLevel: 0, locked: true }), now)).toBe(0);
    expect(trustLevel(activity({ manualLevel: 3, locked: true }), now)).toBe(3);
  });

  it('counts links and images, however they are written', () => {
    expect(countLinks('No links here, just www and http words.')).toBe(0);
    expect(countLinks('See https://example.org and www.example.com')).toBe(2);
    expect(countLinks('[a guide](https://example.org/guide)')).toBe(1);
    expect(countLinks('![me](/uploads/me.png) and <img src=x>')).toBe(2);
  });
});

describe('trust levels earned on the site', () => {
  let world: TestWorld;
  let slug: string;

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Site Admin');
    const owner = await world.createUser('Owner Oak');
    slug = (await makeGroup(world, owner)).slug;
  });
  afterAll(() => world.close());

  it('counts days visited, posts and replies others reacted to', async () => {
    const db = world.database.db;
    const rowan = await world.createUser('Rowan');
    const agent = world.agent();
    await agent.logIn(rowan.email, rowan.password);
    // Logging in counts today; logging in again the same day does not count it twice.
    await world.agent().logIn(rowan.email, rowan.password);
    const visits = await db.execute(sql`select days_visited from user_trust where user_id = ${rowan.id}`);
    expect(Number((visits as unknown as { rows: { days_visited: number }[] }).rows[0]!.days_visited)).toBe(1);
    expect(await trustLevelOf(db, rowan.id)).toBe(0);

    // The next day, her first page counts that day too (noted with the session, in the same query).
    await db.execute(
      sql`update user_trust set last_visit_on = (now() at time zone 'utc')::date - 1 where user_id = ${rowan.id}`,
    );
    await db.execute(sql`update sessions set last_seen_at = now() - interval '10 minutes' where user_id = ${rowan.id}`);
    expect((await agent.get('/groups')).statusCode).toBe(200);
    await agent.get('/groups');
    const later = await db.execute(sql`select days_visited from user_trust where user_id = ${rowan.id}`);
    expect(Number((later as unknown as { rows: { days_visited: number }[] }).rows[0]!.days_visited)).toBe(2);
    // Her account is still less than a day old.
    expect(await trustLevelOf(db, rowan.id)).toBe(0);

    // Weeks pass (the account and its visits are moved back, as the calendar would).
    await db.execute(sql`update users set created_at = now() - interval '20 days' where id = ${rowan.id}`);
    await db.execute(sql`update user_trust set days_visited = 12 where user_id = ${rowan.id}`);
    expect(await trustLevelOf(db, rowan.id)).toBe(1);

    await agent.post(`/g/${slug}/join`);
    const opened = await agent.post(`/g/${slug}/threads/new`, { title: 'Hello all', body: 'Glad to be here.' });
    const threadId = Number(String(opened.headers.location).split('?')[0]!.split('/').pop());
    const replyIds: number[] = [];
    for (const body of ['One thing that helps me', 'Another thing', 'A third', 'And a fourth']) {
      const res = await agent.post(`/threads/${threadId}/replies`, { body });
      replyIds.push(Number(/#post-(\d+)/.exec(String(res.headers.location))![1]));
    }
    expect(await trustLevelOf(db, rowan.id)).toBe(1);

    // Her own reaction does not count; two from someone else on two replies do.
    await agent.post(`/posts/${replyIds[0]}/reactions/helpful`);
    expect(await trustLevelOf(db, rowan.id)).toBe(1);
    const friend = await world.member('Friend Fern');
    await friend.post(`/g/${slug}/join`);
    await friend.post(`/posts/${replyIds[0]}/reactions/helpful`);
    await friend.post(`/posts/${replyIds[1]}/reactions/support`);
    expect(await trustLevelOf(db, rowan.id)).toBe(2);
  });
});

describe('limits for new accounts', () => {
  let world: TestWorld;
  let owner: Agent;
  let slug: string;
  let threadId: number;

  beforeAll(async () => {
    world = await createWorld({ postingLimits: defaultPostingLimits });
    await world.createUser('Site Admin');
    const o = await world.createUser('Owner Oak');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o)).slug;
    const started = await owner.post(`/g/${slug}/threads/new`, { title: 'Welcome', body: 'Say hello.' });
    threadId = Number(String(started.headers.location).split('?')[0]!.split('/').pop());
  });
  afterAll(() => world.close());

  async function newcomer(name: string) {
    const agent = await world.member(name);
    await agent.post(`/g/${slug}/join`);
    return agent;
  }

  it('keeps links and pictures out of a new account’s posts, keeping their words', async () => {
    const willow = await newcomer('Willow');
    const body = 'This helped me: [a respite guide](https://example.org/respite)';
    const res = await willow.post(`/g/${slug}/threads/new`, { title: 'Respite care', body });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('New accounts can’t share links or pictures just yet');
    expect(res.body).toContain('https://example.org/respite');
    expect(res.body).toContain('Respite care');

    const image = await willow.post(`/threads/${threadId}/replies`, { body: 'Me ![me](https://example.org/me.png)' });
    expect(image.statusCode).toBe(400);
    expect(textOf(image.body)).toContain('can’t share links or pictures');

    // With htmx the reply form comes back in place, still holding the text.
    const htmx = await willow.post(`/threads/${threadId}/replies`, { body: 'Look: www.example.org' }, { htmx: true });
    expect(htmx.statusCode).toBe(422);
    expect(textOf(htmx.body)).toContain('can’t share links or pictures');
    expect(htmx.body).toContain('Look: www.example.org');

    // Without the link, it posts.
    const plain = await willow.post(`/threads/${threadId}/replies`, { body: 'Respite care helped me.' });
    expect(plain.statusCode).toBe(303);
  });

  it('limits how often a new account posts; edits are not limited, but cannot add links', async () => {
    const birch = await newcomer('Birch');
    for (let i = 1; i <= 10; i++) {
      const res = await birch.post(`/threads/${threadId}/replies`, { body: `Thought number ${i}` });
      expect(res.statusCode, `reply ${i}`).toBe(303);
    }
    const eleventh = await birch.post(`/threads/${threadId}/replies`, { body: 'One more thought before bed' });
    expect(eleventh.statusCode).toBe(400);
    expect(textOf(eleventh.body)).toContain('You have posted 10 times in the last hour');
    expect(eleventh.body).toContain('One more thought before bed');

    const [mine] = (
      (await world.database.db.execute(
        sql`select p.id from posts p join users u on u.id = p.author_id where u.pseudonym = 'Birch' limit 1`,
      )) as unknown as { rows: { id: number }[] }
    ).rows;
    const edit = await birch.post(`/posts/${mine!.id}/edit`, { body: 'Thought number 1, said better' });
    expect(edit.statusCode).toBe(303);
    const linked = await birch.post(`/posts/${mine!.id}/edit`, { body: 'Buy here https://spam.example' });
    expect(linked.statusCode).toBe(400);
    expect(linked.body).toContain('Buy here https://spam.example');
  });

  it('lets a new account start three discussions a day', async () => {
    const cedar = await newcomer('Cedar');
    for (const title of ['First worry', 'Second worry', 'Third worry']) {
      expect((await cedar.post(`/g/${slug}/threads/new`, { title, body: `${title} on my mind` })).statusCode).toBe(303);
    }
    const fourth = await cedar.post(`/g/${slug}/threads/new`, { title: 'Fourth worry', body: 'Still more' });
    expect(fourth.statusCode).toBe(400);
    expect(textOf(fourth.body)).toContain('For now you can start 3 new discussions a day');
    expect(fourth.body).toContain('Fourth worry');
    // Replying is still open to them.
    expect((await cedar.post(`/threads/${threadId}/replies`, { body: 'Thank you all' })).statusCode).toBe(303);
  });

  it('refuses the same words again from the same person, but not short words of comfort', async () => {
    const dove = await newcomer('Dove');
    const other = await owner.post(`/g/${slug}/threads/new`, { title: 'Second thread', body: 'Another place.' });
    const otherId = Number(String(other.headers.location).split('?')[0]!.split('/').pop());
    const body = 'Has anyone tried the new clinic on the high street for carers?';
    expect((await dove.post(`/threads/${threadId}/replies`, { body })).statusCode).toBe(303);
    const again = await dove.post(`/threads/${otherId}/replies`, { body: `  ${body.toUpperCase()} ` });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('You posted these same words a little while ago');
    expect(again.body).toContain(body.toUpperCase());
    expect((await dove.post(`/threads/${threadId}/replies`, { body: 'Thinking of you.' })).statusCode).toBe(303);
    expect((await dove.post(`/threads/${otherId}/replies`, { body: 'Thinking of you.' })).statusCode).toBe(303);
  });

  it('spares the group’s leaders in their own group', async () => {
    for (let i = 1; i <= 12; i++) {
      const res = await owner.post(`/threads/${threadId}/replies`, {
        body: `Our ground rules are at https://example.org/rules (reminder ${i % 2})`,
      });
      expect(res.statusCode, `leader reply ${i}`).toBe(303);
    }
  });

  it('holds a newcomer’s first post in a group that asks for it, until a leader approves it', async () => {
    const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0', approveFirstPosts: 'on' };
    expect((await owner.post(`/g/${slug}/settings`, settings)).statusCode).toBe(303);
    expect((await owner.get(`/g/${slug}/settings`)).body).toMatch(/name="approveFirstPosts"[^>]*checked/);

    const elm = await newcomer('Elm');
    const first = await elm.post(`/threads/${threadId}/replies`, { body: 'Hello, I am new here.' });
    expect(first.statusCode).toBe(303);
    expect(String(first.headers.location)).toContain('notice=awaitingApproval');
    const postId = Number(/#post-(\d+)/.exec(String(first.headers.location))![1]);
    expect(textOf((await world.agent().get(`/g/${slug}/t/${threadId}`)).body)).not.toContain('I am new here');

    // Until one is approved, the next waits too.
    const second = await elm.post(`/threads/${threadId}/replies`, { body: 'Is anyone around?' });
    expect(String(second.headers.location)).toContain('notice=awaitingApproval');
    expect((await owner.post(`/posts/${postId}/review`, { decision: 'approve' })).statusCode).toBe(303);
    const third = await elm.post(`/threads/${threadId}/replies`, { body: 'Thank you for letting me in.' });
    expect(String(third.headers.location)).toContain('notice=replied');

    // Someone trusted on the site (level 2, set by a site admin here) is not held.
    const fir = await newcomer('Fir');
    await grantTrustLevel(world.database.db, (await findUserIdByPseudonym(world.database.db, 'Fir'))!, 2, false);
    const trusted = await fir.post(`/threads/${threadId}/replies`, { body: 'Welcome, Elm.' });
    expect(String(trusted.headers.location)).toContain('notice=replied');
  });
});

describe('setting a level by hand', () => {
  let world: TestWorld;
  let admin: Agent;
  let adminId: number;

  beforeAll(async () => {
    world = await createWorld();
    const a = await world.createUser('Site Admin');
    adminId = a.id;
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    await world.createUser('Hazel Grove');
    await world.createUser('Hawthorn');
  });
  afterAll(() => world.close());

  it('is for site admins with two-step verification on', async () => {
    const member = await world.member('Ivy');
    expect((await member.get('/admin/trust')).statusCode).toBe(404);
    expect((await member.post('/admin/trust', { pseudonym: 'Ivy', level: '3' })).statusCode).toBe(404);
    const before = await admin.get('/admin/trust');
    expect(before.statusCode).toBe(403);
    expect(textOf(before.body)).toContain('two-step verification');
    expect((await world.agent().get('/admin/trust')).headers.location).toBe('/login?next=%2Fadmin%2Ftrust');
  });

  it('finds people by pseudonym, sets a level and locks it, and gives it back', async () => {
    await turnOnTwoFactor(world.database.db, adminId);
    const found = textOf((await admin.get('/admin/trust?q=ha')).body);
    expect(found).toContain('Hazel Grove');
    expect(found).toContain('Hawthorn');
    expect(found).not.toContain('Ivy');
    expect(found).toContain('Level: New');

    const set = await admin.post('/admin/trust', { pseudonym: 'hazel grove', level: '2', locked: 'on' });
    expect(set.statusCode).toBe(303);
    const page = await admin.get(String(set.headers.location));
    expect(textOf(page.body)).toContain('The trust level is saved.');
    expect(textOf(page.body)).toContain('Level: Member · locked at Member');
    const hazel = (await world.database.db.execute(
      sql`select id from users where pseudonym = 'Hazel Grove'`,
    )) as unknown as {
      rows: { id: number }[];
    };
    const hazelId = Number(hazel.rows[0]!.id);
    expect(await trustLevelOf(world.database.db, hazelId)).toBe(2);
    // Without a search, the page lists the levels set by hand.
    expect(textOf((await admin.get('/admin/trust')).body)).toContain('Hazel Grove');

    const cleared = await admin.post('/admin/trust', { pseudonym: 'Hazel Grove', level: 'auto' });
    expect(cleared.statusCode, textOf(cleared.body)).toBe(303);
    expect(await trustLevelOf(world.database.db, hazelId)).toBe(0);
    expect(textOf((await admin.get('/admin/trust')).body)).toContain('No one’s level has been set by hand.');
  });

  it('says so when no one goes by the name, or no level is chosen', async () => {
    const nobody = await admin.post('/admin/trust', { pseudonym: 'Nobody Here', level: '1' });
    expect(nobody.statusCode, textOf(nobody.body)).toBe(400);
    expect(textOf(nobody.body)).toContain('No one goes by that name.');
    const noLevel = await admin.post('/admin/trust', { pseudonym: 'Hawthorn', level: '7' });
    expect(noLevel.statusCode).toBe(400);
    expect(textOf(noLevel.body)).toContain('Choose a level');
  });
});

describe('what the trust feature keeps about a person', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Site Admin');
  });
  afterAll(() => world.close());

  it('is in their data, and goes with their account', async () => {
    const db = world.database.db;
    const juniper = await world.createUser('Juniper');
    await world.agent().logIn(juniper.email, juniper.password);
    await grantTrustLevel(db, juniper.id, 1, true);
    expect(await exportTrustData(db, juniper.id)).toEqual({
      level: 1,
      daysVisited: 1,
      lastVisitOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      levelSetByHand: 1,
      locked: true,
    });
    await db.execute(sql`delete from users where id = ${juniper.id}`);
    const left = (await db.execute(
      sql`select count(*) as n from user_trust where user_id = ${juniper.id}`,
    )) as unknown as {
      rows: { n: number }[];
    };
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});

describe('signing up', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await createWorld({ limits: { signUp: defaultRateLimits.signUp } });
    await world.createUser('Site Admin');
  });
  afterAll(() => world.close());

  it('is limited to five new accounts an hour from one address', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const visitor = world.agent();
      await visitor.get('/signup');
      const res = await visitor.post('/signup', {
        email: `newcomer${i}@example.org`,
        password: 'a long enough password',
        pseudonym: `Newcomer ${i}`,
      });
      statuses.push(res.statusCode);
      if (i === 6) expect(textOf(res.body)).toContain('Please slow down a little');
    }
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
  });
});
