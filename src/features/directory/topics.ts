import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { assertSiteAdmin } from '../accounts/index.js';
import { directoryEntries, topics, type Topic } from './schema.js';

/** A topic with the number of groups and listings filed under it. */
export interface TopicNode extends Topic {
  entries: number;
  children: TopicNode[];
}

/** Categories in order, each with its topics in order: one query. */
export async function listTopicTree(db: DbOrTx, withCounts = false): Promise<TopicNode[]> {
  const rows = await db
    .select({
      topic: topics,
      entries: withCounts
        ? // Written out: Drizzle may leave a column in select fields unqualified.
          sql<number>`(select count(*)::int from directory_entries e where e.topic_ids @> array[topics.id])`
        : sql<number>`0`,
    })
    .from(topics)
    .orderBy(asc(topics.position), asc(topics.name));
  const nodes = new Map(rows.map((r) => [r.topic.id, { ...r.topic, entries: r.entries, children: [] as TopicNode[] }]));
  const roots: TopicNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

const topicInput = z.object({
  name: z
    .string('directorySettings.topics.errors.nameRequired')
    .trim()
    .min(1, 'directorySettings.topics.errors.nameRequired')
    .max(80, 'directorySettings.topics.errors.nameLength'),
  parent: z
    .string()
    .trim()
    .regex(/^\d{0,9}$/, 'directorySettings.topics.errors.parentInvalid')
    .optional()
    .transform((v) => (v ? Number(v) : null)),
  synonyms: z
    .string()
    .max(1000, 'directorySettings.topics.errors.synonymsLength')
    .optional()
    .transform((v) => [
      ...new Set(
        (v ?? '')
          .split(',')
          .map((s) => s.trim().replace(/\s+/gu, ' ').toLowerCase())
          .filter(Boolean),
      ),
    ]),
  forCarers: z
    .unknown()
    .optional()
    .transform((v) => v === 'on' || v === 'true' || v === true),
});

/** A slug from a name: "Multiple sclerosis" → "multiple-sclerosis"; letters of any script are kept. */
export function topicSlug(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'topic';
}

/** The parent must be a category (a topic with no parent of its own), and not the topic itself. */
async function checkParent(tx: DbOrTx, parentId: number | null, topicId: number | null): Promise<void> {
  if (parentId === null) return;
  if (parentId === topicId) throw new Invalid({ parent: 'directorySettings.topics.errors.parentLoop' });
  const [parent] = await tx.select({ parentId: topics.parentId }).from(topics).where(eq(topics.id, parentId));
  if (!parent) throw new Invalid({ parent: 'directorySettings.topics.errors.parentInvalid' });
  if (parent.parentId !== null) throw new Invalid({ parent: 'directorySettings.topics.errors.parentDepth' });
  if (topicId !== null) {
    const [child] = await tx.select({ id: topics.id }).from(topics).where(eq(topics.parentId, topicId)).limit(1);
    if (child) throw new Invalid({ parent: 'directorySettings.topics.errors.parentDepth' });
  }
}

async function assertNameFree(tx: DbOrTx, name: string, topicId: number | null): Promise<void> {
  const [same] = await tx
    .select({ id: topics.id })
    .from(topics)
    .where(and(sql`lower(${topics.name}) = lower(${name})`, topicId === null ? undefined : ne(topics.id, topicId)))
    .limit(1);
  if (same) throw new Invalid({ name: 'directorySettings.topics.errors.duplicate' });
}

export async function addTopic(db: Db, viewer: Viewer | null, input: unknown): Promise<Topic> {
  assertSiteAdmin(viewer);
  const data = parseInput(topicInput, input);
  return db.transaction(async (tx) => {
    await assertNameFree(tx, data.name, null);
    await checkParent(tx, data.parent, null);
    const base = topicSlug(data.name);
    const taken = await tx
      .select({ slug: topics.slug })
      .from(topics)
      .where(sql`${topics.slug} = ${base} or ${topics.slug} like ${`${base}-%`}`);
    const slugs = new Set(taken.map((t) => t.slug));
    let slug = base;
    for (let n = 2; slugs.has(slug); n++) slug = `${base}-${n}`;
    const [position] = await tx
      .select({ next: sql<number>`coalesce(max(${topics.position}), 0) + 1` })
      .from(topics)
      .where(data.parent === null ? sql`${topics.parentId} is null` : eq(topics.parentId, data.parent));
    const [added] = await tx
      .insert(topics)
      .values({
        slug,
        name: data.name,
        parentId: data.parent,
        synonyms: data.synonyms,
        forCarers: data.forCarers,
        position: position?.next ?? 1,
      })
      .returning();
    return added!;
  });
}

export async function loadTopic(db: DbOrTx, viewer: Viewer | null, id: number): Promise<Topic> {
  assertSiteAdmin(viewer);
  const [topic] = await db.select().from(topics).where(eq(topics.id, id));
  if (!topic) throw new NotFound();
  return topic;
}

/**
 * Saves a topic. When its name, synonyms or category change, the search text of every entry filed
 * under it is computed again (the trigger does it when `search` is set to NULL).
 */
export async function updateTopic(db: Db, viewer: Viewer | null, id: number, input: unknown): Promise<Topic> {
  assertSiteAdmin(viewer);
  const data = parseInput(topicInput, input);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(topics).where(eq(topics.id, id)).for('update');
    if (!before) throw new NotFound();
    await assertNameFree(tx, data.name, id);
    await checkParent(tx, data.parent, id);
    const [saved] = await tx
      .update(topics)
      .set({ name: data.name, parentId: data.parent, synonyms: data.synonyms, forCarers: data.forCarers })
      .where(eq(topics.id, id))
      .returning();
    const searchChanged =
      before.name !== data.name ||
      before.parentId !== data.parent ||
      before.synonyms.join(',') !== data.synonyms.join(',');
    if (searchChanged) await refreshEntriesSearch(tx, [id]);
    return saved!;
  });
}

/** Entries filed under these topics (or under a topic inside them) get their search text again. */
async function refreshEntriesSearch(tx: DbOrTx, topicIds: number[]): Promise<void> {
  if (topicIds.length === 0) return;
  const list = sql`array[${sql.join(
    topicIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::int[]`;
  const ids = sql`array(select id from topics where id = any(${list}) or parent_id = any(${list}))`;
  await tx
    .update(directoryEntries)
    .set({ search: sql`null` })
    .where(sql`${directoryEntries.topicIds} && ${ids}`);
}

/**
 * Removes a topic: from every entry that carries it (their search text is computed again by the
 * trigger, as topic_ids changes), then the topic itself. Topics inside it become categories, and
 * their entries' search text loses its name.
 */
export async function removeTopic(db: Db, viewer: Viewer | null, id: number): Promise<void> {
  assertSiteAdmin(viewer);
  await db.transaction(async (tx) => {
    const [topic] = await tx.select({ id: topics.id }).from(topics).where(eq(topics.id, id)).for('update');
    if (!topic) throw new NotFound();
    const children = await tx.select({ id: topics.id }).from(topics).where(eq(topics.parentId, id));
    await tx
      .update(directoryEntries)
      .set({ topicIds: sql`array_remove(${directoryEntries.topicIds}, ${id}::int)` })
      .where(sql`${directoryEntries.topicIds} @> array[${id}::int]`);
    await tx.delete(topics).where(eq(topics.id, id));
    await refreshEntriesSearch(
      tx,
      children.map((c) => c.id),
    );
  });
}
