import { createHash, randomBytes } from 'node:crypto';
import { and, count, desc, eq, gt, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { unreadNotificationsSql } from '../notifications/index.js';
import { unreadConversationsSql } from '../messages/index.js';
import { mailPausedSql } from '../mail-lists/index.js';
import { recordVisit, recordVisitSql } from '../trust/index.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import { passwordResets, sessions, users, type User } from './schema.js';

const SESSION_DAYS = 30;
/** How stale a session's "last seen" may get before a request updates it. */
const LAST_SEEN_MINUTES = 5;
/** Password-reset and email-confirmation links work for this long, once. */
export const LINK_HOURS = 1;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'accounts.errors.emailRequired')
  .max(254, 'accounts.errors.emailInvalid')
  .pipe(z.email('accounts.errors.emailInvalid'));
const password = z.string().min(10, 'accounts.errors.passwordLength').max(200, 'accounts.errors.passwordLength');
export const pseudonymSchema = z
  .string()
  .trim()
  .min(2, 'accounts.errors.pseudonymLength')
  .max(40, 'accounts.errors.pseudonymLength')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'accounts.errors.pseudonymChars');

export const signUpInput = z.object({ email, password, pseudonym: pseudonymSchema });
export const logInInput = z.object({
  email: z.string().trim().toLowerCase().min(1, 'accounts.errors.emailRequired').max(254),
  password: z.string().min(1, 'accounts.errors.passwordRequired').max(200),
});
export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'accounts.errors.passwordRequired').max(200),
  newPassword: password,
});
export const resetPasswordInput = z.object({ newPassword: password });

/** The signed-in person as every request sees them (never their email). */
export interface SessionUser {
  id: number;
  pseudonym: string;
  isAdmin: boolean;
  /** Two-step verification (an authenticator app) is on. */
  secondFactor: boolean;
  locale: string;
  timeZone: string;
  /** Notifications not seen yet, for the header. */
  unreadNotifications: number;
  /** Conversations (and message requests) with a message not seen yet, for the header's "Messages". */
  unreadMessages: number;
  /** List mail is paused after bounces: every page says so (mail-lists). */
  mailPaused: boolean;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** Signs a person up. The very first account on a site becomes its administrator. */
export async function signUp(db: Db, input: unknown, opts: { asFirstAdmin?: boolean } = {}): Promise<User> {
  const data = parseInput(signUpInput, input);
  const passwordHash = await hashPassword(data.password);
  return db.transaction(async (tx) => {
    // Serialise sign-ups so two first visitors cannot both become the administrator.
    await tx.execute(sql`select pg_advisory_xact_lock(7201)`);
    const [existing] = await tx.select({ n: count() }).from(users);
    const isFirst = (existing?.n ?? 0) === 0;
    if (opts.asFirstAdmin && !isFirst) throw new Forbidden('setup.errors.alreadyDone');
    const clash = await tx
      .select({ email: users.email, pseudonym: users.pseudonym })
      .from(users)
      .where(sql`${users.email} = ${data.email} or lower(${users.pseudonym}) = lower(${data.pseudonym})`);
    const errors: Record<string, string> = {};
    if (clash.some((u) => u.pseudonym.toLowerCase() === data.pseudonym.toLowerCase())) {
      errors.pseudonym = 'accounts.errors.pseudonymTaken';
    }
    // The same email signing up again is told only "check your details" with no hint either way.
    if (clash.some((u) => u.email === data.email)) errors[''] = 'accounts.errors.cannotSignUp';
    if (Object.keys(errors).length) throw new Invalid(errors);
    const [user] = await tx
      .insert(users)
      .values({ email: data.email, pseudonym: data.pseudonym, passwordHash, isAdmin: isFirst })
      .returning();
    return user!;
  });
}

/** Returns the account for an email and password, or throws one message that reveals nothing. */
export async function authenticate(db: Db, input: unknown): Promise<User> {
  const data = parseInput(logInInput, input);
  const [user] = await db.select().from(users).where(eq(users.email, data.email));
  if (!user) {
    await burnPasswordCheck(data.password);
    throw new Invalid({ '': 'accounts.errors.badLogin' });
  }
  if (!(await verifyPassword(user.passwordHash, data.password))) {
    throw new Invalid({ '': 'accounts.errors.badLogin' });
  }
  return user;
}

/** Starts a session; returns the token for the cookie. Only its hash is stored. */
export async function createSession(
  db: DbOrTx,
  userId: number,
  device = '',
): Promise<{ token: string; maxAge: number }> {
  const token = randomBytes(32).toString('base64url');
  const maxAge = SESSION_DAYS * 24 * 3600;
  // Sessions that ran out are of no use to anyone: they go when their owner next logs in.
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date())));
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    device,
    expiresAt: new Date(Date.now() + maxAge * 1000),
  });
  await recordVisit(db, userId);
  return { token, maxAge };
}

