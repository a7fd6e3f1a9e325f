/**
 * Who may do what with listings of groups hosted elsewhere. Every listing route asks here.
 *
 * - Anyone may read an approved listing. A pending or declined one is seen only by the person
 *   who submitted it and by site admins; to anyone else it does not exist (404, whatever its
 *   status). A claimed listing is a Mutual group now, and its address leads there.
 * - Anyone signed in may submit a listing, and claim an approved one.
 * - Site admins (with two-step verification on) review listings and claims, and edit any listing
 *   that is not claimed; the submitter may edit theirs while it waits for review.
 */
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { Viewer } from '../../platform/http/page.js';
import type { Listing } from './schema.js';

/** A site admin who may use their powers now. */
export function isReviewer(viewer: Viewer | null): boolean {
  return Boolean(viewer?.isAdmin && viewer.secondFactor);
}

/** For the review pages: others see nothing there; an admin without two-step verification is told to turn it on. */

export function isSubmitter(viewer: Viewer | null, listing: Pick<Listing, 'submittedBy'>): boolean {
  return viewer !== null && listing.submittedBy !== null && listing.submittedBy === viewer.id;
}

/** May see the listing's page. Claimed listings are answered by a redirect before this is asked. */
export function canReadListing(viewer: Viewer | null, listing: Pick<Listing, 'status' | 'submittedBy'>): boolean {
  if (listing.status === 'approved') return true;
  if (listing.status === 'claimed') return false;
  return isSubmitter(viewer, listing) || isReviewer(viewer);
}

export function assertCanReadListing(viewer: Viewer | null, listing: Pick<Listing, 'status' | 'submittedBy'>): void {
  if (!canReadListing(viewer, listing)) throw new NotFound();
}

export function canEditListing(viewer: Viewer | null, listing: Pick<Listing, 'status' | 'submittedBy'>): boolean {
  if (listing.status === 'claimed') return false;
  if (isReviewer(viewer)) return true;
  return listing.status === 'pending' && isSubmitter(viewer, listing);
}

export function assertCanEditListing(viewer: Viewer | null, listing: Pick<Listing, 'status' | 'submittedBy'>): void {
  assertCanReadListing(viewer, listing);
  if (!canEditListing(viewer, listing)) throw new Forbidden('listings.errors.notEditable');
}

/** Only approved listings can be claimed: a pending one is still being checked. */
export function canClaimListing(viewer: Viewer | null, listing: Pick<Listing, 'status'>): boolean {
  return viewer !== null && listing.status === 'approved';
}

export function assertCanClaimListing(viewer: Viewer | null, listing: Pick<Listing, 'status' | 'submittedBy'>): void {
  assertCanReadListing(viewer, listing);
  if (!canClaimListing(viewer, listing)) throw new Forbidden('listings.errors.notClaimable');
}
