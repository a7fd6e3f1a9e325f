/**
 * Listings of groups hosted elsewhere (in person, by phone, on another platform): submitted by
 * anyone signed in, reviewed by site admins, shown in the directory once approved, and claimed by
 * their organisers to become Mutual groups. The submitter is never shown to anyone.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { groupLanguages, groupSummarySql } from '../groups/index.js';
import { assertCanEditListing, assertCanReadListing } from './listing-policy.js';
import {
  loadEntryProfile,
  parseEntryProfile,
  saveEntryProfile,
  type EntryProfile,
  type EntryProfileView,
} from './profile.js';
import { directoryAccess, directoryEntries, listingClaims, listings, type Listing } from './schema.js';

/** Listings one person may have waiting for review at once: enough for an organiser, too few to flood the queue. */
export const MAX_PENDING_PER_PERSON = 10;

const httpUrl = z
  .string()
  .trim()
  .max(500, 'listings.errors.websiteLength')
  .refine((v) => {
    if (v === '') return true;
    try {
      const url = new URL(v);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
    } catch {
      return false;
    }
  }, 'listings.errors.websiteInvalid');

/** The listing's own fields; the profile (topics, formats, place, meetings) is parsed by profile.ts. */
export const listingInput = z
  .object({
    name: z
      .string('listings.errors.nameLength')
      .trim()
      .min(3, 'listings.errors.nameLength')
      .max(80, 'listings.errors.nameLength'),
    summary: z
      .string('listings.errors.summaryLength')
      .trim()
      .min(10, 'listings.errors.summaryLength')
      .max(200, 'listings.errors.summaryLength'),
    description: z.string().trim().max(5000, 'listings.errors.descriptionLength').default(''),
    contact: z.string().trim().max(300, 'listings.errors.contactLength').default(''),
    website: httpUrl.default(''),
    organiser: z.string().trim().max(120, 'listings.errors.organiserLength').default(''),
    leadership: z.enum(['peer', 'professional'], 'listings.errors.leadership'),
    access: z.enum(directoryAccess, 'listings.errors.access'),
    free: z.enum(['yes', 'no'], 'listings.errors.free'),
    // Checked when parsing, not built into an enum here: the groups feature's module may not have
    // finished loading when this one does (they import each other).
    language: z
      .string('listings.errors.language')
      .refine((v) => (groupLanguages as readonly string[]).includes(v), 'listings.errors.language'),
  })
  .refine((l) => l.contact !== '' || l.website !== '', {
    path: ['contact'],
    message: 'listings.errors.contactRequired',
  });
export type ListingInput = z.infer<typeof listingInput>;

/** Both halves of the form, so every field's message shows at once. */
function parseListing(body: unknown): { listing: ListingInput; profile: EntryProfile } {
  let errors: Record<string, string> = {};
  let listing: ListingInput | undefined;
  let profile: EntryProfile | undefined;
  try {
    listing = parseInput(listingInput, body);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    errors = { ...errors, ...error.fieldErrors };
  }
  try {
    profile = parseEntryProfile(body);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    errors = { ...errors, ...error.fieldErrors };
  }
  if (!listing || !profile) throw new Invalid(errors);
  return { listing, profile };
}

const entryColumns = (l: ListingInput) => ({
  name: l.name,
  summary: l.summary,
  description: l.description,
  language: l.language,
  leadership: l.leadership,
  access: l.access,
  free: l.free === 'yes',
});

/**
 * Submits a listing: the listing (pending) and its directory entry (not listed) with its profile,
 * in one transaction. Returns the new listing's id.
 */
export async function submitListing(db: Db, viewer: Viewer | null, body: unknown): Promise<number> {
  if (!viewer) throw new Forbidden('listings.errors.logInFirst');
  const { listing, profile } = parseListing(body);
  return db.transaction(async (tx) => {
    const [waiting] = await tx
      .select({ n: count() })
      .from(listings)
      .where(and(eq(listings.submittedBy, viewer.id), eq(listings.status, 'pending')));
    if ((waiting?.n ?? 0) >= MAX_PENDING_PER_PERSON) throw new Invalid({ '': 'listings.errors.tooMany' });
    const [row] = await tx
      .insert(listings)
      .values({
        contact: listing.contact,
        website: listing.website || null,
        organiser: listing.organiser,
        submittedBy: viewer.id,
      })
      .returning({ id: listings.id });
    const [entry] = await tx
      .insert(directoryEntries)
      .values({ kind: 'listing', listingId: row!.id, listed: false, visibility: 'public', ...entryColumns(listing) })
      .returning({ id: directoryEntries.id });
    await saveEntryProfile(tx, entry!.id, null, profile);
    return row!.id;
  });
}

/** A listing with its directory entry, as its page and the review queue show it. */
export interface ListingView {
  listing: Listing;
  entryId: number;
  name: string;
  summary: string;
  description: string;
  language: string;
  leadership: 'peer' | 'professional';
  access: (typeof directoryAccess)[number];
  free: boolean;
}

