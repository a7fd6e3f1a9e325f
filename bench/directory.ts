/**
 * Writes the directory side of bench data: groups that are in the directory but have no
 * discussions here (only their owner as a member), listings of groups hosted elsewhere, every
 * group's directory settings, meeting times and activity.
 */
import { utcWeekMinute } from '../src/features/directory/schedule.js';
import type { BenchTopic, DirectoryPlanner, EntryPlan } from './directory-plan.js';
import { arrayLiteral, Inserter, type Target } from './inserter.js';
import { writeRecentDiscussions } from './directory-posts.js';
import { int, pick } from './random.js';
import * as D from './directory-words.js';

const iso = (ms: number) => new Date(ms).toISOString();
const slugify = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export async function loadTopics(target: Target): Promise<BenchTopic[]> {
  const { rows } = await target.query(
    `select t.id, t.slug, t.name, p.slug as parent_slug, t.synonyms, t.for_carers
       from topics t join topics p on p.id = t.parent_id order by t.id`,
  );
  if (rows.length === 0) throw new Error('No topics: migration 0008 seeds them; is the database migrated?');
  return rows.map((r) => ({
    id: Number(r.id),
    slug: String(r.slug),
    name: String(r.name),
    parentSlug: String(r.parent_slug),
    synonyms: r.synonyms as string[],
    forCarers: Boolean(r.for_carers),
  }));
}

export interface DirectoryCounts {
  /** Groups in the directory without discussions here (besides the full groups with posts). */
  extraGroups: number;
  listings: number;
}

export interface PlannedGroup {
  id: number;
  plan: EntryPlan;
}

/** The `groups` columns bench/data.ts and this file both write. */
export const groupColumns: [string, string][] = [
  ['id', 'int'],
  ['slug', 'text'],
  ['name', 'text'],
  ['summary', 'text'],
  ['description', 'text'],
  ['description_html', 'text'],
  ['tags', 'text[]'],
  ['language', 'text'],
  ['leadership', 'group_leadership'],
  ['visibility', 'group_visibility'],
  ['listed', 'bool'],
  ['member_count', 'int'],
  ['join_policy', 'group_join_policy'],
  ['fee_amount_cents', 'int'],
  ['fee_interval', 'group_fee_interval'],
  ['entry_questions', 'text[]'],
  ['organisation_id', 'int'],
  ['created_by', 'int'],
  ['created_at', 'timestamptz'],
  ['last_activity_at', 'timestamptz'],
];

export const groupSlug = (id: number, plan: EntryPlan) => `${slugify(plan.name)}-${id}`;

/** A group's row in the order of groupColumns. */
export function groupRow(
  id: number,
  plan: EntryPlan,
  o: {
    memberCount: number;
    organisationId: number | null;
    createdBy: number;
    createdAt: number;
    lastActivityAt: number;
  },
): unknown[] {
  const html = `<p>${plan.description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>\n`;
  const paid = plan.access === 'paid';
  return [
    id,
    groupSlug(id, plan),
    plan.name,
    plan.summary,
    plan.description,
    html,
    arrayLiteral(plan.tags),
    plan.language,
    plan.leadership,
    plan.visibility,
    plan.listed,
    o.memberCount,
    plan.access,
    paid ? pick([300, 500, 1000]) : null,
    paid ? 'month' : null,
    arrayLiteral(plan.access === 'approval' ? [`What brings you to ${plan.name}?`] : []),
    o.organisationId,
    o.createdBy,
    iso(o.createdAt),
    iso(o.lastActivityAt),
  ];
}

/**
 * Groups without discussions, owner memberships, listings and their entries, then every group's
 * directory settings and everyone's meeting times.
 */
