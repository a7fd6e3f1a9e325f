import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organisationAdmins, organisations } from './schema.js';

/** The organisations a member administers, for their data export (the rows go with the account). */
export async function exportOrganisationData(
  db: DbOrTx,
  userId: number,
): Promise<{ administers: { name: string; since: Date }[] }> {
  const rows = await db
    .select({ name: organisations.name, since: organisationAdmins.createdAt })
    .from(organisationAdmins)
    .innerJoin(organisations, eq(organisations.id, organisationAdmins.organisationId))
    .where(eq(organisationAdmins.userId, userId))
    .orderBy(asc(organisationAdmins.createdAt));
  return { administers: rows };
}
