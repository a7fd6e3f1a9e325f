import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { countQueries } from '../../platform/db/client.js';
import { Invalid } from '../../platform/errors.js';
import {
  entryProfileValues,
  groupEntryId,
  loadEntryProfile,
  loadGroupProfile,
  parseEntryProfile,
  refreshMeetingMinutes,
  saveEntryProfile,
} from './profile.js';
import { directoryEntries, meetingTimes } from './schema.js';

const valid = {
  topics: ['diabetes', 'caregiving'],
  formats: ['forum', 'online_meetings'],
  audiences: 'carers',
  place: 'Leeds',
  meetingDay0: '2',
  meetingStart0: '19:30',
  meetingLength0: '90',
  meetingZone0: 'Europe/London',
  meetingPlace0: 'online',
};

function errorsOf(body: Record<string, unknown>): Record<string, string> {
  try {
    parseEntryProfile(body);
  } catch (error) {
    if (error instanceof Invalid) return error.fieldErrors;
    throw error;
  }
  return {};
}

describe('reading a profile from a form', () => {
  it('takes lists from one value or many, resolves the place and parses meetings', () => {
    const profile = parseEntryProfile(valid);
    expect(profile.topics).toEqual(['diabetes', 'caregiving']);
    expect(profile.audiences).toEqual(['carers']);
    expect(profile.place?.label).toBe('Leeds, England, United Kingdom');
    expect(profile.meetings).toEqual([
      { weekday: 2, startMinute: 1170, durationMinutes: 90, timeZone: 'Europe/London', place: 'online' },
    ]);
  });

  it('ignores empty meeting rows, even with their filled-in zone and length', () => {
    const profile = parseEntryProfile({
      ...valid,
      place: '',
      meetingDay1: '',
      meetingStart1: '',
      meetingLength1: '60',
      meetingZone1: 'UTC',
      meetingPlace1: 'online',
    });
    expect(profile.meetings).toHaveLength(1);
    expect(profile.place).toBeNull();
  });

  it.each([
    [
      'more than 5 topics',
      { topics: ['a', 'b', 'c', 'd', 'e', 'f'] },
      'topics',
      'directorySettings.errors.tooManyTopics',
    ],
    ['no format', { formats: [] }, 'formats', 'directorySettings.errors.formatRequired'],
    ['a format we do not have', { formats: ['carrier pigeon'] }, 'formats', 'forms.invalid'],
    ['no audience', { audiences: '' }, 'audiences', 'directorySettings.errors.audienceRequired'],
    ['a place nobody knows', { place: 'Xyzzyvillebury' }, 'place', 'directorySettings.errors.placeNotFound'],
    ['a meeting without a day', { meetingDay0: '' }, 'meetingDay0', 'directorySettings.errors.dayRequired'],
    ['a meeting without a time', { meetingStart0: '' }, 'meetingStart0', 'directorySettings.errors.startRequired'],
    ['a time that is not one', { meetingStart0: '25:00' }, 'meetingStart0', 'directorySettings.errors.startInvalid'],
    ['a meeting of 5 minutes', { meetingLength0: '5' }, 'meetingLength0', 'directorySettings.errors.durationInvalid'],
    [
      'a zone nobody knows',
      { meetingZone0: 'Mars/Olympus' },
      'meetingZone0',
      'directorySettings.errors.timeZoneInvalid',
    ],
    [
      'a meeting place we do not have',
      { meetingPlace0: 'moon' },
      'meetingPlace0',
      'directorySettings.errors.placeInvalid',
    ],
  ])('refuses %s, beside the field', (_name, change, field, message) => {
    expect(errorsOf({ ...valid, ...change })[field]).toBe(message);
  });

  it('gives the person’s own input back for the form', () => {
    const values = entryProfileValues({ ...valid, meetingDay2: '5', meetingStart2: '7pm', meetingZone2: 'UTC' });
    expect(values.topics).toEqual(['diabetes', 'caregiving']);
    expect(values.audiences).toEqual(['carers']);
    expect(values.meetings).toHaveLength(3);
    expect(values.meetings[2]).toMatchObject({ day: '5', start: '7pm', zone: 'UTC' });
  });
});

