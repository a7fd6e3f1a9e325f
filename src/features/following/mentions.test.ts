import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { mentionCandidates, renderWithMentions } from '../../platform/views/markdown.js';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import { mentions } from './schema.js';

describe('what a mention is, in a post’s words', () => {
  const names = new Map([
    ['sam', 'Sam'],
    ['sam taylor', 'Sam Taylor'],
    ['rosa b.', 'Rosa B.'],
  ]);
  const render = (source: string) => renderWithMentions(source, { names, href: (n) => `/n/${encodeURIComponent(n)}` });

  it('reads the longest known name after an "@", or a quoted one', () => {
    expect(mentionCandidates('Thanks @Sam Taylor, truly')).toEqual(['Sam', 'Sam Taylor']);
    expect(render('Thanks @Sam Taylor, truly').mentioned).toEqual(['Sam Taylor']);
    expect(render('Thanks @sam, truly').html).toContain(
      '<a href="/n/Sam" class="mention" rel="nofollow ugc noopener">@Sam</a>',
    );
    expect(render('Hello @"Rosa B." and @Samuel').mentioned).toEqual(['Rosa B.']);
  });

  it('mentions nobody in code, in a link or in an email address', () => {
    for (const source of [
      '`@Sam`',
      '    @Sam in a code block',
      '[hello @Sam](https://example.org)',
      'sam@example.org',
    ]) {
      const { html, mentioned } = render(source);
      expect(mentioned, source).toEqual([]);
      expect(html, source).not.toContain('class="mention"');
    }
  });
});

/*
 * Mentions in a group, "Harbour": Bo goes by the alias "Night Owl" there (his pseudonym is "Bo
 * Pseudo"), Cy keeps her membership hidden, Di blocked Ada. A mention links and tells only as the
 * group's names and rules allow, and never links an alias to the account behind it.
 */
