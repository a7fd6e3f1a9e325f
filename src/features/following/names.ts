import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { MENTION_NAME_MAX } from '../../platform/views/markdown.js';
import { membershipHiddenSql } from '../accounts/index.js';
import { accessGroup, canModerate, memberNameSql, type Actor } from '../groups/index.js';
import { assertMayListNames } from './policy.js';

/** At most this many names answer one keystroke. */
export const NAMES_MAX = 10;

const namesQuery = z.object({ q: z.string().trim().max(MENTION_NAME_MAX).catch('') });

/** "%" and "_" in what was typed are letters in a name, not wildcards. */
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;

/**
 * The names in a group that begin with what was typed after an "@", for the mention autocomplete:
 * each member's name there (their alias, or their pseudonym when they have none there), so a
 * pseudonym behind an alias never comes back, nor any id or address. Members who keep their
 * membership to themselves are left out, as on the member list, but for the group's moderators.
 */
export async function namesStartingWith(db: Db, actor: Actor, slug: string, query: unknown): Promise<string[]> {
  const access = await accessGroup(db, actor, slug);
  assertMayListNames(access);
  const { q } = namesQuery.parse(query ?? {});
  if (q === '') return [];
  const prefix = likePrefix(q);
  const hidden = canModerate(access)
    ? sql`false`
    : sql`(m.role = 'member' and m.user_id <> ${actor!.id} and ${membershipHiddenSql(sql.raw('m.user_id'))})`;
  // Each member's name as memberNameSql gives it (the one every page of the group shows), so
  // the autocomplete can offer nothing the member list would not.
  const result = (await db.execute(sql`select x.name from (
      select ${memberNameSql(access.group.id, sql.raw('m.user_id'))} as name
      from memberships m
      where m.group_id = ${access.group.id} and not ${hidden}
    ) x
    where lower(x.name) like ${prefix}
    order by lower(x.name), x.name
    limit ${NAMES_MAX}`)) as unknown as { rows: { name: string }[] };
  return result.rows.map((r) => r.name);
}
