import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { directoryEntries, listingClaims, listings } from './schema.js';

export interface DirectoryExport {
  /** Listings of groups hosted elsewhere that the member submitted, with what they typed. */
  listings: {
    name: string;
    summary: string;
    contact: string;
    website: string | null;
    organiser: string;
    status: string;
    createdAt: Date;
  }[];
  /** Claims the member made to take over a listing, with their message. */
  claims: { listing: string; message: string; status: string; createdAt: Date }[];
}

/**
 * What the directory keeps about a member, for their data export. On deletion, a listing they
 * submitted stays (it describes a group, not them) with its submitter forgotten (the foreign key
 * sets it to null); their claims go with the account (on delete cascade).
 */
export async function exportDirectoryData(db: DbOrTx, userId: number): Promise<DirectoryExport> {
  const [submitted, claims] = await Promise.all([
    db
      .select({
        name: directoryEntries.name,
        summary: directoryEntries.summary,
        contact: listings.contact,
        website: listings.website,
        organiser: listings.organiser,
        status: listings.status,
        createdAt: listings.createdAt,
      })
      .from(listings)
      .innerJoin(directoryEntries, eq(directoryEntries.listingId, listings.id))
      .where(eq(listings.submittedBy, userId))
      .orderBy(asc(listings.createdAt)),
    db
      .select({
        listing: directoryEntries.name,
        message: listingClaims.message,
        status: listingClaims.status,
        createdAt: listingClaims.createdAt,
      })
      .from(listingClaims)
      .innerJoin(directoryEntries, eq(directoryEntries.listingId, listingClaims.listingId))
      .where(eq(listingClaims.userId, userId))
      .orderBy(asc(listingClaims.createdAt)),
  ]);
  return { listings: submitted, claims };
}
