import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { countQueries } from '../../platform/db/client.js';
import { groups, memberships } from '../groups/schema.js';
import { blockMemberByName, setHiddenForMe } from '../blocking/index.js';
import { joinGroup } from '../groups/index.js';
import { posts, threads } from './schema.js';
import { replyToThread } from './service.js';
import { MARK_END, MARK_START, searchDiscussions, snippetParts } from './search.js';
import { unlimitedPosting } from '../../platform/deps.js';

/*
 * Searching discussions, through the pages: what a person finds, and never more than they may read.
 * The table of roles × kinds of group is in test/permissions/table.ts.
 */

type User = { id: number; pseudonym: string; email: string; password: string };
const actor = (u: User) => ({ id: u.id, pseudonym: u.pseudonym, isAdmin: false });

let world: TestWorld;
let owner: User;
let member: User;
let other: User;
let ownerAgent: Agent;
let memberAgent: Agent;
let otherAgent: Agent;
let visitor: Agent;
let slug: string;
let privateSlug: string;
let db: TestWorld['database']['db'];

async function logIn(u: User): Promise<Agent> {
  const agent = world.agent();
  await agent.logIn(u.email, u.password);
  return agent;
}

/** The titles and snippets a page of results shows, as text. */
async function search(agent: Agent, url: string): Promise<{ status: number; text: string; body: string }> {
  const res = await agent.get(url);
  return { status: res.statusCode, text: textOf(res.body), body: res.body };
}

const reply = (u: User, threadId: number, body: string, extra: Record<string, unknown> = {}) =>
  replyToThread(db, actor(u), threadId, { body, ...extra }, { postingLimits: unlimitedPosting });

beforeAll(async () => {
  world = await createWorld();
  db = world.database.db;
  await world.createUser('Search Site Admin');
  owner = await world.createUser('Owner Rowan');
  member = await world.createUser('Member Hazel');
  other = await world.createUser('Other Alder');
  slug = (await makeGroup(world, owner, { name: 'Living with diabetes' })).slug;
  privateSlug = (await makeGroup(world, owner, { name: 'Quiet circle', visibility: 'members' })).slug;
  await joinGroup(db, actor(member), slug);
  await joinGroup(db, actor(member), privateSlug);
  await joinGroup(db, actor(other), slug);
  ownerAgent = await logIn(owner);
  memberAgent = await logIn(member);
  otherAgent = await logIn(other);
  visitor = world.agent();
});
afterAll(() => world.close());

