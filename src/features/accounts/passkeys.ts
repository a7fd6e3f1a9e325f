import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { passkeys, users, webauthnChallenges } from './schema.js';
import { hashToken } from './service.js';

/** Passkeys (WebAuthn): registered in the account's security page, used to log in without a password. */

/** Where WebAuthn is bound: the site's own origin (BASE_URL), so a look-alike site cannot use a passkey. */
export interface RelyingParty {
  name: string;
  id: string;
  origin: string;
}

export function relyingParty(baseUrl: string, name: string): RelyingParty {
  const url = new URL(baseUrl);
  return { name, id: url.hostname, origin: url.origin };
}

const CHALLENGE_MINUTES = 5;

/** What the browser sends back: checked for shape here, and cryptographically by the library. */
const credentialJson = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal('public-key'),
  response: z.record(z.string(), z.unknown()),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

function parseCredential(input: unknown) {
  const result = credentialJson.safeParse(input);
  if (!result.success) throw new Invalid({ '': 'accounts.passkeys.errors.failed' });
  return result.data;
}

async function saveChallenge(
  db: Db,
  purpose: 'register' | 'login',
  challenge: string,
  user: { id: number; handle: string } | null,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date()));
  await db.insert(webauthnChallenges).values({
    tokenHash: hashToken(token),
    purpose,
    userId: user?.id ?? null,
    userHandle: user?.handle ?? null,
    challenge,
    expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60 * 1000),
  });
  return token;
}

/** Takes a challenge out, so that each one answers once. */
async function takeChallenge(db: Db, token: string, purpose: 'register' | 'login') {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.tokenHash, hashToken(token)),
        eq(webauthnChallenges.purpose, purpose),
        gt(webauthnChallenges.expiresAt, new Date()),
      ),
    )
    .returning();
  if (!row) throw new Invalid({ '': 'accounts.passkeys.errors.expired' });
  return row;
}

export interface PasskeyRow {
  id: string;
  device: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listPasskeys(db: Db, userId: number): Promise<PasskeyRow[]> {
  return db
    .select({
      id: passkeys.id,
      device: passkeys.device,
      createdAt: passkeys.createdAt,
      lastUsedAt: passkeys.lastUsedAt,
    })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt));
}

/** Options for navigator.credentials.create(); the challenge waits behind the returned token. */
export async function startPasskeyRegistration(
  db: Db,
  rp: RelyingParty,
  userId: number,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; token: string }> {
  const [user] = await db.select({ pseudonym: users.pseudonym }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFound();
  const existing = await db
    .select({ id: passkeys.id, transports: passkeys.transports, userHandle: passkeys.userHandle })
    .from(passkeys)
    .where(eq(passkeys.userId, userId));
  // One random handle per account, the same for all its passkeys; never the email or the database id.
  const handle = existing[0]?.userHandle ?? randomBytes(32).toString('base64url');
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.pseudonym,
    userDisplayName: user.pseudonym,
    userID: new Uint8Array(Buffer.from(handle, 'base64url')),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  const token = await saveChallenge(db, 'register', options.challenge, { id: userId, handle });
  return { options, token };
}

/** Checks the browser's new credential against the challenge and keeps its public key. */
export async function finishPasskeyRegistration(
  db: Db,
  rp: RelyingParty,
  userId: number,
  token: string,
  input: unknown,
  device: string,
): Promise<void> {
  const response = parseCredential(input) as unknown as RegistrationResponseJSON;
  const challenge = await takeChallenge(db, token, 'register');
  if (challenge.userId !== userId || !challenge.userHandle)
    throw new Invalid({ '': 'accounts.passkeys.errors.expired' });
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) throw new Invalid({ '': 'accounts.passkeys.errors.failed' });
  const { credential } = verification.registrationInfo;
  await db
    .insert(passkeys)
    .values({
      id: credential.id,
      userId,
      userHandle: challenge.userHandle,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      device,
    })
    .onConflictDoNothing();
}

export async function removePasskey(db: Db, userId: number, passkeyId: string): Promise<void> {
  const removed = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  if (removed.length === 0) throw new NotFound();
}

/** Options for navigator.credentials.get(): any passkey of this site, chosen on the device. */
export async function startPasskeyLogin(
  db: Db,
  rp: RelyingParty,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; token: string }> {
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'preferred' });
  const token = await saveChallenge(db, 'login', options.challenge, null);
  return { options, token };
}

/**
 * Checks a passkey's signature; returns whose it is and whether the device verified the person
 * (a PIN, a fingerprint), which makes it two factors in one.
 */
export async function finishPasskeyLogin(
  db: Db,
  rp: RelyingParty,
  token: string,
  input: unknown,
): Promise<{ userId: number; userVerified: boolean }> {
  const response = parseCredential(input) as unknown as AuthenticationResponseJSON;
  const challenge = await takeChallenge(db, token, 'login');
  const [passkey] = await db.select().from(passkeys).where(eq(passkeys.id, response.id));
  if (!passkey) throw new Invalid({ '': 'accounts.passkeys.errors.unknown' });
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: {
      id: passkey.id,
      publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
      counter: passkey.counter,
      transports: passkey.transports,
    },
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) throw new Invalid({ '': 'accounts.passkeys.errors.failed' });
  await db
    .update(passkeys)
    .set({ counter: verification.authenticationInfo.newCounter, lastUsedAt: new Date() })
    .where(eq(passkeys.id, passkey.id));
  return { userId: passkey.userId, userVerified: verification.authenticationInfo.userVerified };
}
