import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, gt, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import { renderSVG } from 'uqr';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { verifyPassword } from './passwords.js';
import { loginChallenges, recoveryCodes, twoFactor, users } from './schema.js';
import { hashToken } from './service.js';

/** Two-step verification with an authenticator app (TOTP, RFC 6238), and recovery codes. */

const RECOVERY_CODES = 10;
/** A half-done login waits this long for its second step, and allows this many tries. */
const CHALLENGE_MINUTES = 10;
const CHALLENGE_ATTEMPTS = 5;

const codeInput = z.object({
  code: z.string().trim().min(1, 'accounts.twoFactor.errors.codeRequired').max(40, 'accounts.twoFactor.errors.badCode'),
});
const passwordInput = z.object({
  password: z.string().min(1, 'accounts.errors.passwordRequired').max(200),
});

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(db: DbOrTx, userId: number): Promise<TwoFactorStatus> {
  const [row] = await db
    .select({
      enabled: sql<boolean>`${twoFactor.enabledAt} is not null`,
      left: sql<number>`(select count(*)::int from recovery_codes r where r.user_id = ${twoFactor.userId} and r.used_at is null)`,
    })
    .from(twoFactor)
    .where(eq(twoFactor.userId, userId));
  return { enabled: row?.enabled ?? false, recoveryCodesLeft: row?.left ?? 0 };
}

export interface TwoFactorSetup {
  secret: string;
  /** The otpauth:// address the QR code holds. */
  uri: string;
  /** The QR code as an SVG data: URL, for an img the page's security policy allows. */
  qrCode: string;
}

/**
 * The secret to put into an authenticator app, kept until the person confirms it with a code.
 * Opening the page again shows the same secret, so a half-finished set-up can be finished.
 */
export async function beginTwoFactor(
  db: DbOrTx,
  user: { id: number; pseudonym: string },
  issuer: string,
): Promise<TwoFactorSetup | null> {
  // One statement: keeps the secret already waiting, or stores a new one.
  const [row] = await db
    .insert(twoFactor)
    .values({ userId: user.id, secret: generateSecret() })
    .onConflictDoUpdate({ target: twoFactor.userId, set: { userId: sql`excluded.user_id` } })
    .returning({ secret: twoFactor.secret, enabledAt: twoFactor.enabledAt });
  if (!row || row.enabledAt) return null;
  const { secret } = row;
  // The app shows the pseudonym, never the email: a phone's screen can be seen by others.
  const uri = generateURI({ issuer, label: user.pseudonym, secret });
  const qrCode = `data:image/svg+xml;base64,${Buffer.from(renderSVG(uri, { border: 2 })).toString('base64')}`;
  return { secret, uri, qrCode };
}

/** Checks a code from the app: each code works once, and a code a little early or late still counts. */
async function acceptTotp(tx: DbOrTx, userId: number, code: string, needEnabled: boolean): Promise<boolean> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  const [row] = await tx
    .select()
    .from(twoFactor)
    .where(and(eq(twoFactor.userId, userId), needEnabled ? isNotNull(twoFactor.enabledAt) : undefined))
    .for('update');
  if (!row) return false;
  // A secret the library refuses (never one we made) checks no code.
  const result = await verify({ secret: row.secret, token, epochTolerance: 30, afterTimeStep: row.lastTimeStep }).catch(
    () => null,
  );
  if (!result) return false;
  if (!result.valid || !('timeStep' in result)) return false;
  await tx.update(twoFactor).set({ lastTimeStep: result.timeStep }).where(eq(twoFactor.userId, userId));
  return true;
}

const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
const hashRecoveryCode = (code: string) => createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');

/** Uses up one recovery code, if the code is one of the person's unused ones. */
async function acceptRecoveryCode(tx: DbOrTx, userId: number, code: string): Promise<boolean> {
  if (normaliseRecoveryCode(code).length !== 16) return false;
  const used = await tx
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return used.length > 0;
}

/** Ten new codes of 16 letters and digits (80 bits each), shown once; only their hashes are kept. */
async function replaceRecoveryCodes(tx: DbOrTx, userId: number): Promise<string[]> {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const chars = [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/** Turns two-step verification on once a first code from the app checks out; returns the recovery codes. */
export async function enableTwoFactor(db: Db, userId: number, input: unknown): Promise<string[]> {
  const data = parseInput(codeInput, input);
  return db.transaction(async (tx) => {
    if (!(await acceptTotp(tx, userId, data.code, false)))
      throw new Invalid({ code: 'accounts.twoFactor.errors.badCode' });
    await tx.update(twoFactor).set({ enabledAt: new Date() }).where(eq(twoFactor.userId, userId));
    return replaceRecoveryCodes(tx, userId);
  });
}

async function assertPassword(db: DbOrTx, userId: number, input: unknown): Promise<void> {
  const data = parseInput(passwordInput, input);
  const [user] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.hash, data.password)))
    throw new Invalid({ password: 'accounts.errors.wrongPassword' });
}