/**
 * The signed-in person for a session token, in one round trip. It also notes when the session was
 * last seen, for the owner's list of devices, at most every few minutes, so most requests write nothing.
 */
export async function findSessionUser(db: Db, token: string): Promise<SessionUser | null> {
  const hash = hashToken(token);
  // Both drivers answer a raw statement with { rows }.
  const result = (await db.execute(sql`
    with touched as (
      update sessions set last_seen_at = now()
      where token_hash = ${hash} and expires_at > now()
        and last_seen_at < now() - make_interval(mins => ${LAST_SEEN_MINUTES})
      returning user_id
    ),
    -- A day visited counts towards the person's trust level, in this same round trip.
    visited as (${recordVisitSql(sql`select user_id from touched`)})
    select u.id, u.pseudonym, u.is_admin as "isAdmin", u.locale, u.time_zone as "timeZone",
      exists (select 1 from two_factor f where f.user_id = u.id and f.enabled_at is not null) as "secondFactor",
      ${unreadNotificationsSql(sql.raw('u.id'))} as "unreadNotifications",
      ${unreadConversationsSql(sql.raw('u.id'))} as "unreadMessages",
      ${mailPausedSql(sql.raw('u.id'))} as "mailPaused"
    from sessions s join users u on u.id = s.user_id
    where s.token_hash = ${hash} and s.expires_at > now()`)) as unknown as { rows: SessionUser[] };
  const row = result.rows[0];
  return row ? { ...row, id: Number(row.id) } : null;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** "Log out of all devices": every session of this person ends, this one included. */
export async function endAllSessions(db: Db, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export interface SessionRow {
  id: number;
  device: string;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

/** The person's sessions: the one in use first, then the most recently seen. */
export async function listSessions(db: Db, userId: number, currentToken: string): Promise<SessionRow[]> {
  const rows = await db
    .select({
      id: sessions.id,
      device: sessions.device,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      current: sql<boolean>`${sessions.tokenHash} = ${hashToken(currentToken)}`,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends one of the person's own sessions; someone else's id finds nothing. */
export async function endSessionById(db: Db, userId: number, sessionId: unknown): Promise<void> {
  const id = z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .safeParse(sessionId);
  if (!id.success) throw new NotFound();
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.id, id.data), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  if (ended.length === 0) throw new NotFound();
}

/** Changes the password and ends every other session, in case the old one was known to someone. */
export async function changePassword(db: Db, userId: number, currentToken: string, input: unknown): Promise<void> {
  const data = parseInput(changePasswordInput, input);
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, data.currentPassword))) {
    throw new Invalid({ currentPassword: 'accounts.errors.wrongPassword' });
  }
  const passwordHash = await hashPassword(data.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), sql`${sessions.tokenHash} <> ${hashToken(currentToken)}`));
  });
}

/**
 * Makes a reset token when the email belongs to an account. The caller answers the same way
 * whether or not it did, so the page never reveals who has an account.
 */
export async function createPasswordReset(
  db: Db,
  rawEmail: unknown,
): Promise<{ token: string; user: Pick<User, 'id' | 'email' | 'pseudonym'> } | null> {
  const address = parseInput(z.object({ email }), { email: rawEmail }).email;
  const [user] = await db
    .select({ id: users.id, email: users.email, pseudonym: users.pseudonym })
    .from(users)
    .where(eq(users.email, address));
  if (!user) return null;
  const token = randomBytes(32).toString('base64url');
  await db.delete(passwordResets).where(lt(passwordResets.expiresAt, new Date()));
  await db.insert(passwordResets).values({
    tokenHash: hashToken(token),
    userId: user.id,
    expiresAt: new Date(Date.now() + LINK_HOURS * 3600 * 1000),
  });
  return { token, user };
}

