import { Forbidden } from '../../platform/errors.js';
import { assertCanManage, canManage, type GroupAccess } from '../groups/index.js';
import { noAgreements, type AgreementStanding } from './standing.js';

/** The group's agreements as this person stands with them (none when the access was built by hand). */
export function standingOf(a: GroupAccess): AgreementStanding {
  return a.agreements ?? noAgreements;
}

/** The group has agreements that people accept on coming in. */
export function hasAgreements(a: GroupAccess): boolean {
  return standingOf(a).version > 0;
}

/**
 * A member whose group changed its agreements since they last accepted (or who has never accepted
 * the ones written after they joined): they read and accept them before they post again.
 */
export function mustAcceptAgreements(a: GroupAccess): boolean {
  const s = standingOf(a);
  return a.membership !== null && !a.banned && s.version > s.accepted;
}

/** Posting waits until a member has accepted the group's current agreements. */
export function assertAgreementsAccepted(a: GroupAccess): void {
  if (!mustAcceptAgreements(a)) return;
  throw new Forbidden('agreements.errors.acceptBeforePosting', {
    href: `/g/${a.group.slug}/agreements`,
    label: 'agreements.errors.readThem',
  });
}

/** Writing the agreements and the welcome is for those who edit the group's settings. */
export function canEditAgreements(a: GroupAccess): boolean {
  return canManage(a);
}

export function assertCanEditAgreements(a: GroupAccess): void {
  assertCanManage(a);
}
