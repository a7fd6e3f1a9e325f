import { and, asc, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { firstFreeSlug, slugify } from '../../platform/text/slug.js';
import { findUserIdByPseudonym, pseudonymSql } from '../accounts/index.js';
import { countListedGroupsByOrganisation, createGroup, listOrganisationGroups, type Group } from '../groups/index.js';
import {
  accessOrganisation,
  assertCanCreateOrganisation,
  assertCanManageOrganisation,
  canManageOrganisation,
  isOrganisationAdmin,
  type Actor,
  type OrganisationAccess,
} from './policy.js';
import { organisationAdmins, organisationKindEnum, organisations, type Organisation } from './schema.js';

export const organisationKinds = organisationKindEnum.enumValues;
export type OrganisationKind = (typeof organisationKinds)[number];

/** A web address people can follow safely: http or https only, never javascript: or data:. */
const website = z
  .string()
  .trim()
  .max(300, 'organisations.errors.website')
  .optional()
  .transform((v) => v || null)
  .refine((v) => v === null || isWebAddress(v), 'organisations.errors.website');

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

export const organisationInput = z.object({
  name: z.string().trim().min(3, 'organisations.errors.nameLength').max(100, 'organisations.errors.nameLength'),
  kind: z.enum(organisationKinds, 'organisations.errors.kind'),
  description: z.string().trim().max(10000, 'organisations.errors.descriptionLength').default(''),
  website,
});
export type OrganisationInput = z.infer<typeof organisationInput>;

const adminInput = z.object({
  pseudonym: z.string('organisations.errors.pseudonymRequired').trim().min(1, 'organisations.errors.pseudonymRequired'),
});

async function uniqueSlug(db: DbOrTx, name: string): Promise<string> {
  const base = slugify(name, 'organisation');
  const taken = await db
    .select({ slug: organisations.slug })
    .from(organisations)
    .where(sql`${organisations.slug} = ${base} or ${organisations.slug} like ${`${base}-%`}`);
  return firstFreeSlug(
    base,
    taken.map((r) => r.slug),
  );
}

/** A site admin adds an organisation and becomes its first administrator. */
export async function createOrganisation(db: Db, actor: Actor, input: unknown): Promise<Organisation> {
  assertCanCreateOrganisation(actor);
  const data = parseInput(organisationInput, input);
  return db.transaction(async (tx) => {
    const [organisation] = await tx
      .insert(organisations)
      .values({
        slug: await uniqueSlug(tx, data.name),
        name: data.name,
        kind: data.kind,
        description: data.description,
        website: data.website,
        createdBy: actor!.id,
      })
      .returning();
    await tx.insert(organisationAdmins).values({ organisationId: organisation!.id, userId: actor!.id });
    return organisation!;
  });
}

export interface OrganisationListing {
  organisation: Organisation;
  listedGroups: number;
}

/** Every organisation, by name, with how many groups it lists publicly. */
export async function listOrganisations(db: Db): Promise<OrganisationListing[]> {
  const rows = await db.select().from(organisations).orderBy(asc(organisations.name), asc(organisations.id));
  const counts = await countListedGroupsByOrganisation(
    db,
    rows.map((o) => o.id),
  );
  return rows.map((organisation) => ({ organisation, listedGroups: counts.get(organisation.id) ?? 0 }));
}

/** The groups shown on an organisation's page: unlisted ones only for those who manage it. */
export async function organisationGroups(db: Db, access: OrganisationAccess): Promise<Group[]> {
  return listOrganisationGroups(db, access.organisation.id, { includeUnlisted: canManageOrganisation(access) });
}

/** An organisation's admins create its groups; they own each group they start. */
export async function createOrganisationGroup(db: Db, actor: Actor, slug: string, input: unknown): Promise<Group> {
  const access = await accessOrganisation(db, actor, slug);
  assertCanManageOrganisation(access);
  return createGroup(db, actor, input, { organisationId: access.organisation.id });
}

export interface AdminRow {
  pseudonym: string;
  since: Date;
}

export async function listAdmins(db: DbOrTx, access: OrganisationAccess): Promise<AdminRow[]> {
  assertCanManageOrganisation(access);
  const rows = await db
    .select({
      pseudonym: pseudonymSql(sql.raw('organisation_admins.user_id')),
      since: organisationAdmins.createdAt,
    })
    .from(organisationAdmins)
    .where(eq(organisationAdmins.organisationId, access.organisation.id))
    .orderBy(asc(organisationAdmins.createdAt), asc(organisationAdmins.userId));
  return rows.map((r) => ({ pseudonym: r.pseudonym ?? '', since: r.since }));
}

/** Makes someone, named by their pseudonym, an administrator of the organisation. */
export async function addAdmin(db: Db, actor: Actor, slug: string, input: unknown): Promise<void> {
  const { pseudonym } = parseInput(adminInput, input);
  await db.transaction(async (tx) => {
    const access = await accessOrganisation(tx, actor, slug);
    assertCanManageOrganisation(access);
    const userId = await findUserIdByPseudonym(tx, pseudonym);
    if (userId === null) throw new Invalid({ pseudonym: 'organisations.errors.noSuchPerson' });
    const added = await tx
      .insert(organisationAdmins)
      .values({ organisationId: access.organisation.id, userId })
      .onConflictDoNothing()
      .returning({ userId: organisationAdmins.userId });
    if (added.length === 0) throw new Invalid({ pseudonym: 'organisations.errors.alreadyAdmin' });
  });
}

/**
 * Removes an administrator. An organisation always keeps at least one, so its groups have
 * someone to look after them; two admins removing each other at once cannot both succeed.
 */
export async function removeAdmin(db: Db, actor: Actor, slug: string, pseudonym: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Locked before the checks, so they see any removal that committed while this one waited.
    await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)).for('update');
    const access = await accessOrganisation(tx, actor, slug);
    assertCanManageOrganisation(access);
    const organisationId = access.organisation.id;
    const userId = await findUserIdByPseudonym(tx, pseudonym);
    if (userId === null || !(await isOrganisationAdmin(tx, organisationId, userId))) throw new NotFound();
    const [admins] = await tx
      .select({ n: count() })
      .from(organisationAdmins)
      .where(eq(organisationAdmins.organisationId, organisationId));
    if ((admins?.n ?? 0) <= 1) throw new Invalid({ '': 'organisations.errors.lastAdmin' });
    await tx
      .delete(organisationAdmins)
      .where(and(eq(organisationAdmins.organisationId, organisationId), eq(organisationAdmins.userId, userId)));
  });
}