export async function isResetTokenValid(db: Db, token: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: passwordResets.userId })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, hashToken(token)),
        gt(passwordResets.expiresAt, new Date()),
        isNull(passwordResets.usedAt),
      ),
    );
  return Boolean(row);
}

/** Sets a new password from a reset link, and ends every session (whoever had them). */
export async function resetPassword(db: Db, token: string, input: unknown): Promise<void> {
  const data = parseInput(resetPasswordInput, input);
  const passwordHash = await hashPassword(data.newPassword);
  await db.transaction(async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(passwordResets.tokenHash, hashToken(token)),
          gt(passwordResets.expiresAt, new Date()),
          isNull(passwordResets.usedAt),
        ),
      )
      .returning({ userId: passwordResets.userId });
    if (!reset) throw new Invalid({ '': 'accounts.errors.resetExpired' });
    // Following the mailed link proves the address is theirs, as a confirmation link would.
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, reset.userId));
    // Any other link still in the mailbox stops working too: each link is good for one change.
    await tx
      .update(passwordResets)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    await tx.delete(sessions).where(eq(sessions.userId, reset.userId));
  });
}

/**
 * For another feature's query, so a page of posts asks the database once: the public name of the
 * person whose id that query holds (a qualified column, such as `posts.author_id`).
 */
export function pseudonymSql(userId: SQL): SQL<string | null> {
  return sql`(select u.pseudonym from users u where u.id = ${userId})`;
}

/** The site's administrators: who is told when no one else is there to be told. */
export async function siteAdminIds(db: DbOrTx): Promise<number[]> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.isAdmin, true));
  return rows.map((r) => r.id);
}

/** For another feature's query: the ids of the site's administrators, as a subquery. */
export const siteAdminIdsSql: SQL = sql`(select u.id from users u where u.is_admin)`;

/**
 * For another feature's query (as a lateral join): where to email the person with this id, in
 * which language and time zone, and how to greet them; no row unless they have confirmed the address.
 */
export function userContactSql(userId: SQL): SQL {
  return sql`(select u.email, u.locale, u.time_zone, u.pseudonym from users u
    where u.id = ${userId} and u.email_verified_at is not null)`;
}

/** Public names for a set of people: the only view of accounts that other features get. */
export async function pseudonymsByIds(db: DbOrTx, ids: Iterable<number | null>): Promise<Map<number, string>> {
  const unique = [...new Set([...ids].filter((id): id is number => id !== null))];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, pseudonym: users.pseudonym })
    .from(users)
    .where(inArray(users.id, unique));
  return new Map(rows.map((r) => [r.id, r.pseudonym]));
}

/** For another feature's query: the id of the account with this pseudonym (null when none). */
export function userIdSql(pseudonym: string): SQL<number | null> {
  return sql`(select u.id from users u where lower(u.pseudonym) = lower(${pseudonym}))`;
}

export async function findUserIdByPseudonym(db: DbOrTx, pseudonym: string): Promise<number | null> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.pseudonym}) = lower(${pseudonym})`);
  return row?.id ?? null;
}

/** An account's email, for rules that depend on it (an organisation's domain) and for mail. Never for pages. */
export async function emailOf(db: DbOrTx, userId: number): Promise<string | null> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

/** What the account page shows its owner: the only place an email address is rendered. */
export async function accountOverview(
  db: Db,
  userId: number,
): Promise<{ email: string; emailVerified: boolean; pseudonym: string } | null> {
  const [row] = await db
    .select({ email: users.email, emailVerifiedAt: users.emailVerifiedAt, pseudonym: users.pseudonym })
    .from(users)
    .where(eq(users.id, userId));
  return row ? { email: row.email, emailVerified: row.emailVerifiedAt !== null, pseudonym: row.pseudonym } : null;
}

/** An account's email once its owner has confirmed it, for rules that trust it (an organisation's domain). */
export async function verifiedEmailOf(db: DbOrTx, userId: number): Promise<string | null> {
  const [row] = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.id, userId), isNotNull(users.emailVerifiedAt)));
  return row?.email ?? null;
}
