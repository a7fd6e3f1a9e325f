import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid } from '../../platform/errors.js';
import type { Viewer } from '../../platform/http/page.js';
import { assertSiteAdmin } from '../accounts/index.js';
import { activitySql, toActivity, trustLevel, type TrustActivity, type TrustLevel } from './levels.js';
import { userTrust } from './schema.js';

/**
 * Trust levels are site-wide, so only site admins set them by hand (with two-step verification
 * on, as for every admin power). A group's leaders have their own tools for their group instead:
 * pre-moderation, approving first posts, silencing.
 */
export { assertSiteAdmin };

export interface PersonTrust {
  id: number;
  pseudonym: string;
  level: TrustLevel;
  activity: TrustActivity;
}

const searchInput = z.object({ q: z.string().trim().max(80).optional().catch(undefined) });

/**
 * People by the start of their pseudonym, with their level and what it is earned from; without a
 * search, the people whose level was set by hand. One query.
 */
export async function findPeople(db: Db, viewer: Viewer | null, query: unknown, now = new Date()) {
  assertSiteAdmin(viewer);
  const q = searchInput.parse(query ?? {}).q ?? '';
  const like = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = q ? sql`lower(u.pseudonym) like ${like}` : sql`ut.manual_level is not null`;
  // Both drivers answer a raw statement with { rows }.
  const result = (await db.execute(
    activitySql(where, [sql`u.id as "id"`, sql`u.pseudonym as "pseudonym"`], sql`order by lower(u.pseudonym) limit 50`),
  )) as unknown as { rows: Record<string, unknown>[] };
  const people: PersonTrust[] = result.rows.map((row) => {
    const activity = toActivity(row);
    return { id: Number(row.id), pseudonym: String(row.pseudonym), level: trustLevel(activity, now), activity };
  });
  return { q, people };
}

const levelInput = z.object({
  pseudonym: z
    .string('trust.errors.whoRequired')
    .trim()
    .min(1, 'trust.errors.whoRequired')
    .max(80, 'trust.errors.noSuchPerson'),
  level: z.enum(['auto', '0', '1', '2', '3'], 'trust.errors.levelRequired'),
  locked: z
    .unknown()
    .optional()
    .transform((v) => v === 'on'),
});

/** A level set by hand, to stand until changed: 'auto' gives the person back to what they earn. */
export async function setTrustLevel(db: Db, viewer: Viewer | null, input: unknown): Promise<{ pseudonym: string }> {
  assertSiteAdmin(viewer);
  const parsed = levelInput.safeParse(input);
  // The forms on the page carry the person in a hidden field: a problem is told for the whole form.
  if (!parsed.success) throw new Invalid({ '': parsed.error.issues[0]?.message ?? 'forms.invalid' });
  const data = parsed.data;
  return db.transaction(async (tx) => {
    const result = (await tx.execute(
      sql`select id, pseudonym from users where lower(pseudonym) = lower(${data.pseudonym})`,
    )) as unknown as { rows: { id: number; pseudonym: string }[] };
    const person = result.rows[0];
    if (!person) throw new Invalid({ '': 'trust.errors.noSuchPerson' });
    const level = data.level === 'auto' ? null : (Number(data.level) as TrustLevel);
    await grantTrustLevel(tx, Number(person.id), level, level !== null && data.locked, viewer.id);
    return { pseudonym: person.pseudonym };
  });
}

/**
 * Sets a person's level by hand, with no permission check: for the admin page above, and for the
 * demo community and tests, whose people have no weeks of history. `null` clears it.
 */
export async function grantTrustLevel(
  db: DbOrTx,
  userId: number,
  level: TrustLevel | null,
  locked: boolean,
  setBy: number | null = null,
): Promise<void> {
  const values = { manualLevel: level, locked: level !== null && locked, setBy, setAt: new Date() };
  await db
    .insert(userTrust)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: userTrust.userId, set: values });
}
