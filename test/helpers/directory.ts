import { eq, inArray, sql } from 'drizzle-orm';
import type { TestWorld } from './app.js';
import { makeGroup } from './factories.js';
import { utcWeekMinute } from '../../src/features/directory/schedule.js';
import { directoryEntries, listings, meetingTimes, topics } from '../../src/features/directory/schema.js';

/** How a test describes a group or listing in the directory. */
export interface EntrySpec {
  name: string;
  summary?: string;
  description?: string;
  tags?: string;
  language?: string;
  leadership?: 'peer' | 'professional';
  visibility?: 'public' | 'members';
  topics?: string[];
  formats?: string[];
  audiences?: string[];
  access?: 'open' | 'approval' | 'invitation' | 'paid';
  place?: { name: string; latitude: number; longitude: number };
  meetings?: { weekday: number; start: string; timeZone: string; place?: string }[];
  activeMembers?: number;
  postsLast30Days?: number;
  replyRate?: number;
  /** A listing hosted elsewhere instead of a group; its status decides whether it is listed. */
  listing?: 'pending' | 'approved' | 'declined';
  /** false: an unlisted group. */
  listed?: boolean;
}

/**
 * Puts a group (through the groups feature) or a listing into the directory, with its directory
 * settings written as the profile form would save them. Returns the entry's id.
 */
export async function makeEntry(world: TestWorld, owner: { id: number; pseudonym: string }, spec: EntrySpec) {
  const db = world.database.db;
  let entryId: number;
  if (spec.listing) {
    const [listing] = await db
      .insert(listings)
      .values({ status: spec.listing, organiser: 'Someone', submittedBy: owner.id })
      .returning({ id: listings.id });
    const [entry] = await db
      .insert(directoryEntries)
      .values({
        kind: 'listing',
        listingId: listing!.id,
        name: spec.name,
        summary: spec.summary ?? '',
        description: spec.description ?? '',
        listed: spec.listing === 'approved',
        searchEngines: true,
      })
      .returning({ id: directoryEntries.id });
    entryId = entry!.id;
  } else {
    const group = await makeGroup(world, owner, {
      name: spec.name,
      summary: spec.summary ?? `A group called ${spec.name} for people who support each other.`,
      description: spec.description ?? 'We meet here.',
      tags: spec.tags ?? '',
      language: spec.language ?? 'en',
      leadership: spec.leadership ?? 'peer',
      visibility: spec.visibility ?? 'public',
    });
    if (spec.listed === false) {
      await db.execute(sql`update groups set listed = false where id = ${group.id}`);
    }
    if (spec.access) {
      await db.execute(sql`update groups set join_policy = ${spec.access} where id = ${group.id}`);
    }
    const [entry] = await db
      .select({ id: directoryEntries.id })
      .from(directoryEntries)
      .where(eq(directoryEntries.groupId, group.id));
    entryId = entry!.id;
  }
  const topicIds = spec.topics?.length
    ? (await db.select({ id: topics.id }).from(topics).where(inArray(topics.slug, spec.topics))).map((t) => t.id)
    : [];
  await db
    .update(directoryEntries)
    .set({
      topicIds,
      tags: spec.listing && spec.tags ? spec.tags.split(',').map((t) => t.trim()) : undefined,
      formats: spec.formats ?? ['forum'],
      audiences: spec.audiences ?? ['self'],
      language: spec.listing ? (spec.language ?? 'en') : undefined,
      leadership: spec.listing ? (spec.leadership ?? 'peer') : undefined,
      placeName: spec.place?.name ?? null,
      latitude: spec.place?.latitude ?? null,
      longitude: spec.place?.longitude ?? null,
      activeMembers: spec.activeMembers ?? 0,
      postsLast30Days: spec.postsLast30Days ?? 0,
      replyRate: spec.replyRate ?? 0,
    })
    .where(eq(directoryEntries.id, entryId));
  for (const m of spec.meetings ?? []) {
    const [h, min] = m.start.split(':').map(Number);
    const startMinute = h! * 60 + min!;
    await db.insert(meetingTimes).values({
      entryId,
      weekday: m.weekday,
      startMinute,
      timeZone: m.timeZone,
      place: m.place ?? 'online',
      utcWeekMinute: utcWeekMinute(m.weekday, startMinute, m.timeZone),
    });
  }
  return entryId;
}
