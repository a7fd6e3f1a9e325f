import { count, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../scripts/demo-content.js';
import { seedDemo, type SeedResult } from '../scripts/demo-seed.js';
import { authenticate, signUp } from '../src/features/accounts/service.js';
import { users } from '../src/features/accounts/schema.js';
import { directoryEntries } from '../src/features/directory/schema.js';
import { posts, reactions, threads } from '../src/features/forum/schema.js';
import { groups, memberships } from '../src/features/groups/schema.js';
import type { Database, Db } from '../src/platform/db/client.js';
import { openTestDatabase } from './helpers/database.js';

async function tally(db: Db) {
  const rows = async (table: typeof users | typeof groups | typeof memberships | typeof threads | typeof posts) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    users: await rows(users),
    groups: await rows(groups),
    memberships: await rows(memberships),
    threads: await rows(threads),
    posts: await rows(posts),
    reactions: (await db.select({ n: count() }).from(reactions))[0]!.n,
  };
}

describe('npm run demo on a new site', () => {
  let database: Database;
  let first: SeedResult;

  beforeAll(async () => {
    database = await openTestDatabase();
    first = await seedDemo(database.db);
  }, 180_000);
  afterAll(() => database.close());

  it('creates a dozen or more groups of every kind', async () => {
    expect(first.status).toBe('created');
    const all = await database.db.select().from(groups);
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(new Set(all.map((g) => g.leadership))).toEqual(new Set(['peer', 'professional']));
    expect(all.some((g) => g.visibility === 'members')).toBe(true);
    expect(all.some((g) => g.language !== 'en')).toBe(true);
    for (const g of all) expect(g.memberCount).toBeGreaterThanOrEqual(3);
  });

  it('fills them with conversations: replies, reactions, a pinned welcome and a locked thread', async () => {
    const db = database.db;
    const [answered] = await db.select({ n: count() }).from(threads).where(gt(threads.replyCount, 1));
    expect(answered!.n).toBeGreaterThanOrEqual(40);
    const kinds = await db.selectDistinct({ kind: reactions.kind }).from(reactions);
    expect(kinds.map((k) => k.kind).sort()).toEqual(['helpful', 'me_too', 'support', 'thinking_of_you']);
    const pinned = await db.select().from(threads).where(eq(threads.pinned, true));
    expect(pinned.map((t) => t.title)).toContain('Welcome — read this first');
    expect(await db.select().from(threads).where(eq(threads.locked, true))).toHaveLength(1);
  });

  it('spreads the history over past weeks, never into the future', async () => {
    const list = await database.db.select({ createdAt: posts.createdAt }).from(posts);
    const ages = list.map((p) => (Date.now() - p.createdAt.getTime()) / 86_400_000);
    expect(Math.min(...ages)).toBeGreaterThan(0);
    expect(Math.max(...ages)).toBeGreaterThan(30);
  });

  it('makes the demo admin the site administrator, and gives every account the shared password', async () => {
    if (first.status !== 'created') throw new Error(first.status);
    expect(first.accounts[0]).toMatchObject({ pseudonym: 'Site Admin', isAdmin: true });
    expect(first.accounts.filter((a) => a.isAdmin)).toHaveLength(1);
    expect(first.accounts.length).toBeGreaterThanOrEqual(25);
    expect(first.accounts.some((a) => a.leads.some((l) => l.role === 'moderator'))).toBe(true);
    for (const account of [first.accounts[0]!, first.accounts.at(-1)!]) {
      const user = await authenticate(database.db, { email: account.email, password: DEMO_PASSWORD });
      expect(user.pseudonym).toBe(account.pseudonym);
    }
  });

  it('describes its groups for the directory, and lists groups that meet elsewhere', async () => {
    const rows = await database.db
      .select({
        kind: directoryEntries.kind,
        name: directoryEntries.name,
        listed: directoryEntries.listed,
        place: directoryEntries.placeName,
        topics: directoryEntries.topicIds,
        active: directoryEntries.activeMembers,
        meetings: sql<number>`(select count(*)::int from meeting_times m where m.entry_id = directory_entries.id)`,
      })
      .from(directoryEntries);
    const carers = rows.find((r) => r.name === "Dementia Carers' Corner")!;
    expect(carers.place).toMatch(/^Leeds/);
    expect(carers.meetings).toBe(2);
    expect(carers.topics.length).toBe(2);
    // Activity comes from the backdated posts: someone posted in the last 30 days.
    expect(rows.some((r) => r.kind === 'group' && r.active > 0)).toBe(true);
    const elsewhere = rows.filter((r) => r.kind === 'listing');
    expect(elsewhere.map((r) => r.name)).toContain("Leeds Parkinson's Café");
    expect(elsewhere.every((r) => r.listed)).toBe(true);
  });

  it('adds nothing when run again', async () => {
    const before = await tally(database.db);
    const again = await seedDemo(database.db);
    expect(again.status).toBe('already-there');
    if (again.status !== 'already-there' || first.status !== 'created') throw new Error('unexpected status');
    expect(again.accounts).toEqual(first.accounts);
    expect(await tally(database.db)).toEqual(before);
  });
});

describe('npm run demo on a site with real members', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('refuses without --force and adds nothing', async () => {
    await signUp(database.db, { email: 'real@example.org', password: 'a real password', pseudonym: 'RealPerson' });
    expect(await seedDemo(database.db)).toEqual({ status: 'refused', existingUsers: 1 });
    const [realAdmin] = await database.db.select().from(users).where(eq(users.isAdmin, true));
    expect(realAdmin!.pseudonym).toBe('RealPerson');
    expect((await tally(database.db)).groups).toBe(0);
  });
});
