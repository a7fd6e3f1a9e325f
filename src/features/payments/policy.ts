import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { accessGroupById, assertMayEnter, GRACE_DAYS, isLapsed, type GroupAccess } from '../groups/index.js';
import type { FeeInterval } from './fees.js';

/**
 * Where someone stands with a paid group's fee: not a member; a leader (leaders never pay);
 * waived; paid; in the grace period after their paid period ended; or lapsed.
 */
export type Standing = 'none' | 'leader' | 'waived' | 'paid' | 'grace' | 'lapsed';

export function graceEnds(paidUntil: Date): Date {
  return new Date(paidUntil.getTime() + GRACE_DAYS * 24 * 3600 * 1000);
}

export function standingOf(access: GroupAccess, now = new Date()): Standing {
  const m = access.membership;
  if (!m) return 'none';
  if (m.role !== 'member') return 'leader';
  if (m.feeWaived) return 'waived';
  if (m.paidUntil && m.paidUntil.getTime() >= now.getTime()) return 'paid';
  return isLapsed(access, now) ? 'lapsed' : 'grace';
}

/** Whether someone may pay: everyone but leaders, waived members and those who paid a one-off fee. */
export function mayPay(standing: Standing, interval: FeeInterval): boolean {
  if (standing === 'leader' || standing === 'waived') return false;
  return !(standing === 'paid' && interval === 'once');
}

/**
 * The pay page and everything on it (card, treasurer, hardship waiver) is for paid groups, and for
 * people who may enter the group at all: signed in, not banned, with an email at its domain.
 */
export async function assertMayPay(db: DbOrTx, access: GroupAccess): Promise<void> {
  if (access.group.joinPolicy !== 'paid') throw new NotFound();
  await assertMayEnter(db, access);
}

/**
 * The group as the person paying sees it (their membership, whether they are banned), for when
 * someone else acts for them: a treasurer recording their payment, a webhook confirming it.
 */
export async function payerAccess(db: DbOrTx, groupId: number, userId: number): Promise<GroupAccess> {
  return accessGroupById(db, { id: userId, pseudonym: '', isAdmin: false }, groupId);
}

/** As assertMayEnter, but for a treasurer acting for someone: the refusal is about them, not the treasurer. */
export async function assertPayerMayEnter(db: DbOrTx, payer: GroupAccess, field: string): Promise<void> {
  try {
    await assertMayEnter(db, payer);
  } catch (error) {
    if (error instanceof Forbidden) throw new Invalid({ [field]: 'payments.errors.cannotEnter' });
    throw error;
  }
}
