import { and, asc, count, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { verifyPassword } from './passwords.js';
import { passkeys, sessions, twoFactor, users } from './schema.js';

/** The account's own part of a member's data export: everything kept about them here. */
export interface AccountExport {
  pseudonym: string;
  email: string;
  emailVerified: boolean;
  createdAt: Date;
  settings: {
    membershipVisibility: string;
    appearOnline: boolean;
    emailReplies: boolean;
    emailNewsletters: boolean;
    timeZone: string;
    language: string;
    /** Whose crisis lines to show; null to go by the browser. */
    country: string | null;
  };
  twoStepVerification: boolean;
  passkeys: { device: string; createdAt: Date; lastUsedAt: Date | null }[];
  sessions: { device: string; createdAt: Date; lastSeenAt: Date }[];
}

export async function exportAccount(db: DbOrTx, userId: number): Promise<AccountExport | null> {
  const [[user], keys, devices, [factor]] = await Promise.all([
    db.select().from(users).where(eq(users.id, userId)),
    db
      .select({ device: passkeys.device, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
      .from(passkeys)
      .where(eq(passkeys.userId, userId))
      .orderBy(asc(passkeys.createdAt)),
    db
      .select({ device: sessions.device, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt)),
    db.select({ enabledAt: twoFactor.enabledAt }).from(twoFactor).where(eq(twoFactor.userId, userId)),
  ]);
  if (!user) return null;
  return {
    pseudonym: user.pseudonym,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt,
    settings: {
      membershipVisibility: user.membershipVisibility,
      appearOnline: user.appearOnline,
      emailReplies: user.emailReplies,
      emailNewsletters: user.emailNewsletters,
      timeZone: user.timeZone,
      language: user.locale,
      country: user.country,
    },
    twoStepVerification: Boolean(factor?.enabledAt),
    passkeys: keys,
    sessions: devices,
  };
}

export const deleteAccountInput = z.object({
  posts: z.enum(['erase', 'keep'], 'accounts.delete.errors.choose'),
  password: z.string().min(1, 'accounts.errors.passwordRequired').max(200),
});
export type DeleteAccountInput = z.infer<typeof deleteAccountInput>;

/**
 * Checks that the person may delete their account now: their password, typed again, and that
 * the site would not be left without an administrator. Returns what the deletion needs.
 */
export async function confirmAccountDeletion(
  db: Db,
  userId: number,
  input: unknown,
): Promise<DeleteAccountInput & { email: string; pseudonym: string }> {
  const data = parseInput(deleteAccountInput, input);
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, data.password)))
    throw new Invalid({ password: 'accounts.errors.wrongPassword' });
  if (user.isAdmin) {
    const [others] = await db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.isAdmin, true), ne(users.id, userId)));
    if ((others?.n ?? 0) === 0) throw new Forbidden('accounts.delete.errors.onlyAdmin');
  }
  return { ...data, email: user.email, pseudonym: user.pseudonym };
}

/**
 * Removes the account row. Its sessions, links, two-step secrets, passkeys, settings and
 * exports go with it (their rows cascade); other features' rows either go too or keep the fact
 * without the person (their author or actor becomes null).
 */
export async function deleteAccount(tx: DbOrTx, userId: number): Promise<void> {
  await tx.delete(users).where(eq(users.id, userId));
}
