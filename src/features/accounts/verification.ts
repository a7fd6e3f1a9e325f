import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { Invalid } from '../../platform/errors.js';
import { emailVerifications, users } from './schema.js';
import { hashToken, LINK_HOURS } from './service.js';

/**
 * Makes a one-time link that confirms the account's email address, or null when it is confirmed
 * already. Earlier links stop working: only the newest one mailed counts.
 */
export async function createEmailVerification(
  db: Db,
  userId: number,
): Promise<{ token: string; email: string; pseudonym: string } | null> {
  const [user] = await db
    .select({ email: users.email, pseudonym: users.pseudonym, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.verifiedAt) return null;
  const token = randomBytes(32).toString('base64url');
  await db.transaction(async (tx) => {
    await tx.delete(emailVerifications).where(eq(emailVerifications.userId, userId));
    await tx.delete(emailVerifications).where(lt(emailVerifications.expiresAt, new Date()));
    await tx.insert(emailVerifications).values({
      tokenHash: hashToken(token),
      userId,
      expiresAt: new Date(Date.now() + LINK_HOURS * 3600 * 1000),
    });
  });
  return { token, email: user.email, pseudonym: user.pseudonym };
}

const usable = (token: string) =>
  and(
    eq(emailVerifications.tokenHash, hashToken(token)),
    gt(emailVerifications.expiresAt, new Date()),
    isNull(emailVerifications.usedAt),
  );

export async function isVerificationTokenValid(db: Db, token: string): Promise<boolean> {
  const [row] = await db.select({ userId: emailVerifications.userId }).from(emailVerifications).where(usable(token));
  return Boolean(row);
}

/** Confirms the address behind a link, once; an old, used or unknown link is refused. */
export async function verifyEmail(db: Db, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [link] = await tx
      .update(emailVerifications)
      .set({ usedAt: new Date() })
      .where(usable(token))
      .returning({ userId: emailVerifications.userId });
    if (!link) throw new Invalid({ '': 'accounts.errors.linkExpired' });
    await tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, link.userId));
  });
}
