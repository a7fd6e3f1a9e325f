/**
 * Reviewing listings (site admins approve or decline them) and claims (an organiser asks to turn a
 * listing into a Mutual group they own). Every decision tells the person it concerns.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { createGroup } from '../groups/index.js';
import { notify } from '../notifications/index.js';
import { assertSiteAdmin } from '../accounts/index.js';
import { assertCanClaimListing } from './listing-policy.js';
import { findListing, listingViewColumns, type ListingView } from './listings.js';
import { directoryEntries, listingClaims, listings, meetingTimes } from './schema.js';

const declineInput = z.object({
  reason: z
    .string('listings.errors.reasonRequired')
    .trim()
    .min(3, 'listings.errors.reasonRequired')
    .max(500, 'listings.errors.reasonLength'),
});

/** Approves a pending listing: it joins the directory and the sitemap, and its submitter is told. */
export async function approveListing(db: Db, viewer: Viewer | null, id: number): Promise<void> {
  assertSiteAdmin(viewer);
  await db.transaction(async (tx) => {
    const [listing] = await tx
      .update(listings)
      .set({
        status: 'approved',
        reviewedBy: viewer.id,
        reviewedAt: new Date(),
        declineReason: null,
        updatedAt: new Date(),
      })
      .where(and(eq(listings.id, id), eq(listings.status, 'pending')))
      .returning();
    if (!listing) throw new NotFound();
    // Approved listings chose to be found: they are in the sitemap and their pages are indexable.
    await tx
      .update(directoryEntries)
      .set({ listed: true, searchEngines: true, updatedAt: new Date() })
      .where(eq(directoryEntries.listingId, id));
    if (listing.submittedBy !== null) {
      await notify(tx, {
        userId: listing.submittedBy,
        kind: 'listing_approved',
        listingId: id,
        actorRole: 'siteAdmin',
      });
    }
  });
}

/** Declines a pending listing with a reason its submitter is told. */
export async function declineListing(db: Db, viewer: Viewer | null, id: number, body: unknown): Promise<void> {
  assertSiteAdmin(viewer);
  const { reason } = parseInput(declineInput, body);
  await db.transaction(async (tx) => {
    const [listing] = await tx
      .update(listings)
      .set({
        status: 'declined',
        reviewedBy: viewer.id,
        reviewedAt: new Date(),
        declineReason: reason,
        updatedAt: new Date(),
      })
      .where(and(eq(listings.id, id), eq(listings.status, 'pending')))
      .returning();
    if (!listing) throw new NotFound();
    if (listing.submittedBy !== null) {
      await notify(tx, {
        userId: listing.submittedBy,
        kind: 'listing_declined',
        listingId: id,
        actorRole: 'siteAdmin',
        reason,
      });
    }
  });
}

// Claims ------------------------------------------------------------------------------------------

const claimInput = z.object({
  message: z
    .string('listings.errors.claimMessageLength')
    .trim()
    .min(10, 'listings.errors.claimMessageLength')
    .max(1000, 'listings.errors.claimMessageLength'),
});

/** Asks to take over an approved listing; a site admin decides. One open claim per person and listing. */
export async function claimListing(db: Db, viewer: Viewer | null, id: number, body: unknown): Promise<void> {
  if (!viewer) throw new Forbidden('listings.errors.logInFirst');
  const found = await findListing(db, id);
  if (!found) throw new NotFound();
  assertCanClaimListing(viewer, found.listing);
  const { message } = parseInput(claimInput, body);
  await db.transaction(async (tx) => {
    const [open] = await tx
      .select({ n: count() })
      .from(listingClaims)
      .where(
        and(eq(listingClaims.listingId, id), eq(listingClaims.userId, viewer.id), eq(listingClaims.status, 'pending')),
      );
    if ((open?.n ?? 0) > 0) throw new Invalid({ message: 'listings.errors.claimPending' });
    await tx.insert(listingClaims).values({ listingId: id, userId: viewer.id, message });
  });
}

export interface ReviewQueue {
  listings: (ListingView & { meetings: number })[];
  claims: { id: number; listingId: number; name: string; message: string; createdAt: Date }[];
}

