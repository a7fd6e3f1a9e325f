/** The organisations feature's public face. */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organisationAdmins } from './schema.js';

export async function isOrganisationAdmin(db: DbOrTx, organisationId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: organisationAdmins.userId })
    .from(organisationAdmins)
    .where(and(eq(organisationAdmins.organisationId, organisationId), eq(organisationAdmins.userId, userId)));
  return Boolean(row);
}