/** Turns two-step verification off, after the password is typed again. */
export async function disableTwoFactor(db: Db, userId: number, input: unknown): Promise<void> {
  await assertPassword(db, userId, input);
  await db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(twoFactor).where(eq(twoFactor.userId, userId));
  });
}

/** New recovery codes (the old ones stop working), after the password is typed again. */
export async function regenerateRecoveryCodes(db: Db, userId: number, input: unknown): Promise<string[]> {
  await assertPassword(db, userId, input);
  const status = await twoFactorStatus(db, userId);
  if (!status.enabled) throw new Invalid({ '': 'accounts.twoFactor.errors.notOn' });
  return db.transaction((tx) => replaceRecoveryCodes(tx, userId));
}

/** Whether a login with this account needs a second step. */
export async function needsSecondStep(db: DbOrTx, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(twoFactor)
    .where(and(eq(twoFactor.userId, userId), isNotNull(twoFactor.enabledAt)));
  return (row?.n ?? 0) > 0;
}

/** Remembers that the password was right, for the second step; the token goes into a short-lived cookie. */
export async function startLoginChallenge(db: Db, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.delete(loginChallenges).where(lt(loginChallenges.expiresAt, new Date()));
  await db.insert(loginChallenges).values({
    tokenHash: hashToken(token),
    userId,
    expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60 * 1000),
  });
  return token;
}

export async function hasLoginChallenge(db: Db, token: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: loginChallenges.userId })
    .from(loginChallenges)
    .where(and(eq(loginChallenges.tokenHash, hashToken(token)), gt(loginChallenges.expiresAt, new Date())));
  return Boolean(row);
}

/**
 * The second step of a login: a code from the app or a recovery code. Returns who logged in.
 * After a few wrong codes the half-done login ends, and the password is asked again.
 */
export async function answerLoginChallenge(
  db: Db,
  token: string,
  input: unknown,
): Promise<{ userId: number; usedRecoveryCode: boolean }> {
  const data = parseInput(codeInput, input);
  const outcome = await db.transaction(async (tx) => {
    const [challenge] = await tx
      .select()
      .from(loginChallenges)
      .where(and(eq(loginChallenges.tokenHash, hashToken(token)), gt(loginChallenges.expiresAt, new Date())))
      .for('update');
    if (!challenge) return { expired: true as const };
    const { userId } = challenge;
    const byApp = await acceptTotp(tx, userId, data.code, true);
    const byRecovery = !byApp && (await acceptRecoveryCode(tx, userId, data.code));
    if (byApp || byRecovery) {
      await tx.delete(loginChallenges).where(eq(loginChallenges.tokenHash, challenge.tokenHash));
      return { userId, usedRecoveryCode: byRecovery };
    }
    if (challenge.attempts + 1 >= CHALLENGE_ATTEMPTS) {
      await tx.delete(loginChallenges).where(eq(loginChallenges.tokenHash, challenge.tokenHash));
      return { expired: true as const };
    }
    await tx
      .update(loginChallenges)
      .set({ attempts: challenge.attempts + 1 })
      .where(eq(loginChallenges.tokenHash, challenge.tokenHash));
    return { wrong: true as const };
  });
  if ('expired' in outcome) throw new Invalid({ '': 'accounts.twoFactor.errors.startAgain' });
  if ('wrong' in outcome) throw new Invalid({ code: 'accounts.twoFactor.errors.badCode' });
  return outcome;
}

/**
 * For the site administrator's pages and powers (the taxonomy, listings, watched words, trust,
 * crisis resources): to anyone else they do not exist; an administrator without two-step
 * verification is asked to turn it on first.
 */
export function assertSiteAdmin<V extends { isAdmin: boolean; secondFactor?: boolean | undefined }>(
  viewer: V | null | undefined,
): asserts viewer is V {
  if (!viewer?.isAdmin) throw new NotFound();
  if (!viewer.secondFactor) throw secondFactorFirst();
}

/** The refusal a leader without two-step verification meets: kind, with the way to turn it on. */
export function secondFactorFirst(): Forbidden {
  return new Forbidden('accounts.twoFactor.leadersNeedIt', {
    href: '/account/two-factor',
    label: 'accounts.twoFactor.turnOnNow',
  });
}