describe('mentions', () => {
  let world: TestWorld;
  let db: TestWorld['database']['db'];
  let slug: string;
  let groupId: number;
  const people: Record<string, { agent: Agent; id: number }> = {};

  async function person(name: string, alias?: string) {
    const user = await world.createUser(name);
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    expect((await agent.post(`/g/${slug}/join`, alias ? { alias } : {})).statusCode).toBe(303);
    people[name] = { agent, id: user.id };
    return people[name]!;
  }
  async function reply(agent: Agent, threadId: number, body: string, extra: Record<string, string> = {}) {
    const res = await agent.post(`/threads/${threadId}/replies`, { body, ...extra });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(res.headers.location as string)![1]);
  }
  async function mentioned(postId: number): Promise<number[]> {
    const rows = await db.select({ userId: mentions.userId }).from(mentions).where(eq(mentions.postId, postId));
    return rows.map((r) => r.userId).sort((a, b) => a - b);
  }
  async function told(postId: number): Promise<{ userId: number; kind: string }[]> {
    const rows = (await db.execute(sql`select user_id as "userId", kind from notifications
      where post_id = ${postId} order by user_id`)) as unknown as { rows: { userId: number; kind: string }[] };
    return rows.rows.map((r) => ({ userId: Number(r.userId), kind: r.kind }));
  }
  const bodyHtml = async (postId: number) =>
    (
      (await db.execute(sql`select body_html from posts where id = ${postId}`)) as unknown as {
        rows: { body_html: string }[];
      }
    ).rows[0]!.body_html;

  let thread: number;

  beforeAll(async () => {
    world = await createWorld();
    db = world.database.db;
    await world.createUser('Admin');
    const owner = await world.createUser('Owner Ola');
    const group = await makeGroup(world, owner, { name: 'Harbour' });
    slug = group.slug;
    groupId = group.id;
    await db.update(groups).set({ anonymousPosts: true }).where(eq(groups.id, groupId));
    const ownerAgent = world.agent();
    await ownerAgent.logIn(owner.email, owner.password);
    people['Owner Ola'] = { agent: ownerAgent, id: owner.id };
    await person('Ada');
    await person('Bo Pseudo', 'Night Owl');
    await person('Cy');
    await person('Di');
    await db.update(users).set({ membershipVisibility: 'nobody' }).where(eq(users.id, people.Cy!.id));
    // The owner's discussion; she mutes the group, so that she hears of mentions only.
    await ownerAgent.post(`/g/${slug}/follow`, { level: 'muted' });
    const opened = await ownerAgent.post(`/g/${slug}/threads/new`, {
      title: 'Harbour lights',
      body: 'Who else watches the boats?',
    });
    thread = Number(/\/t\/(\d+)/.exec(opened.headers.location as string)![1]);
    const adaPost = await reply(people.Ada!.agent, thread, 'I do.');
    expect((await people.Di!.agent.post(`/posts/${adaPost}/block`)).statusCode).toBe(303);
    // A group elsewhere where Bo goes by another alias.
    const elsewhere = await makeGroup(world, owner, { name: 'Elsewhere' });
    await people['Bo Pseudo']!.agent.post(`/g/${elsewhere.slug}/join`, { alias: 'Sea Glass' });
  });
  afterAll(() => world.close());

  it('mentions a member by their alias, and never by the pseudonym behind it', async () => {
    const byAlias = await reply(people.Ada!.agent, thread, 'Thank you @Night Owl for the tea.');
    const byPseudonym = await reply(people.Ada!.agent, thread, 'And @"Bo Pseudo", are you there? Or @Sea Glass?');
    expect(await mentioned(byAlias)).toEqual([people['Bo Pseudo']!.id]);
    expect(await mentioned(byPseudonym)).toEqual([]);
    const html = await bodyHtml(byAlias);
    expect(html).toContain(
      `<a href="/g/${slug}/search?author=Night%20Owl" class="mention" rel="nofollow ugc noopener">@Night Owl</a>`,
    );
    expect(await bodyHtml(byPseudonym)).not.toContain('class="mention"');
    const page = (await people.Di!.agent.get(`/g/${slug}/t/${thread}`)).body;
    expect(page).not.toMatch(/Bo Pseudo|Sea Glass/);
    await world.tick();
    expect(await told(byAlias)).toEqual([{ userId: people['Bo Pseudo']!.id, kind: 'mention' }]);
    expect(await told(byPseudonym)).toEqual([]);
    // Bo's notifications page names Ada as the group knows her, and links to the post.
    const bell = textOf((await people['Bo Pseudo']!.agent.get('/notifications')).body);
    expect(bell).toContain('Ada mentioned you in “Harbour lights”');
  });

  it('links a member who hides their membership only for the group’s moderators', async () => {
    const byMember = await reply(people.Ada!.agent, thread, 'Is @Cy here?');
    const byOwner = await reply(people['Owner Ola']!.agent, thread, 'Welcome, @Cy.');
    expect(await mentioned(byMember)).toEqual([]);
    expect(await mentioned(byOwner)).toEqual([people.Cy!.id]);
  });

  it('tells nobody a block stands between, nor the author, nor anyone who is not a member', async () => {
    const outsider = await world.createUser('Outsider Otto');
    const post = await reply(people.Ada!.agent, thread, 'Hello @Di, @Ada and @Outsider Otto.');
    // Di's name is a name: it links, so the block does not show in how the post renders; but Di hears nothing.
    expect(await mentioned(post)).toEqual([people.Ada!.id, people.Di!.id].sort((a, b) => a - b));
    expect(await bodyHtml(post)).not.toContain('Outsider Otto</a>');
    await world.tick();
    expect(await told(post)).toEqual([]);
    expect(outsider.id).toBeGreaterThan(0);
  });

  it('says "an anonymous member" for an anonymous post’s mention, and cannot mention an anonymous author', async () => {
    const anonymous = await reply(people.Ada!.agent, thread, 'Thinking of you, @Night Owl.', { anonymous: 'on' });
    await world.tick();
    expect(await told(anonymous)).toEqual([{ userId: people['Bo Pseudo']!.id, kind: 'mention' }]);
    const bell = textOf((await people['Bo Pseudo']!.agent.get('/notifications')).body);
    expect(bell).toContain('An anonymous member mentioned you');
    const html = (await people['Bo Pseudo']!.agent.get('/notifications')).body;
    expect(html.match(/Ada/g)?.length ?? 0).toBe(1); // only the earlier, named mention
    // "Anonymous 1" is the label of Ada's post in this thread, not a name: it finds nobody.
    const back = await reply(people['Bo Pseudo']!.agent, thread, 'Thank you, @Anonymous 1.');
    expect(await mentioned(back)).toEqual([]);
    const names = await people['Bo Pseudo']!.agent.get(`/g/${slug}/names?q=anon`);
    expect(JSON.parse(names.body)).toEqual({ names: [] });
  });

  it('tells only people newly mentioned when a post is edited', async () => {
    const post = await reply(people.Di!.agent, thread, 'Hello @Night Owl.');
    await world.tick();
    expect(await told(post)).toEqual([{ userId: people['Bo Pseudo']!.id, kind: 'mention' }]);
    const edited = await people.Di!.agent.post(`/posts/${post}/edit`, { body: 'Hello @Night Owl and @Owner Ola.' });
    expect(edited.statusCode).toBe(303);
    await world.tick();
    expect(await told(post)).toEqual(
      [
        { userId: people['Owner Ola']!.id, kind: 'mention' },
        { userId: people['Bo Pseudo']!.id, kind: 'mention' },
      ].sort((a, b) => a.userId - b.userId),
    );
    // Taken out and put back: nobody is told twice.
    await people.Di!.agent.post(`/posts/${post}/edit`, { body: 'Hello.' });
    expect(await mentioned(post)).toEqual([]);
    await people.Di!.agent.post(`/posts/${post}/edit`, { body: 'Hello @Night Owl and @Owner Ola.' });
    await world.tick();
    expect(await told(post)).toHaveLength(2);
  });

  describe('the names endpoint of the autocomplete', () => {
    it('answers members with at most ten names that start with what was typed, and nothing else', async () => {
      for (let i = 0; i < 12; i += 1) await person(`Nightingale ${String(i).padStart(2, '0')}`);
      const res = await people.Ada!.agent.get(`/g/${slug}/names?q=nig`, { accept: 'application/json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.headers['cache-control']).toContain('no-store');
      const body = JSON.parse(res.body) as { names: string[] };
      expect(Object.keys(body)).toEqual(['names']);
      expect(body.names).toHaveLength(10);
      expect(body.names[0]).toBe('Night Owl');
      expect(body.names.every((n) => typeof n === 'string' && /^night/i.test(n))).toBe(true);
      expect(res.body).not.toMatch(/@|Bo Pseudo|"id"/);
    });

    it('never finds a pseudonym behind an alias, another group’s alias, a hidden member or an anonymous label', async () => {
      const ask = async (q: string) =>
        (
          JSON.parse((await people.Ada!.agent.get(`/g/${slug}/names?q=${encodeURIComponent(q)}`)).body) as {
            names: string[];
          }
        ).names;
      expect(await ask('Bo')).toEqual([]);
      expect(await ask('Sea')).toEqual([]);
      expect(await ask('Cy')).toEqual([]);
      expect(await ask('Anonymous')).toEqual([]);
      expect(await ask('%')).toEqual([]);
      expect(await ask('Di')).toEqual(['Di']);
      // The group's moderators see every member, as on the member list.
      const owner = JSON.parse((await people['Owner Ola']!.agent.get(`/g/${slug}/names?q=cy`)).body) as {
        names: string[];
      };
      expect(owner.names).toEqual(['Cy']);
    });

    it('is for members only, and refuses a crawl', async () => {
      const stranger = await world.member('Stranger Sue');
      expect((await stranger.get(`/g/${slug}/names?q=a`)).statusCode).toBe(403);
      const visitor = await world.agent().get(`/g/${slug}/names?q=a`);
      expect(visitor.statusCode).toBe(303);
      expect(visitor.headers.location).toContain('/login');
      await db.update(groups).set({ visibility: 'members' }).where(eq(groups.id, groupId));
      expect((await stranger.get(`/g/${slug}/names?q=a`)).statusCode).toBe(403);
      await db.update(groups).set({ visibility: 'public' }).where(eq(groups.id, groupId));
      let last = 200;
      for (let i = 0; i < 125 && last !== 429; i += 1)
        last = (await people.Di!.agent.get(`/g/${slug}/names?q=a`)).statusCode;
      expect(last).toBe(429);
    });
  });

  it('offers the autocomplete on the forms of those who may post', async () => {
    const page = (await people.Ada!.agent.get(`/g/${slug}/t/${thread}`)).body;
    expect(page).toContain(`data-names="/g/${slug}/names"`);
    expect(page).toContain('/mentions.js');
    const newThread = (await people.Ada!.agent.get(`/g/${slug}/threads/new`)).body;
    expect(newThread).toContain(`data-names="/g/${slug}/names"`);
    const visitor = (await world.agent().get(`/g/${slug}/t/${thread}`)).body;
    expect(visitor).not.toContain('data-names');
  });
});