export const listingViewColumns = {
  listing: listings,
  entryId: directoryEntries.id,
  name: directoryEntries.name,
  summary: directoryEntries.summary,
  description: directoryEntries.description,
  language: directoryEntries.language,
  leadership: sql<'peer' | 'professional'>`${directoryEntries.leadership}`,
  access: sql<(typeof directoryAccess)[number]>`${directoryEntries.access}`,
  free: directoryEntries.free,
};

export async function findListing(db: DbOrTx, id: number): Promise<ListingView | null> {
  const [row] = await db
    .select(listingViewColumns)
    .from(listings)
    .innerJoin(directoryEntries, eq(directoryEntries.listingId, listings.id))
    .where(eq(listings.id, id));
  return row ?? null;
}

export type ListingPageData =
  | { claimedBy: string }
  | {
      view: ListingView;
      profile: EntryProfileView | null;
      /** The viewer has a claim on it waiting for review. */
      claimPending: boolean;
    };

/**
 * What /listings/:id shows this viewer: a claimed listing gives the address of the group it became
 * (for everyone, as its page is gone); others are checked by the policy (a 404 for anyone who may
 * not see it).
 */
export async function readListing(db: DbOrTx, viewer: Viewer | null, id: number): Promise<ListingPageData> {
  const view = await findListing(db, id);
  if (!view) throw new NotFound();
  if (view.listing.status === 'claimed') {
    const groupId = view.listing.claimedGroupId;
    if (groupId === null) throw new NotFound();
    const result = (await db.execute(sql`select ${groupSummarySql(sql`${groupId}`)} as "group"`)) as unknown as {
      rows: { group: { slug: string } | null }[];
    };
    const group = result.rows[0]?.group;
    if (!group) throw new NotFound();
    return { claimedBy: group.slug };
  }
  assertCanReadListing(viewer, view.listing);
  const [profile, claims] = await Promise.all([
    loadEntryProfile(db, view.entryId),
    viewer
      ? db
          .select({ n: count() })
          .from(listingClaims)
          .where(
            and(
              eq(listingClaims.listingId, id),
              eq(listingClaims.userId, viewer.id),
              eq(listingClaims.status, 'pending'),
            ),
          )
      : Promise.resolve([{ n: 0 }]),
  ]);
  return { view, profile, claimPending: (claims[0]?.n ?? 0) > 0 };
}

/** A listing for its edit form, if this viewer may edit it. */
export async function listingForEdit(
  db: DbOrTx,
  viewer: Viewer | null,
  id: number,
): Promise<{ view: ListingView; profile: EntryProfileView | null }> {
  const view = await findListing(db, id);
  if (!view) throw new NotFound();
  assertCanEditListing(viewer, view.listing);
  return { view, profile: await loadEntryProfile(db, view.entryId) };
}

/** Admins edit any listing not yet claimed; the submitter, theirs while it waits for review. */
export async function updateListing(db: Db, viewer: Viewer | null, id: number, body: unknown): Promise<void> {
  const found = await findListing(db, id);
  if (!found) throw new NotFound();
  assertCanEditListing(viewer, found.listing);
  const { listing, profile } = parseListing(body);
  await db.transaction(async (tx) => {
    await tx
      .update(listings)
      .set({
        contact: listing.contact,
        website: listing.website || null,
        organiser: listing.organiser,
        updatedAt: new Date(),
      })
      .where(eq(listings.id, id));
    await tx.update(directoryEntries).set(entryColumns(listing)).where(eq(directoryEntries.id, found.entryId));
    await saveEntryProfile(tx, found.entryId, null, profile);
  });
}

export interface MyListing {
  id: number;
  name: string;
  status: Listing['status'];
  declineReason: string | null;
  createdAt: Date;
}

/** The viewer's own listings, newest first, with where each stands. */
export async function myListings(db: DbOrTx, viewer: Viewer): Promise<MyListing[]> {
  return db
    .select({
      id: listings.id,
      name: directoryEntries.name,
      status: listings.status,
      declineReason: listings.declineReason,
      createdAt: listings.createdAt,
    })
    .from(listings)
    .innerJoin(directoryEntries, eq(directoryEntries.listingId, listings.id))
    .where(eq(listings.submittedBy, viewer.id))
    .orderBy(desc(listings.createdAt), desc(listings.id));
}

/**
 * For the notifications feature's query, like the groups feature's groupSummarySql: a listing's id
 * and name as JSON, from a qualified column holding its id.
 */
export function listingSummarySql(listingId: ReturnType<typeof sql.raw>) {
  return sql<{ id: number; name: string } | null>`(select json_build_object('id', e.listing_id, 'name', e.name)
    from directory_entries e where e.listing_id = ${listingId})`;
}
