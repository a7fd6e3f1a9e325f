import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { makeEntry } from '../../../test/helpers/directory.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { unlimitedPosting } from '../../platform/deps.js';
import { replyToThread } from '../forum/index.js';
import { joinGroup } from '../groups/index.js';
import { directoryEntries, meetingTimes, searchWords } from './schema.js';
import { refreshDirectoryStats } from './stats.js';

describe('the directory’s figures', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  it('counts active members, recent posts and the share of discussions answered', async () => {
    const db = world.database.db;
    const owner = await world.createUser('Stats owner');
    const member = await world.createUser('Stats member');
    const group = await makeGroup(world, owner, { name: 'Lively pacing circle' });
    await joinGroup(db, { id: member.id, pseudonym: member.pseudonym, isAdmin: false }, group.slug);
    const answered = await makeThread(world, owner, group.slug, 'Pacing tips', 'What helps?');
    await makeThread(world, owner, group.slug, 'Unanswered', 'Anyone?');
    const selfAnswered = await makeThread(world, owner, group.slug, 'Talking to myself', 'Hello?');
    const asMember = { id: member.id, pseudonym: member.pseudonym, isAdmin: false };
    const asOwner = { id: owner.id, pseudonym: owner.pseudonym, isAdmin: false };
    await replyToThread(db, asMember, answered.id, { body: 'Rest days help me.' }, { postingLimits: unlimitedPosting });
    // An author answering their own discussion is not someone replying to them.
    await replyToThread(db, asOwner, selfAnswered.id, { body: 'Still here.' }, { postingLimits: unlimitedPosting });
    const silent = await makeGroup(world, owner, { name: 'Silent circle' });

    await refreshDirectoryStats(db);
    const [lively] = await db.select().from(directoryEntries).where(eq(directoryEntries.groupId, group.id));
    expect(lively).toMatchObject({ activeMembers: 2, postsLast30Days: 5 });
    expect(lively?.replyRate).toBeCloseTo(1 / 3, 3);
    expect(lively?.lastActivityAt).not.toBeNull();
    const [quiet] = await db.select().from(directoryEntries).where(eq(directoryEntries.groupId, silent.id));
    expect(quiet).toMatchObject({ activeMembers: 0, postsLast30Days: 0, replyRate: 0 });
  });

  it('builds the lexicon from listed entries and topics only', async () => {
    const db = world.database.db;
    const owner = await world.createUser('Lexicon owner');
    await makeEntry(world, owner, { name: 'Hummingbird friends' });
    await makeEntry(world, owner, { name: 'Kingfisher secret', listed: false });
    await refreshDirectoryStats(db);
    const words = new Set((await db.select({ word: searchWords.word }).from(searchWords)).map((w) => w.word));
    expect(words.has('hummingbird')).toBe(true);
    expect(words.has('diabetes')).toBe(true);
    expect(words.has('sclerosis')).toBe(true);
    expect(words.has('kingfisher')).toBe(false);
  });

  it('moves meetings’ UTC minute when the clocks change', async () => {
    const db = world.database.db;
    const owner = await world.createUser('Clock owner');
    const entryId = await makeEntry(world, owner, {
      name: 'Tuesday evenings',
      meetings: [{ weekday: 2, start: '19:00', timeZone: 'Europe/London' }],
    });
    const minuteOn = async (at: string) => {
      await refreshDirectoryStats(db, new Date(at));
      const [m] = await db.select().from(meetingTimes).where(eq(meetingTimes.entryId, entryId));
      return m?.utcWeekMinute;
    };
    // Tuesday 19:00 in London is 18:00 UTC in summer, 19:00 UTC in winter.
    expect(await minuteOn('2026-07-01T12:00:00Z')).toBe(2 * 1440 + 18 * 60);
    expect(await minuteOn('2026-12-01T12:00:00Z')).toBe(2 * 1440 + 19 * 60);
  });
});