describe('saving a profile', () => {
  let world: TestWorld;
  let groupId: number;
  let entryId: number;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Owner Oak');
    groupId = (await makeGroup(world, owner, { name: 'Leeds carers' })).id;
    entryId = (await groupEntryId(world.database.db, groupId))!;
  });
  afterAll(() => world.close());

  it('writes topics, formats, place and meetings, with each meeting’s minute of the week in UTC', async () => {
    const db = world.database.db;
    await saveEntryProfile(db, entryId, groupId, parseEntryProfile(valid), new Date('2026-07-15T12:00:00Z'));
    const profile = await loadEntryProfile(db, entryId);
    expect(profile).toMatchObject({
      topics: [
        { slug: 'diabetes', name: 'Diabetes' },
        { slug: 'caregiving', name: 'Caregiving' },
      ],
      formats: ['forum', 'online_meetings'],
      audiences: ['carers'],
      place: { label: 'Leeds, England, United Kingdom', country: 'GB', latitude: 53.79648 },
      meetings: [{ weekday: 2, startMinute: 1170, durationMinutes: 90, timeZone: 'Europe/London', place: 'online' }],
      searchEngines: false,
    });
    const [row] = await db.select().from(meetingTimes).where(eq(meetingTimes.entryId, entryId));
    // 19:30 BST is 18:30 UTC on Tuesday.
    expect(row).toMatchObject({ groupId, utcWeekMinute: 2 * 1440 + 18 * 60 + 30 });
    expect(await loadGroupProfile(db, groupId)).toEqual(profile);
  });

  it('makes the topics’ names and synonyms searchable', async () => {
    const [found] = await world.database.db
      .select({ hit: sql<boolean>`search @@ websearch_to_tsquery('simple', 'carers')` })
      .from(directoryEntries)
      .where(eq(directoryEntries.id, entryId));
    expect(found?.hit).toBe(true);
  });

  it('replaces the meetings and clears the place when saved again', async () => {
    const db = world.database.db;
    await saveEntryProfile(
      db,
      entryId,
      groupId,
      parseEntryProfile({
        ...valid,
        place: '',
        meetingDay0: '6',
        meetingStart0: '10:00',
        meetingDay1: '0',
        meetingStart1: '10:00',
        meetingZone1: 'Asia/Kolkata',
        meetingPlace1: 'phone',
      }),
    );
    const profile = await loadEntryProfile(db, entryId);
    expect(profile?.place).toBeNull();
    expect(profile?.meetings.map((m) => [m.weekday, m.timeZone, m.place])).toEqual([
      [0, 'Asia/Kolkata', 'phone'],
      [6, 'Europe/London', 'online'],
    ]);
  });

  it('moves meetings’ UTC minutes when the clocks change, and only theirs', async () => {
    const db = world.database.db;
    const winter = new Date('2026-01-14T12:00:00Z');
    const summer = new Date('2026-07-15T12:00:00Z');
    const london = { ...valid, meetingDay0: '2', meetingStart0: '19:30', meetingZone0: 'Europe/London' };
    await saveEntryProfile(db, entryId, groupId, parseEntryProfile(london), winter);
    const minute = async () =>
      (await db.select().from(meetingTimes).where(eq(meetingTimes.entryId, entryId))).map((m) => m.utcWeekMinute);
    expect(await minute()).toEqual([2 * 1440 + 19 * 60 + 30]);
    expect(await refreshMeetingMinutes(db, summer)).toBeGreaterThanOrEqual(1);
    expect(await minute()).toEqual([2 * 1440 + 18 * 60 + 30]);
    expect(await refreshMeetingMinutes(db, summer)).toBe(0);
  });

  it('refuses a topic that does not exist, and changes nothing', async () => {
    const db = world.database.db;
    const before = await loadEntryProfile(db, entryId);
    const profile = { ...parseEntryProfile(valid), topics: ['diabetes', 'no-such-topic'] };
    await expect(saveEntryProfile(db, entryId, groupId, profile)).rejects.toThrow(Invalid);
    expect(await loadEntryProfile(db, entryId)).toEqual(before);
  });

  it('loads in the same number of queries however many meetings and topics there are', async () => {
    const db = world.database.db;
    const { queries } = await countQueries(() => loadEntryProfile(db, entryId));
    await saveEntryProfile(
      db,
      entryId,
      groupId,
      parseEntryProfile({
        ...valid,
        topics: ['diabetes', 'caregiving', 'grief-loss', 'cancer', 'stroke'],
        ...Object.fromEntries(
          [1, 2, 3, 4, 5, 6].flatMap((i) => [
            [`meetingDay${i}`, String(i)],
            [`meetingStart${i}`, '18:00'],
            [`meetingZone${i}`, 'UTC'],
            [`meetingPlace${i}`, 'online'],
          ]),
        ),
      }),
    );
    const more = await countQueries(() => loadEntryProfile(db, entryId));
    expect(more.result?.meetings).toHaveLength(7);
    expect(more.queries).toBe(queries);
  });
});
