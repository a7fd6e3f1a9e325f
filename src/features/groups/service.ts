import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { firstFreeSlug, slugify } from '../../platform/text/slug.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { membershipHiddenSql } from '../accounts/index.js';
import { isOrganisationAdmin } from '../organisations/index.js';
import { memberNameSql } from './aliases.js';
import { accessGroup, assertCanManage, type Actor } from './policy.js';
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

async function uniqueSlug(db: DbOrTx, name: string): Promise<string> {
  const base = slugify(name, 'group');
  const taken = await db
    .select({ slug: groups.slug })
    .from(groups)
    .where(sql`${groups.slug} = ${base} or ${groups.slug} like ${`${base}-%`}`);
  return firstFreeSlug(
    base,
    taken.map((r) => r.slug),
  );
}

/**
 * Creates a support group; its creator becomes its owner. With an organisation, the creator must
 * administer that organisation (or the site), and the group is listed on the organisation's page.
 */
export async function createGroup(
  db: Db,
  actor: Actor,
  input: unknown,
  opts: { organisationId?: number } = {},
): Promise<Group> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const data = parseInput(groupInput, input);
  return db.transaction(async (tx) => {
    if (opts.organisationId !== undefined && !(actor.isAdmin && actor.secondFactor)) {
      if (!actor.secondFactor || !(await isOrganisationAdmin(tx, opts.organisationId, actor.id)))
        throw new Forbidden('groups.errors.notOrgAdmin');
    }
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
        organisationId: opts.organisationId ?? null,
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

export type GroupSort = 'newest' | 'active';

export interface GroupListing {
  groups: Group[];
  total: number;
}

export async function listGroups(
  db: Db,
  opts: { sort: GroupSort; limit: number; offset?: number; counted?: boolean },
): Promise<GroupListing> {
  const order =
    opts.sort === 'active' ? [desc(groups.lastActivityAt), desc(groups.id)] : [desc(groups.createdAt), desc(groups.id)];
  // Unlisted groups never appear in listings: they are reached only by link or invitation.
  const listed = eq(groups.listed, true);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(groups)
      .where(listed)
      .orderBy(...order)
      .limit(opts.limit)
      .offset(opts.offset ?? 0),
    opts.counted === false ? [] : db.select({ n: count() }).from(groups).where(listed),
  ]);
  return { groups: rows, total: total?.n ?? rows.length };
}

export interface MemberRow {
  /** Their name in the group: the alias they chose for it, or their pseudonym. */
  name: string;
  /** The row is the person looking at the list. */
  self: boolean;
  role: GroupRole;
  joinedAt: Date;
  /** The member chose that nobody but the group's leaders may see that they belong to it. */
  hidden: boolean;
  /** A facilitator's professional credential, and whether an administrator verified it. */
  credential: string | null;
  verified: boolean;
}

/** Members of a group as other members see them: their names in the group and roles, leaders first. */
export async function listMembers(db: Db, groupId: number, viewerId: number | null): Promise<MemberRow[]> {
  const rows = await db
    .select({
      name: memberNameSql(sql.raw('memberships.group_id'), sql.raw('memberships.user_id')),
      self: sql<boolean>`memberships.user_id = ${viewerId ?? -1}`,
      role: memberships.role,
      joinedAt: memberships.joinedAt,
      hidden: membershipHiddenSql(sql.raw('memberships.user_id')),
      credential: memberships.credential,
      verifiedAt: memberships.credentialVerifiedAt,
    })
    .from(memberships)
    .where(eq(memberships.groupId, groupId))
    .orderBy(
      sql`case ${memberships.role} when 'owner' then 0 when 'facilitator' then 1 when 'moderator' then 2 else 3 end`,
      memberships.joinedAt,
    );
  return rows.map(({ verifiedAt, ...r }) => ({ ...r, name: r.name ?? '', verified: verifiedAt !== null }));
}

/** For another feature's query: a group's address and name (a qualified column holding its id), or null. */
export function groupSummarySql(groupId: SQL): SQL<{ slug: string; name: string } | null> {
  return sql`(select json_build_object('slug', g.slug, 'name', g.name) from groups g where g.id = ${groupId})`;
}

/** Marks a group as active now; the forum calls this when someone posts. */
export async function touchGroup(db: DbOrTx, groupId: number, at = new Date()): Promise<void> {
  await db.update(groups).set({ lastActivityAt: at }).where(eq(groups.id, groupId));
}

/** An organisation's groups, most active first; unlisted ones only when asked for (for its admins). */
export async function listOrganisationGroups(
  db: DbOrTx,
  organisationId: number,
  opts: { includeUnlisted: boolean },
): Promise<Group[]> {
  const ofOrganisation = eq(groups.organisationId, organisationId);
  return db
    .select()
    .from(groups)
    .where(opts.includeUnlisted ? ofOrganisation : and(ofOrganisation, eq(groups.listed, true)))
    .orderBy(desc(groups.lastActivityAt), desc(groups.id));
}

/** How many listed groups each organisation runs; organisations without any are left out. */
export async function countListedGroupsByOrganisation(
  db: DbOrTx,
  organisationIds: number[],
): Promise<Map<number, number>> {
  if (organisationIds.length === 0) return new Map();
  const rows = await db
    .select({ organisationId: groups.organisationId, n: count() })
    .from(groups)
    .where(and(inArray(groups.organisationId, organisationIds), eq(groups.listed, true)))
    .groupBy(groups.organisationId);
  return new Map(rows.map((r) => [r.organisationId!, r.n]));
}
