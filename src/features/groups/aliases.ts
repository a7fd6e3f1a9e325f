import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { findUserIdByPseudonym, pseudonymSql, userIdSql } from '../accounts/index.js';
import { accessGroup, type Actor, type GroupAccess } from './policy.js';
import { groupAliases } from './schema.js';

/*
 * Per-group aliases. Inside a group a person is shown by their name there: the alias they chose
 * for it, or else their site-wide pseudonym. Every page, link, audit entry and mail about a group
 * names people this way, and a URL that names a person inside a group names them this way too,
 * so that nothing links an alias to the pseudonym or to the person's aliases elsewhere.
 */

/** The same shape as a pseudonym: letters and digits first, then letters, digits, spaces, . _ - */
export const aliasSchema = z
  .string()
  .trim()
  .min(2, 'groups.errors.aliasLength')
  .max(40, 'groups.errors.aliasLength')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'groups.errors.aliasChars');

/** An optional alias in a form: empty means "my pseudonym". */
export const optionalAlias = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => v || null)
  .pipe(aliasSchema.nullable());

/**
 * For another feature's query: the name of a person in a group (qualified columns holding the
 * group and the person, or values), as everyone in that group sees it.
 */
export function memberNameSql(groupId: SQL | number, userId: SQL | number): SQL<string | null> {
  const user = typeof userId === 'number' ? sql`${userId}` : userId;
  return sql`coalesce((select a.alias from group_aliases a where a.group_id = ${groupId} and a.user_id = ${user}),
    ${pseudonymSql(user)})`;
}

/**
 * For a query: the person who goes by `name` in the group. A pseudonym finds its owner only when
 * they have no alias in the group, so that asking by pseudonym cannot confirm who hides behind one.
 */
export function memberIdByNameSql(groupId: SQL | number, name: string): SQL<number | null> {
  return sql`coalesce(
    (select a.user_id from group_aliases a where a.group_id = ${groupId} and lower(a.alias) = lower(${name})),
    (select x.id from (select ${userIdSql(name)} as id) x
      where not exists (select 1 from group_aliases b where b.group_id = ${groupId} and b.user_id = x.id)))`;
}

/** The person who goes by `name` in the group, or null. */
export async function findUserIdByName(db: DbOrTx, groupId: number, name: string): Promise<number | null> {
  const result = (await db.execute(sql`select ${memberIdByNameSql(groupId, name)} as id`)) as unknown as {
    rows: { id: number | string | null }[];
  };
  const id = result.rows[0]?.id;
  return id === null || id === undefined ? null : Number(id);
}

/** Changes to a group's aliases wait for each other, so two people cannot take one name at once. */
async function lockAliases(tx: DbOrTx, groupId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7202, ${groupId})`);
}

/**
 * Whether someone else already goes by this name in the group, or anywhere as a pseudonym (an
 * alias may not impersonate another account).
 */
async function nameTaken(tx: DbOrTx, groupId: number, userId: number, name: string): Promise<boolean> {
  const owner = await findUserIdByPseudonym(tx, name);
  if (owner !== null && owner !== userId) return true;
  const [row] = await tx
    .select({ userId: groupAliases.userId })
    .from(groupAliases)
    .where(and(eq(groupAliases.groupId, groupId), sql`lower(${groupAliases.alias}) = lower(${name})`));
  return row !== undefined && row.userId !== userId;
}

/**
 * Gives a person the name they asked for in a group, or (when null) none, so that their pseudonym
 * shows. Call it inside the transaction that lets them in or that changes it.
 */
export async function writeAlias(
  tx: DbOrTx,
  groupId: number,
  userId: number,
  alias: string | null,
  field = 'alias',
): Promise<void> {
  await lockAliases(tx, groupId);
  if (alias === null) {
    await tx.delete(groupAliases).where(and(eq(groupAliases.groupId, groupId), eq(groupAliases.userId, userId)));
    return;
  }
  if (await nameTaken(tx, groupId, userId, alias)) throw new Invalid({ [field]: 'groups.errors.aliasTaken' });
  await tx
    .insert(groupAliases)
    .values({ groupId, userId, alias })
    .onConflictDoUpdate({ target: [groupAliases.groupId, groupAliases.userId], set: { alias, createdAt: new Date() } });
}

/**
 * Someone coming into a group whose pseudonym another member there took as an alias (before the
 * pseudonym existed) would share a name with them: they get their pseudonym with a number, which
 * no pseudonym can be, and can choose another.
 */
export async function keepNamesApart(tx: DbOrTx, groupId: number, userId: number): Promise<void> {
  // Their pseudonym, when someone else in the group took it as an alias and they have none there.
  const pseudonym = pseudonymSql(sql`${userId}`);
  const clash = (await tx.execute(sql`select ${pseudonym} as name where exists (select 1 from group_aliases a
      where a.group_id = ${groupId} and a.user_id <> ${userId} and lower(a.alias) = lower(${pseudonym}))
    and not exists (select 1 from group_aliases b where b.group_id = ${groupId} and b.user_id = ${userId})`)) as unknown as {
    rows: { name: string }[];
  };
  const name = clash.rows[0]?.name;
  if (name === undefined) return;
  await lockAliases(tx, groupId);
  const taken = await tx
    .select({ alias: groupAliases.alias })
    .from(groupAliases)
    .where(eq(groupAliases.groupId, groupId));
  const names = new Set(taken.map((r) => r.alias.toLowerCase()));
  let n = 2;
  while (names.has(`${name} (${n})`.toLowerCase())) n += 1;
  await tx.insert(groupAliases).values({ groupId, userId, alias: `${name} (${n})` });
}

export const aliasInput = z.object({ alias: optionalAlias });

/** "How you appear in this group": a member chooses an alias, or goes back to their pseudonym. */
export async function setAlias(db: Db, actor: Actor, slug: string, input: unknown): Promise<GroupAccess> {
  const { alias } = parseInput(aliasInput, input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    if (!access.actor) throw new Forbidden('groups.errors.logInFirst');
    if (!access.membership) throw new Forbidden('groups.errors.joinFirst');
    await writeAlias(tx, access.group.id, access.actor.id, alias);
    return access;
  });
}

/** A person's name in a group as they themselves see it: their alias, or their pseudonym. */
export function nameInGroup(access: GroupAccess): string | null {
  return access.alias ?? access.actor?.pseudonym ?? null;
}
