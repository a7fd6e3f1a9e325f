import { and, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { pseudonymsByIds, findUserIdByPseudonym } from '../accounts/index.js';
import { accessGroup, assertCanManage, type Actor, type GroupAccess } from './policy.js';
import { groups, memberships, type Group, type GroupRole } from './schema.js';

export const groupLanguages = [
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'nl',
  'pl',
  'ar',
  'zh',
  'hi',
  'ja',
  'uk',
  'tr',
] as const;

const tagsInput = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.join(',') : (v ?? '')))
  .transform((v) => [
    ...new Set(
      v
        .split(',')
        .map((tag) => tag.trim().toLowerCase().replace(/\s+/g, ' '))
        .filter(Boolean),
    ),
  ])
  .refine((tags) => tags.length <= 8, 'groups.errors.tooManyTags')
  .refine((tags) => tags.every((tag) => tag.length <= 30), 'groups.errors.tagLength');

export const groupInput = z.object({
  name: z.string().trim().min(3, 'groups.errors.nameLength').max(80, 'groups.errors.nameLength'),
  summary: z.string().trim().min(10, 'groups.errors.summaryLength').max(200, 'groups.errors.summaryLength'),
  description: z.string().trim().max(10000, 'groups.errors.descriptionLength').default(''),
  tags: tagsInput,
  language: z.enum(groupLanguages, 'groups.errors.language'),
  leadership: z.enum(['peer', 'professional'], 'groups.errors.leadership'),
  visibility: z.enum(['public', 'members'], 'groups.errors.visibility'),
});
export type GroupInput = z.infer<typeof groupInput>;

function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return base || 'group';
}

async function uniqueSlug(db: DbOrTx, name: string): Promise<string> {
  const base = slugify(name);
  const taken = await db
    .select({ slug: groups.slug })
    .from(groups)
    .where(sql`${groups.slug} = ${base} or ${groups.slug} like ${`${base}-%`}`);
  const used = new Set(taken.map((r) => r.slug));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Creates a support group; its creator becomes its owner. */
export async function createGroup(db: Db, actor: Actor, input: unknown): Promise<Group> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const data = parseInput(groupInput, input);
  return db.transaction(async (tx) => {
    const [group] = await tx
      .insert(groups)
      .values({
        slug: await uniqueSlug(tx, data.name),
        name: data.name,
        summary: data.summary,
        description: data.description,
        descriptionHtml: renderMarkdown(data.description),
        tags: data.tags,
        language: data.language,
        leadership: data.leadership,
        visibility: data.visibility,
        memberCount: 1,
        createdBy: actor.id,
      })
      .returning();
    await tx.insert(memberships).values({ groupId: group!.id, userId: actor.id, role: 'owner' });
    return group!;
  });
}

export async function updateGroup(db: Db, actor: Actor, slug: string, input: unknown): Promise<Group> {
  const access = await accessGroup(db, actor, slug);
  assertCanManage(access);
  const data = parseInput(groupInput, input);
  const [group] = await db
    .update(groups)
    .set({
      name: data.name,
      summary: data.summary,
      description: data.description,
      descriptionHtml: renderMarkdown(data.description),
      tags: data.tags,
      language: data.language,
      leadership: data.leadership,
      visibility: data.visibility,
    })
    .where(eq(groups.id, access.group.id))
    .returning();
  return group!;
}

/** Joins an open group at once. (Controlled groups come with the membership issue.) */
export async function joinGroup(db: Db, actor: Actor, slug: string): Promise<GroupAccess> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    if (access.role) return access;
    await tx
      .insert(memberships)
      .values({ groupId: access.group.id, userId: actor.id, role: 'member' })
      .onConflictDoNothing();
    await tx
      .update(groups)
      .set({ memberCount: sql`${groups.memberCount} + 1` })
      .where(eq(groups.id, access.group.id));
    return { ...access, role: 'member' };
  });
}

export async function leaveGroup(db: Db, actor: Actor, slug: string): Promise<void> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    if (!access.role) return;
    if (access.role === 'owner' && (await countOwners(tx, access.group.id)) <= 1) {
      throw new Invalid({ '': 'groups.errors.lastOwner' });
    }
    await tx.delete(memberships).where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, actor.id)));
    await tx
      .update(groups)
      .set({ memberCount: sql`greatest(${groups.memberCount} - 1, 0)` })
      .where(eq(groups.id, access.group.id));
  });
}

async function countOwners(db: DbOrTx, groupId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.groupId, groupId), eq(memberships.role, 'owner')));
  return row?.n ?? 0;
}

const roleInput = z.object({ role: z.enum(['owner', 'moderator', 'member'], 'groups.errors.role') });

/** The owner (or a site admin) appoints moderators and co-owners, or returns them to members. */
export async function setMemberRole(
  db: Db,
  actor: Actor,
  slug: string,
  pseudonym: string,
  input: unknown,
): Promise<void> {
  const { role } = parseInput(roleInput, input);
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    const userId = await findUserIdByPseudonym(tx, pseudonym);
    if (userId === null) throw new NotFound();
    const [m] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, userId)));
    if (!m) throw new NotFound();
    if (m.role === 'owner' && role !== 'owner' && (await countOwners(tx, access.group.id)) <= 1) {
      throw new Invalid({ '': 'groups.errors.lastOwner' });
    }
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, userId)));
  });
}

export type GroupSort = 'newest' | 'active';

export interface GroupListing {
  groups: Group[];
  total: number;
}

export async function listGroups(
  db: Db,
  opts: { sort: GroupSort; limit: number; offset?: number },
): Promise<GroupListing> {
  const order =
    opts.sort === 'active' ? [desc(groups.lastActivityAt), desc(groups.id)] : [desc(groups.createdAt), desc(groups.id)];
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(groups)
      .orderBy(...order)
      .limit(opts.limit)
      .offset(opts.offset ?? 0),
    db.select({ n: count() }).from(groups),
  ]);
  return { groups: rows, total: total?.n ?? 0 };
}

export interface MemberRow {
  pseudonym: string;
  role: GroupRole;
  joinedAt: Date;
}

/** Members of a group as other members see them: public pseudonyms and roles only. */
export async function listMembers(db: Db, groupId: number): Promise<MemberRow[]> {
  const rows = await db
    .select({ userId: memberships.userId, role: memberships.role, joinedAt: memberships.joinedAt })
    .from(memberships)
    .where(eq(memberships.groupId, groupId))
    .orderBy(
      sql`case ${memberships.role} when 'owner' then 0 when 'moderator' then 1 else 2 end`,
      memberships.joinedAt,
    );
  const names = await pseudonymsByIds(
    db,
    rows.map((r) => r.userId),
  );
  return rows.map((r) => ({ pseudonym: names.get(r.userId) ?? '', role: r.role, joinedAt: r.joinedAt }));
}

/** Marks a group as active now; the forum calls this when someone posts. */
export async function touchGroup(db: DbOrTx, groupId: number, at = new Date()): Promise<void> {
  await db.update(groups).set({ lastActivityAt: at }).where(eq(groups.id, groupId));
}