/** What waits for a site admin: pending listings, oldest first, and pending claims. Three queries. */
export async function reviewQueue(db: DbOrTx, viewer: Viewer | null): Promise<ReviewQueue> {
  assertSiteAdmin(viewer);
  const [pending, claims] = await Promise.all([
    db
      .select({
        ...listingViewColumns,
        meetings: sql<number>`(select count(*)::int from ${meetingTimes} where ${meetingTimes.entryId} = ${directoryEntries.id})`,
      })
      .from(listings)
      .innerJoin(directoryEntries, eq(directoryEntries.listingId, listings.id))
      .where(eq(listings.status, 'pending'))
      .orderBy(listings.createdAt, listings.id)
      .limit(200),
    db
      .select({
        id: listingClaims.id,
        listingId: listingClaims.listingId,
        name: directoryEntries.name,
        message: listingClaims.message,
        createdAt: listingClaims.createdAt,
      })
      .from(listingClaims)
      .innerJoin(directoryEntries, eq(directoryEntries.listingId, listingClaims.listingId))
      .where(eq(listingClaims.status, 'pending'))
      .orderBy(listingClaims.createdAt, listingClaims.id)
      .limit(200),
  ]);
  return { listings: pending, claims };
}

/**
 * Approves a claim: a Mutual group is made from the listing, owned by the claimant (through the
 * groups feature, as any new group), its directory entry takes the listing's topics, formats,
 * place and meeting times, and the listing leaves the directory, its address now leading to the
 * group. Other open claims on it are declined. All in one transaction.
 */
export async function approveClaim(db: Db, viewer: Viewer | null, claimId: number): Promise<{ slug: string }> {
  assertSiteAdmin(viewer);
  return db.transaction(async (tx) => {
    const [claim] = await tx
      .select()
      .from(listingClaims)
      .where(and(eq(listingClaims.id, claimId), eq(listingClaims.status, 'pending')))
      .for('update');
    if (!claim) throw new NotFound();
    const found = await findListing(tx, claim.listingId);
    if (!found || found.listing.status !== 'approved') throw new NotFound();
    // createGroup knows its actor by id only; the claimant is not the one signed in here.
    const claimant = { id: claim.userId, pseudonym: '', isAdmin: false };
    const group = await createGroup(tx, claimant, {
      name: found.name,
      summary: found.summary,
      description: found.description,
      language: found.language,
      leadership: found.leadership,
      visibility: 'public',
    });
    // The trigger on groups made the group's entry; it takes the listing's profile.
    await tx.execute(sql`
      update directory_entries g set topic_ids = l.topic_ids, formats = l.formats, audiences = l.audiences,
        place_name = l.place_name, country_code = l.country_code, latitude = l.latitude, longitude = l.longitude
      from directory_entries l where g.group_id = ${group.id} and l.id = ${found.entryId}`);
    await tx.execute(sql`
      insert into meeting_times (entry_id, group_id, weekday, start_minute, duration_minutes, time_zone, place, utc_week_minute)
      select g.id, ${group.id}, m.weekday, m.start_minute, m.duration_minutes, m.time_zone, m.place, m.utc_week_minute
      from meeting_times m, directory_entries g where m.entry_id = ${found.entryId} and g.group_id = ${group.id}`);
    await tx
      .update(directoryEntries)
      .set({ listed: false, searchEngines: false, updatedAt: new Date() })
      .where(eq(directoryEntries.id, found.entryId));
    await tx
      .update(listings)
      .set({ status: 'claimed', claimedGroupId: group.id, updatedAt: new Date() })
      .where(eq(listings.id, claim.listingId));
    const now = new Date();
    await tx
      .update(listingClaims)
      .set({ status: 'approved', decidedBy: viewer.id, decidedAt: now })
      .where(eq(listingClaims.id, claimId));
    const others = await tx
      .update(listingClaims)
      .set({ status: 'declined', decidedBy: viewer.id, decidedAt: now })
      .where(and(eq(listingClaims.listingId, claim.listingId), eq(listingClaims.status, 'pending')))
      .returning({ userId: listingClaims.userId });
    await notify(tx, {
      userId: claim.userId,
      kind: 'listing_claim_approved',
      listingId: claim.listingId,
      groupId: group.id,
    });
    for (const other of others) {
      await notify(tx, { userId: other.userId, kind: 'listing_claim_declined', listingId: claim.listingId });
    }
    return { slug: group.slug };
  });
}

const claimDeclineInput = z.object({
  reason: z.string().trim().max(500, 'listings.errors.reasonLength').default(''),
});

/** Declines a claim; the claimant is told, with the reason when one is given. */
export async function declineClaim(db: Db, viewer: Viewer | null, claimId: number, body: unknown): Promise<void> {
  assertSiteAdmin(viewer);
  const { reason } = parseInput(claimDeclineInput, body);
  await db.transaction(async (tx) => {
    const [claim] = await tx
      .update(listingClaims)
      .set({ status: 'declined', decidedBy: viewer.id, decidedAt: new Date() })
      .where(and(eq(listingClaims.id, claimId), eq(listingClaims.status, 'pending')))
      .returning();
    if (!claim) throw new NotFound();
    await notify(tx, {
      userId: claim.userId,
      kind: 'listing_claim_declined',
      listingId: claim.listingId,
      reason: reason || null,
    });
  });
}