describe('finding posts', () => {
  let threadId: number;

  beforeAll(async () => {
    const t = await makeThread(world, member, slug, 'Insulin pumps at night', 'My pump alarms wake me every night.');
    threadId = t.id;
    await reply(other, threadId, 'Walking after dinner lowered my sugar readings a lot.');
    await makeThread(
      world,
      owner,
      slug,
      'Welcome, everyone',
      'Say hello and tell us about your pump, if you have one.',
    );
  });

  it('finds a post by its words and their other forms, with the match highlighted', async () => {
    const { status, text, body } = await search(visitor, `/search?q=${encodeURIComponent('walk reading')}`);
    expect(status).toBe(200);
    expect(text).toContain('Insulin pumps at night');
    expect(text).toContain('Living with diabetes');
    expect(text).toContain('by Other Alder');
    expect(body).toContain('<mark>Walking</mark>');
    expect(body).toContain('<mark>readings</mark>');
    expect(body).toContain(`href="/g/${slug}/t/${threadId}#post-`);
  });

  it('ranks a match in a thread title above one in a body', async () => {
    const { text } = await search(visitor, `/g/${slug}/search?q=pump`);
    const titled = text.indexOf('Insulin pumps at night');
    const inBody = text.indexOf('Welcome, everyone');
    expect(titled).toBeGreaterThan(-1);
    expect(inBody).toBeGreaterThan(titled);
    const newest = await search(visitor, `/g/${slug}/search?q=pump&sort=newest`);
    expect(newest.text.indexOf('Welcome, everyone')).toBeLessThan(newest.text.indexOf('Insulin pumps at night'));
  });

  it('finds a thread by its new title once it is edited', async () => {
    const t = await makeThread(world, member, slug, 'Old name here', 'Nothing special in this body.');
    await db.update(threads).set({ title: 'Carbohydrate counting tips' }).where(eq(threads.id, t.id));
    expect((await search(visitor, `/g/${slug}/search?q=carbohydrate`)).text).toContain('Carbohydrate counting tips');
    expect((await search(visitor, `/g/${slug}/search?q=${encodeURIComponent('"old name"')}`)).text).not.toContain(
      'Carbohydrate counting tips',
    );
  });

  it('says kindly when nothing matched, and shows only the form before a search', async () => {
    const { text } = await search(visitor, '/search?q=zebrafish');
    expect(text).toContain('No posts matched “zebrafish”');
    const blank = await search(visitor, '/search');
    expect(blank.status).toBe(200);
    expect(blank.text).toContain('Words to look for');
    expect(blank.text).not.toContain('No posts matched');
  });

  it('makes a snippet safe: a post cannot add markup, nor forge a highlight', async () => {
    const t = await makeThread(
      world,
      member,
      slug,
      'Markup test',
      `Glucose <script>alert(1)</script> <b>bold</b> <img src=x onerror=alert(2)> 5 < 7 & ${MARK_START}forged${MARK_END} glucose`,
    );
    const { body } = await search(memberAgent, `/g/${slug}/search?q=glucose`);
    expect(body).toContain(`/t/${t.id}#post-`);
    expect(body).not.toContain('<script>alert(1)');
    expect(body).not.toContain('<b>bold');
    expect(body).not.toContain('<img');
    // Text that is not a tag stays, escaped.
    expect(body).toContain('5 &lt; 7 &amp;');
    expect(body).not.toContain('<mark>forged</mark>');
    expect(body).toContain('<mark>Glucose</mark>');
    expect(snippetParts(`a ${MARK_START}b${MARK_END} c`)).toEqual([
      { text: 'a ', marked: false },
      { text: 'b', marked: true },
      { text: ' c', marked: false },
    ]);
  });

  it('filters by date, and refuses dates that are not dates, keeping what was typed', async () => {
    const old = await makeThread(world, member, slug, 'Winter readings', 'Cold weather and lancets.');
    await db
      .update(posts)
      .set({ createdAt: new Date('2020-01-15T12:00:00Z') })
      .where(eq(posts.threadId, old.id));
    const within = await search(visitor, `/g/${slug}/search?q=lancets&from=2020-01-01&to=2020-01-31`);
    expect(within.text).toContain('Winter readings');
    const after = await search(visitor, `/g/${slug}/search?q=lancets&from=2020-02-01`);
    expect(after.text).not.toContain('Winter readings');
    const wrong = await search(visitor, `/g/${slug}/search?q=lancets&from=yesterday`);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Please write a date as year-month-day');
    expect(wrong.body).toContain('value="lancets"');
    const backwards = await search(visitor, `/g/${slug}/search?q=lancets&from=2020-02-01&to=2020-01-01`);
    expect(backwards.text).toContain('The end date must not come before the start date');
  });

  it('searches one group from the site-wide page, chosen in the group filter', async () => {
    const page = await search(memberAgent, '/search?q=hello');
    expect(page.body).toContain(`<option value="${privateSlug}">Quiet circle</option>`);
    const chosen = await search(memberAgent, `/search?q=pump&group=${slug}`);
    expect(chosen.text).toContain('Insulin pumps at night');
  });

  it('answers htmx with the results only', async () => {
    const res = await visitor.get(`/g/${slug}/search?q=pump`, { 'hx-request': 'true' });
    expect(res.statusCode).toBe(200);
    expect(res.body.startsWith('<section id="search-results"')).toBe(true);
    expect(res.body).toContain('Insulin pumps at night');
  });

  it('costs the same few queries whatever the number of results', async () => {
    for (let i = 0; i < 6; i++) await reply(owner, threadId, `Another pump story, number ${i}.`);
    const few = await countQueries(() =>
      searchDiscussions(db, actor(member), { q: 'lancets', group: slug }, { groupChoices: false }),
    );
    const many = await countQueries(() => searchDiscussions(db, actor(member), { q: 'pump' }));
    expect(many.result.hits.length).toBeGreaterThan(few.result.hits.length);
    // Their groups (for the filter and the search's reach) or the one group, the words, the search.
    expect(many.queries).toBeLessThanOrEqual(3);
    expect(few.queries).toBeLessThanOrEqual(3);
  });
});

