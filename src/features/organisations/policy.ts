import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { Viewer } from '../../platform/http/page.js';
import { secondFactorFirst } from '../accounts/index.js';
import { organisationAdmins, organisations, type Organisation } from './schema.js';

export type Actor = Viewer | null;

/** An organisation as one person may see it, and whether they administer it. */
export interface OrganisationAccess {
  organisation: Organisation;
  /** The actor is one of the organisation's own administrators. */
  orgAdmin: boolean;
  actor: Actor;
}

export async function isOrganisationAdmin(db: DbOrTx, organisationId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: organisationAdmins.userId })
    .from(organisationAdmins)
    .where(and(eq(organisationAdmins.organisationId, organisationId), eq(organisationAdmins.userId, userId)));
  return Boolean(row);
}

/** Loads an organisation anyone may reach by its address; its page is public. */
export async function accessOrganisation(db: DbOrTx, actor: Actor, slug: string): Promise<OrganisationAccess> {
  const [row] = await db
    .select({
      organisation: organisations,
      orgAdmin: isOrganisationAdminSql(sql.raw('organisations.id'), actor?.id ?? -1),
    })
    .from(organisations)
    .where(eq(organisations.slug, slug));
  if (!row) throw new NotFound();
  return { organisation: row.organisation, orgAdmin: row.orgAdmin, actor };
}

/** Organisations vouch for professional groups, so only the site's administrators add them. */
export function canCreateOrganisation(actor: Actor): boolean {
  return actor?.isAdmin === true && actor.secondFactor === true;
}

/** Starting groups, seeing unlisted ones and choosing administrators: the organisation's admins and site admins. */
export function canManageOrganisation(a: OrganisationAccess): boolean {
  // Administrators act for people who trust the organisation: only with two-step verification on.
  if (a.actor?.secondFactor !== true) return false;
  return a.orgAdmin || a.actor.isAdmin;
}

export function assertCanCreateOrganisation(actor: Actor): void {
  if (canCreateOrganisation(actor)) return;
  throw actor?.isAdmin ? secondFactorFirst() : new Forbidden('organisations.errors.siteAdminsOnly');
}

export function assertCanManageOrganisation(a: OrganisationAccess): void {
  if (canManageOrganisation(a)) return;
  throw a.orgAdmin || a.actor?.isAdmin ? secondFactorFirst() : new Forbidden('organisations.errors.notAdmin');
}

/** The name and address of the organisation that runs a group, for the group's header. */
/**
 * For another feature's query, so that a page asks the database once: the organisation's slug and
 * name (null when there is none) for an organisation id written in that query.
 */
export function organisationSummarySql(organisationId: SQL): SQL<{ slug: string; name: string } | null> {
  return sql`(select json_build_object('slug', o.slug, 'name', o.name) from organisations o where o.id = ${organisationId})`;
}

/** For another feature's query: whether this person administers the organisation with that id. */
export function isOrganisationAdminSql(organisationId: SQL, userId: number): SQL<boolean> {
  return sql`exists (select 1 from organisation_admins oa where oa.organisation_id = ${organisationId} and oa.user_id = ${userId})`;
}

export async function organisationSummary(
  db: DbOrTx,
  organisationId: number,
): Promise<{ slug: string; name: string } | null> {
  const [row] = await db
    .select({ slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return row ?? null;
}
