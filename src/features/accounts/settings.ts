import { eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { parseInput } from '../../platform/http/forms.js';
import { countryCodes } from '../../platform/text/countries.js';
import { supportedLocales } from '../../platform/views/i18n.js';
import { membershipVisibilityEnum, users, type MembershipVisibility } from './schema.js';

/** A person's choices about who sees what, the email they get, their time zone and language. */
export interface Settings {
  membershipVisibility: MembershipVisibility;
  appearOnline: boolean;
  emailReplies: boolean;
  emailNewsletters: boolean;
  timeZone: string;
  locale: string;
  /** Whose crisis lines to show (ISO 3166-1 alpha-2); null to go by the browser's language. */
  country: string | null;
}

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
timeZones.add('UTC');
/** Every time zone this Node.js knows, for the settings form. */
export const timeZoneList = [...timeZones].sort();

/** A checkbox sends "on" when ticked and nothing at all when not. */
const checkbox = z
  .unknown()
  .optional()
  .transform((v) => v === 'on' || v === 'true');

export const settingsInput = z.object({
  membershipVisibility: z.enum(membershipVisibilityEnum.enumValues, 'accounts.settings.errors.choose'),
  appearOnline: checkbox,
  emailNewsletters: checkbox,
  timeZone: z.string().refine((v) => timeZones.has(v), 'accounts.settings.errors.timeZone'),
  locale: z.string().refine((v) => v === 'auto' || supportedLocales.includes(v), 'accounts.settings.errors.choose'),
  country: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || countryCodes.has(v), 'accounts.settings.errors.choose'),
});

export async function readSettings(db: Db, userId: number): Promise<Settings | null> {
  const [row] = await db
    .select({
      membershipVisibility: users.membershipVisibility,
      appearOnline: users.appearOnline,
      emailReplies: users.emailReplies,
      emailNewsletters: users.emailNewsletters,
      timeZone: users.timeZone,
      locale: users.locale,
      country: users.country,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

export async function updateSettings(db: Db, userId: number, input: unknown): Promise<void> {
  const data = parseInput(settingsInput, input);
  await db.update(users).set(data).where(eq(users.id, userId));
}

/** The country the person chose for crisis resources, if any. */
export async function countryOf(db: DbOrTx, userId: number): Promise<string | null> {
  const [row] = await db.select({ country: users.country }).from(users).where(eq(users.id, userId));
  return row?.country ?? null;
}

/**
 * For another feature's query: whether the person with this id chose that nobody (but a group's
 * leaders) may see which groups they belong to.
 */
export function membershipHiddenSql(userId: SQL | AnyColumn): SQL<boolean> {
  return sql<boolean>`coalesce((select u.membership_visibility = 'nobody' from users u where u.id = ${userId}), false)`;
}

/**
 * Of these people, those who chose that nobody may see their memberships: the groups feature
 * leaves them out of member lists shown to other members.
 */
export async function membersHiddenFromMembers(db: DbOrTx, ids: Iterable<number>): Promise<Set<number>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const rows = await db
    .select({ id: users.id, visibility: users.membershipVisibility })
    .from(users)
    .where(inArray(users.id, unique));
  return new Set(rows.filter((r) => r.visibility === 'nobody').map((r) => r.id));
}

/** Of these people, those who may be shown in "who's online". */
export async function shownOnline(db: DbOrTx, ids: Iterable<number>): Promise<Set<number>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const rows = await db
    .select({ id: users.id, appearOnline: users.appearOnline })
    .from(users)
    .where(inArray(users.id, unique));
  return new Set(rows.filter((r) => r.appearOnline).map((r) => r.id));
}

/**
 * Whether a person wants a kind of email, for the features that send it. Mail about the account
 * itself (confirming the address, resetting the password) is always sent.
 */
export async function emailPreferences(
  db: DbOrTx,
  ids: Iterable<number>,
): Promise<Map<number, { replies: boolean; newsletters: boolean }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({
      id: users.id,
      replies: users.emailReplies,
      newsletters: users.emailNewsletters,
    })
    .from(users)
    .where(inArray(users.id, unique));
  return new Map(rows.map(({ id, ...prefs }) => [id, prefs]));
}
