import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { ApiCaller, ApiScope } from '../../platform/http/api.js';
import type { Viewer } from '../../platform/http/page.js';
import { apiTokens } from './schema.js';

/** Tokens read as what they are in a secret scanner's eyes: "mutual_" and 32 random bytes. */
const TOKEN_PREFIX = 'mutual_';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewToken {
  name: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  organisationId?: number | null;
}

/** Makes a token and returns it: the only time it is ever seen (only its hash is kept). */
export async function createApiToken(db: Db, userId: number, input: NewToken): Promise<{ id: number; token: string }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      organisationId: input.organisationId ?? null,
      name: input.name,
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 4),
      scopes: input.scopes,
      expiresAt: input.expiresAt,
    })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

/**
 * The person and caller a bearer token stands for, or null when it is unknown, revoked or
 * expired. The last-used time is written at most once a minute, in the same round trip.
 */
export async function findTokenCaller(db: Db, token: string): Promise<{ viewer: Viewer; caller: ApiCaller } | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const hash = hashApiToken(token);
  const result = (await db.execute(sql`
    with found as (
      select t.id, t.user_id, t.scopes, t.organisation_id from api_tokens t
      where t.token_hash = ${hash} and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
    ),
    touched as (
      update api_tokens set last_used_at = now()
      where id = (select id from found) and (last_used_at is null or last_used_at < now() - interval '1 minute')
      returning id
    )
    select f.id as "tokenId", f.scopes, f.organisation_id as "organisationId",
      u.id, u.pseudonym, u.is_admin as "isAdmin", u.locale, u.time_zone as "timeZone",
      exists (select 1 from two_factor tf where tf.user_id = u.id and tf.enabled_at is not null) as "secondFactor",
      (select count(*) from touched) as touched
    from found f join users u on u.id = f.user_id`)) as unknown as {
    rows: {
      tokenId: number;
      scopes: ApiScope[];
      organisationId: number | null;
      id: number;
      pseudonym: string;
      isAdmin: boolean;
      locale: string;
      timeZone: string;
      secondFactor: boolean;
    }[];
  };
  const row = result.rows[0];
  if (!row) return null;
  return {
    viewer: {
      id: Number(row.id),
      pseudonym: row.pseudonym,
      isAdmin: row.isAdmin,
      locale: row.locale,
      timeZone: row.timeZone,
      secondFactor: row.secondFactor,
    },
    caller: {
      tokenId: Number(row.tokenId),
      scopes: row.scopes,
      organisationId: row.organisationId === null ? null : Number(row.organisationId),
    },
  };
}

/** A person's own tokens (not their organisations'), newest first, with nothing secret in them. */
export async function listApiTokens(db: Db, userId: number) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      organisationId: apiTokens.organisationId,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id));
}

/** Revokes one of the person's tokens at once; false when it is not theirs or already revoked. */
export async function revokeApiToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const done = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return done.length > 0;
}