export async function writeDirectory(
  target: Target,
  planner: DirectoryPlanner,
  o: { fullGroups: PlannedGroup[]; counts: DirectoryCounts; userIds: { base: number; count: number } },
): Promise<void> {
  const q = target.query;
  const maxId = async (table: string) =>
    Number((await q(`select coalesce(max(id), 0)::int as n from ${table}`)).rows[0]!.n);
  const groups: PlannedGroup[] = [...o.fullGroups];

  // Groups: the trigger from migration 0007 makes each one's directory entry.
  const gBase = await maxId('groups');
  const owners: number[] = [];
  {
    const ins = new Inserter(
      target,
      'groups',
      groupColumns.map(([n]) => n),
      groupColumns.map(([, t]) => t),
      o.counts.extraGroups,
      { overriding: true },
    );
    for (let i = 0; i < o.counts.extraGroups; i++) {
      const id = gBase + i + 1;
      const plan = planner.plan('group');
      const owner = o.userIds.base + 1 + int(o.userIds.count);
      owners.push(owner);
      groups.push({ id, plan });
      await ins.add(
        ...groupRow(id, plan, {
          memberCount: plan.memberCount,
          organisationId: null,
          createdBy: owner,
          createdAt: plan.createdAt,
          lastActivityAt: plan.lastActivityAt,
        }),
      );
    }
    await ins.finish('groups (directory only)');
  }
  {
    const ins = new Inserter(
      target,
      'memberships',
      ['group_id', 'user_id', 'role', 'joined_at'],
      ['int', 'int', 'group_role', 'timestamptz'],
      owners.length,
    );
    for (let i = 0; i < owners.length; i++) {
      const g = groups[o.fullGroups.length + i]!;
      await ins.add(g.id, owners[i], 'owner', iso(g.plan.createdAt));
    }
    await ins.finish('memberships (owners)');
  }

  await writeRecentDiscussions(target, groups.slice(o.fullGroups.length), owners, o.userIds);

  // Every group's directory settings; changing topic_ids makes the trigger compute `search` again.
  {
    const ins = new Inserter(
      target,
      'directory_entries',
      [
        'group_id',
        'topic_ids',
        'formats',
        'audiences',
        'place_name',
        'country_code',
        'latitude',
        'longitude',
        'search_engines',
        'created_at',
      ],
      ['int', 'int[]', 'text[]', 'text[]', 'text', 'text', 'float8', 'float8', 'bool', 'timestamptz'],
      groups.length,
      {
        update: {
          set:
            'topic_ids = t.topic_ids, formats = t.formats, audiences = t.audiences, place_name = t.place_name, ' +
            'country_code = t.country_code, latitude = t.latitude, longitude = t.longitude, ' +
            'search_engines = t.search_engines, created_at = t.created_at',
          where: 'directory_entries.group_id = t.group_id',
        },
      },
    );
    for (const { id, plan } of groups) {
      await ins.add(
        id,
        arrayLiteral(plan.topics.map((t) => t.id)),
        arrayLiteral(plan.formats),
        arrayLiteral(plan.audiences),
        plan.place?.label ?? null,
        plan.place?.country ?? null,
        plan.place?.latitude ?? null,
        plan.place?.longitude ?? null,
        plan.searchEngines,
        iso(plan.createdAt),
      );
    }
    await ins.finish('directory_entries (groups)');
  }

  // Listings and their entries.
  const listingBase = await maxId('listings');
  const entryBase = await maxId('directory_entries');
  const listings: { entryId: number; plan: EntryPlan }[] = [];
  {
    const rows = new Inserter(
      target,
      'listings',
      ['id', 'contact', 'website', 'organiser', 'status', 'submitted_by', 'reviewed_by', 'reviewed_at', 'created_at'],
      ['int', 'text', 'text', 'text', 'listing_status', 'int', 'int', 'timestamptz', 'timestamptz'],
      o.counts.listings,
      { overriding: true },
    );
    const entries = new Inserter(
      target,
      'directory_entries',
      [
        'id',
        'kind',
        'listing_id',
        'name',
        'summary',
        'description',
        'tags',
        'language',
        'leadership',
        'access',
        'free',
        'listed',
        'visibility',
        'formats',
        'audiences',
        'topic_ids',
        'place_name',
        'country_code',
        'latitude',
        'longitude',
        'search_engines',
        'last_activity_at',
        'created_at',
      ],
      [
        'int',
        'directory_entry_kind',
        'int',
        'text',
        'text',
        'text',
        'text[]',
        'text',
        'text',
        'text',
        'bool',
        'bool',
        'text',
        'text[]',
        'text[]',
        'int[]',
        'text',
        'text',
        'float8',
        'float8',
        'bool',
        'timestamptz',
        'timestamptz',
      ],
      o.counts.listings,
      { overriding: true },
    );
    const entryRows: unknown[][] = [];
    for (let i = 0; i < o.counts.listings; i++) {
      const id = listingBase + i + 1;
      const entryId = entryBase + i + 1;
      const plan = planner.plan('listing');
      listings.push({ entryId, plan });
      const slug = slugify(plan.city.name);
      const contact =
        plan.formats[0] === 'phone' || i % 3 === 0
          ? `Phone 0${100 + int(900)} ${100 + int(900)} ${1000 + int(9000)}`
          : `hello@${slug}-${id}.example.org`;
      const reviewed = plan.listingStatus === 'pending' ? null : iso(plan.createdAt + 86_400_000);
      await rows.add(
        id,
        contact,
        i % 2 === 0 ? `https://${slug}-support-${id}.example.org/` : null,
        pick(D.organisers),
        plan.listingStatus,
        o.userIds.base + 1 + int(o.userIds.count),
        reviewed ? o.userIds.base + 1 : null,
        reviewed,
        iso(plan.createdAt),
      );
      entryRows.push([
        entryId,
        'listing',
        id,
        plan.name,
        plan.summary,
        plan.description,
        arrayLiteral(plan.tags),
        plan.language,
        plan.leadership,
        plan.access,
        plan.free,
        plan.listed,
        'public',
        arrayLiteral(plan.formats),
        arrayLiteral(plan.audiences),
        arrayLiteral(plan.topics.map((t) => t.id)),
        plan.place?.label ?? null,
        plan.place?.country ?? null,
        plan.place?.latitude ?? null,
        plan.place?.longitude ?? null,
        plan.searchEngines,
        iso(plan.lastActivityAt),
        iso(plan.createdAt),
      ]);
    }
    await rows.finish();
    // Entries only once their listings are written: a batch of each in flight at once could break the foreign key.
    for (const row of entryRows) await entries.add(...row);
    await entries.finish('directory_entries (listings)');
  }

  // Meeting times, with their minute of the week in UTC for the "evenings"/"weekends" facet.
  {
    const { rows } = await q(`select id, group_id from directory_entries where group_id is not null`);
    const entryOf = new Map(rows.map((r) => [Number(r.group_id), Number(r.id)]));
    const all = [
      ...groups.map((g) => ({ entryId: entryOf.get(g.id)!, groupId: g.id as number | null, plan: g.plan })),
      ...listings.map((l) => ({ ...l, groupId: null })),
    ];
    const ins = new Inserter(
      target,
      'meeting_times',
      ['entry_id', 'group_id', 'weekday', 'start_minute', 'duration_minutes', 'time_zone', 'place', 'utc_week_minute'],
      ['int', 'int', 'int2', 'int2', 'int2', 'text', 'text', 'int'],
      all.reduce((n, e) => n + e.plan.meetings.length, 0),
    );
    for (const { entryId, groupId, plan } of all) {
      for (const m of plan.meetings) {
        const zone = plan.city.timeZone;
        await ins.add(
          entryId,
          groupId,
          m.weekday,
          m.startMinute,
          m.durationMinutes,
          zone,
          m.place,
          utcWeekMinute(m.weekday, m.startMinute, zone),
        );
      }
    }
    await ins.finish();
  }

  for (const table of ['groups', 'listings', 'directory_entries']) {
    await q(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
  }
}