describe('never more than the searcher may read', () => {
  it("finds a members-only group's posts for its members only, and its page refuses others", async () => {
    await makeThread(world, member, privateSlug, 'Private worries', 'Only for the circle: marmalade.');
    expect((await search(memberAgent, '/search?q=marmalade')).text).toContain('Private worries');
    expect((await search(otherAgent, '/search?q=marmalade')).text).not.toContain('Private worries');
    expect((await search(visitor, '/search?q=marmalade')).text).not.toContain('Private worries');
    expect((await visitor.get(`/g/${privateSlug}/search?q=marmalade`)).statusCode).toBe(403);
    expect((await otherAgent.get(`/search?q=marmalade&group=${privateSlug}`)).statusCode).toBe(403);
  });

  it("leaves out an unlisted group's posts for people who are not in it", async () => {
    const hidden = await makeGroup(world, owner, { name: 'By link only' });
    await db.update(groups).set({ listed: false }).where(eq(groups.slug, hidden.slug));
    await makeThread(world, owner, hidden.slug, 'Unlisted talk', 'Talking about quinces.');
    expect((await search(visitor, '/search?q=quinces')).text).not.toContain('Unlisted talk');
    expect((await search(ownerAgent, '/search?q=quinces')).text).toContain('Unlisted talk');
    // Whoever has the link reads its public discussions, and may search them there.
    expect((await search(visitor, `/g/${hidden.slug}/search?q=quinces`)).text).toContain('Unlisted talk');
  });

  it('leaves out a lapsed member of a paid members-only group', async () => {
    const paid = await makeGroup(world, owner, { name: 'Paid circle', visibility: 'members' });
    await db
      .update(groups)
      .set({ joinPolicy: 'paid', feeAmountCents: 500, feeMinimumCents: 500, feeCurrency: 'GBP', feeInterval: 'month' })
      .where(eq(groups.slug, paid.slug));
    await db.insert(memberships).values({
      groupId: paid.id,
      userId: other.id,
      role: 'member',
      paidUntil: new Date(Date.now() - 30 * 24 * 3600 * 1000),
    });
    await makeThread(world, owner, paid.slug, 'Paid talk', 'Talking about kumquats.');
    expect((await search(ownerAgent, '/search?q=kumquats')).text).toContain('Paid talk');
    expect((await search(otherAgent, '/search?q=kumquats')).text).not.toContain('Paid talk');
  });

  it('leaves out hidden and deleted posts, and posts awaiting approval but the author’s own', async () => {
    const t = await makeThread(world, owner, slug, 'Moderated thread', 'Opening about apricots.');
    const hiddenReply = await reply(member, t.id, 'Hidden words: tangerine.');
    const deletedReply = await reply(member, t.id, 'Deleted words: tangerine too.');
    const pendingReply = await reply(member, t.id, 'Pending words: tangerine as well.');
    await db.update(posts).set({ hiddenAt: new Date() }).where(eq(posts.id, hiddenReply.id));
    await db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deletedReply.id));
    await db.update(posts).set({ status: 'pending' }).where(eq(posts.id, pendingReply.id));
    const theirs = await search(memberAgent, `/g/${slug}/search?q=tangerine`);
    expect(theirs.text).toContain('Pending words');
    expect(theirs.text).toContain('Waiting for approval');
    expect(theirs.text).not.toContain('Hidden words');
    expect(theirs.text).not.toContain('Deleted words');
    const others = await search(otherAgent, `/g/${slug}/search?q=tangerine`);
    expect(others.text).toContain('No posts matched');
    // A thread whose opening post is hidden is gone, replies and all.
    await reply(member, t.id, 'Visible reply about apricots.');
    await db
      .update(posts)
      .set({ hiddenAt: new Date() })
      .where(and(eq(posts.threadId, t.id), eq(posts.isOpening, true)));
    expect((await search(otherAgent, `/g/${slug}/search?q=apricots`)).text).toContain('No posts matched');
  });

  it('leaves out named posts of someone blocked, either way, but never anonymous ones', async () => {
    const blocker = await world.createUser('Blocker Birch');
    await joinGroup(db, actor(blocker), slug);
    const blockerAgent = await logIn(blocker);
    const t = await makeThread(world, owner, slug, 'Block test', 'A thread about damsons.');
    await reply(other, t.id, 'Named words about damsons.');
    await db.update(groups).set({ anonymousPosts: true }).where(eq(groups.slug, slug));
    await reply(other, t.id, 'Anonymous words about damsons.', { anonymous: 'on' });
    await blockMemberByName(db, actor(blocker), slug, other.pseudonym);
    const blockerSees = (await search(blockerAgent, `/g/${slug}/search?q=damsons`)).text;
    expect(blockerSees).not.toContain('Named words');
    expect(blockerSees).toContain('Anonymous words');
    const blockedSees = (await search(otherAgent, `/g/${slug}/search?q=damsons`)).text;
    expect(blockedSees).toContain('Block test');
    const apart = await makeThread(
      world,
      blocker,
      slug,
      'Started by the blocker',
      'More damsons here, and greengages.',
    );
    expect((await search(otherAgent, `/g/${slug}/search?q=damsons`)).text).not.toContain(apart.title);
    // Hidden for oneself stays hidden in search.
    expect((await search(memberAgent, `/g/${slug}/search?q=greengages`)).text).toContain('Started by the blocker');
    const [opening] = await db
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.threadId, apart.id), eq(posts.isOpening, true)));
    await setHiddenForMe(db, actor(member), opening!.id, true);
    expect((await search(memberAgent, `/g/${slug}/search?q=greengages`)).text).toContain('No posts matched');
  });

  it('shows an anonymous post as its thread does, and the author filter never finds it', async () => {
    const t = await makeThread(world, owner, slug, 'Anonymity test', 'A thread about medlars.');
    await db.update(groups).set({ anonymousPosts: true }).where(eq(groups.slug, slug));
    await reply(member, t.id, 'Secretly about medlars.', { anonymous: 'on' });
    await reply(member, t.id, 'Openly about medlars.');
    const all = await search(otherAgent, `/g/${slug}/search?q=medlars`);
    expect(all.text).toContain('by Anonymous 1');
    expect(all.text).toContain('Secretly about');
    expect(all.body).not.toMatch(/Member Hazel[^<]*<\/[^>]+>[^<]*Secretly/);
    const byName = await search(otherAgent, `/g/${slug}/search?q=medlars&author=${encodeURIComponent('Member Hazel')}`);
    expect(byName.text).toContain('Openly about');
    expect(byName.text).not.toContain('Secretly about');
    // The author filter needs a group: a name could otherwise link a person's aliases.
    const across = await search(otherAgent, `/search?q=medlars&author=${encodeURIComponent('Member Hazel')}`);
    expect(across.status).toBe(400);
    expect(across.text).toContain('Please choose a group to search by who wrote a post');
  });

  it('keeps the vectors in step with the search column hidden from the Drizzle schema', async () => {
    const result = (await db.execute(sql`select count(*)::int as n from posts where search is null`)) as unknown as {
      rows: { n: number }[];
    };
    expect(result.rows[0]!.n).toBe(0);
  });
});
