import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { apiScopes, type ApiScope } from '../../platform/http/api.js';
import type { Viewer } from '../../platform/http/page.js';
import { secondFactorFirst } from '../accounts/index.js';
import { accessOrganisation, canManageOrganisation, type OrganisationAccess } from '../organisations/index.js';
import { apiTokens } from './schema.js';
import { createApiToken } from './tokens.js';

/**
 * The rules of the tokens pages: who may make, see and revoke which tokens. A person's own tokens
 * live at /account/tokens; an organisation's (limited to its groups) at /o/<slug>/tokens, kept by
 * its administrators and the site's.
 */

/** Whose tokens a page lists: the person's own, or an organisation's. */
export type TokenOwner = { kind: 'person'; viewer: Viewer } | { kind: 'organisation'; access: OrganisationAccess };

/** How long a new token lasts, in days; 'never' for a token that works until it is revoked. */
export const tokenLifetimes = ['30', '90', '365', 'never'] as const;
export type TokenLifetime = (typeof tokenLifetimes)[number];
const DAY_MS = 24 * 3600 * 1000;

/**
 * Scopes that carry a leader's powers. Like the powers themselves for site and organisation
 * admins and facilitators, they need two-step verification: a token is a password that lives on
 * in a program, so it should only be made by someone whose password alone cannot be enough.
 */
export const leaderScopes: readonly ApiScope[] = ['moderate', 'admin'];

const asList = (v: unknown) => (v === undefined || v === '' ? [] : [v].flat());

export const tokenInput = z.object({
  name: z.string().trim().min(1, 'api.tokens.errors.name').max(80, 'api.tokens.errors.nameLength'),
  scopes: z.preprocess(
    asList,
    z
      .array(z.enum(apiScopes, 'api.tokens.errors.scopes'), 'api.tokens.errors.scopes')
      .min(1, 'api.tokens.errors.scopes')
      .transform((list) => apiScopes.filter((s) => list.includes(s))),
  ),
  expires: z.enum(tokenLifetimes, 'api.tokens.errors.expires'),
});

/** Finds the organisation whose tokens someone asks for: only its administrators and the site's see them. */
export async function accessOrganisationTokens(db: DbOrTx, viewer: Viewer, slug: string): Promise<TokenOwner> {
  const access = await accessOrganisation(db, viewer, slug);
  if (!canManageOrganisation(access)) {
    throw access.orgAdmin || viewer.isAdmin ? secondFactorFirst() : new Forbidden('api.tokens.errors.notOrgAdmin');
  }
  return { kind: 'organisation', access };
}

export interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const listed = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
};

/** Which rows belong to the owner: a person's own tokens (not their organisations'), or an organisation's. */
function ownedBy(owner: TokenOwner) {
  return owner.kind === 'person'
    ? and(eq(apiTokens.userId, owner.viewer.id), isNull(apiTokens.organisationId))
    : eq(apiTokens.organisationId, owner.access.organisation.id);
}

/** The owner's tokens, newest first, with nothing secret in them (only the first characters). */
export async function listTokens(db: DbOrTx, owner: TokenOwner): Promise<TokenRow[]> {
  return db.select(listed).from(apiTokens).where(ownedBy(owner)).orderBy(desc(apiTokens.id));
}

/** One of the owner's tokens, for the page that asks before revoking it; NotFound for anyone else's. */
export async function findToken(db: DbOrTx, owner: TokenOwner, tokenId: number): Promise<TokenRow> {
  const [row] = Number.isSafeInteger(tokenId)
    ? await db
        .select(listed)
        .from(apiTokens)
        .where(and(eq(apiTokens.id, tokenId), ownedBy(owner)))
    : [];
  if (!row) throw new NotFound();
  return row;
}

/**
 * Makes a token for the owner from the form and returns it: the only time anyone sees it. An
 * organisation's token acts as the admin who made it, within that organisation's groups.
 */
export async function issueToken(
  db: Db,
  viewer: Viewer,
  owner: TokenOwner,
  input: unknown,
  now = new Date(),
): Promise<{ id: number; token: string; name: string }> {
  const data = parseInput(tokenInput, input);
  if (data.scopes.some((s) => leaderScopes.includes(s)) && viewer.secondFactor !== true) {
    throw new Invalid({ scopes: 'api.tokens.errors.secondFactor' });
  }
  const expiresAt = data.expires === 'never' ? null : new Date(now.getTime() + Number(data.expires) * DAY_MS);
  const made = await createApiToken(db, viewer.id, {
    name: data.name,
    scopes: data.scopes,
    expiresAt,
    organisationId: owner.kind === 'organisation' ? owner.access.organisation.id : null,
  });
  return { ...made, name: data.name };
}

/** Revokes one of the owner's tokens at once; revoking it again changes nothing. */
export async function revokeToken(db: DbOrTx, owner: TokenOwner, tokenId: number): Promise<void> {
  await findToken(db, owner, tokenId);
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), ownedBy(owner), isNull(apiTokens.revokedAt)));
}
