import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { EventSink } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { pseudonymsByIds } from '../accounts/index.js';
import { acceptAgreementsField, acceptCarried, tickedVersion } from '../agreements/index.js';
import {
  accessGroup,
  announceNewMember,
  findUserIdByName,
  memberNameSql,
  assertCanManage,
  assertMayEnter,
  grantPaidAccess,
  recordAudit,
  type Actor,
  type Group,
  type GroupAccess,
} from '../groups/index.js';
import { amountInput, feeOf, periodEnd } from './fees.js';
import { assertMayPay, assertPayerMayEnter, mayPay, payerAccess, standingOf } from './policy.js';
import type { Checkout, ConfirmedPayment, PaymentProvider, PaymentProviders, PaymentStart } from './providers.js';
import { payments, type Payment, type PaymentProviderName } from './schema.js';

/** A payment recorded, and whether it made the payer a member (to announce once committed). */
interface Recorded {
  payment: Payment;
  joined: boolean;
}

/**
 * The one path by which a payment is recorded, whoever confirmed it: writes the payment, extends
 * the payer's access by one period (the agreements they accepted on the way written with it), and
 * audits it. A payment already recorded (the same external id, as when a webhook is delivered
 * twice) changes nothing and returns null.
 */
async function recordPayment(
  tx: DbOrTx,
  payer: GroupAccess,
  provider: PaymentProviderName,
  paid: ConfirmedPayment,
  opts: { recordedBy: number | null; grantAccess: boolean },
): Promise<Recorded | null> {
  const interval = feeOf(payer.group)?.interval ?? 'once';
  const current = payer.membership?.paidUntil ?? null;
  // Paying before the current period ends extends it, rather than overlapping it.
  const periodStart = current && current.getTime() > paid.receivedAt.getTime() ? current : paid.receivedAt;
  const [payment] = await tx
    .insert(payments)
    .values({
      groupId: payer.group.id,
      userId: paid.userId,
      provider,
      amountCents: paid.amountCents,
      currency: paid.currency,
      receivedAt: paid.receivedAt,
      periodStart,
      periodEnd: periodEnd(periodStart, interval),
      externalId: paid.externalId,
      recordedBy: opts.recordedBy,
    })
    .onConflictDoNothing({ target: payments.externalId })
    .returning();
  if (!payment) return null;
  let joined = false;
  if (opts.grantAccess) {
    await acceptCarried(tx, payer, paid.agreementsVersion ?? 0);
    joined = await grantPaidAccess(tx, payer.group.id, paid.userId, payment.periodEnd);
  }
  // The amount stays out of the audit log: facilitators read it, and what people pay is private.
  await recordAudit(tx, {
    groupId: payer.group.id,
    actorId: opts.recordedBy,
    action: 'record_payment',
    subjectUserId: paid.userId,
    reason: provider,
  });
  return { payment, joined };
}

const receivedOnInput = z
  .string('payments.errors.receivedOn')
  .trim()
  .refine((v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
    const day = new Date(`${v}T00:00:00.000Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== v) return false;
    const now = Date.now();
    // A day ahead for time zones; two years back is as far as any treasurer's books should reach.
    return day.getTime() <= now + 24 * 3600 * 1000 && day.getTime() >= now - 2 * 366 * 24 * 3600 * 1000;
  }, 'payments.errors.receivedOn')
  .transform((v) => new Date(`${v}T00:00:00.000Z`));

const manualPaymentInput = z.object({
  pseudonym: z.string('payments.errors.pseudonym').trim().min(1, 'payments.errors.pseudonym').max(40),
  amount: amountInput('payments.errors.paidAmount'),
  receivedOn: receivedOnInput,
});

/**
 * A treasurer records money a member (or someone who wants to join) paid in person or by
 * transfer; they become a member with access for one period from the day it arrived. Nobody
 * ticked the group's agreements here: a new member accepts them before their first post.
 */
export async function recordManualPayment(
  db: Db,
  providers: PaymentProviders,
  actor: Actor,
  slug: string,
  input: unknown,
  events?: EventSink,
): Promise<void> {
  const joined = await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    const fee = feeOf(access.group);
    if (!fee) throw new Invalid({ '': 'payments.errors.noFee' });
    const data = parseInput(manualPaymentInput, input);
    // Named as the group knows them: by their alias there, or their pseudonym if they have none.
    const userId = await findUserIdByName(tx, access.group.id, data.pseudonym);
    if (userId === null) throw new Invalid({ pseudonym: 'payments.errors.unknownPerson' });
    const payer = await payerAccess(tx, access.group.id, userId);
    await assertPayerMayEnter(tx, payer, 'pseudonym');
    const paid = providers.manual.confirm({
      groupId: access.group.id,
      userId,
      amountCents: data.amount,
      currency: fee.currency,
      receivedAt: data.receivedOn,
    });
    if (!paid) return null;
    const recorded = await recordPayment(tx, payer, 'manual', paid, { recordedBy: actor!.id, grantAccess: true });
    return recorded?.joined ? { groupId: access.group.id, userId } : null;
  });
  if (joined) await announceNewMember(events, joined.groupId, joined.userId);
}

const cardInput = z.object({ acceptAgreements: acceptAgreementsField });

/**
 * A member starts paying by card: the amount they chose on the sliding scale (or the full fee),
 * checked here, then handed to the provider, which says where to send them. Someone joining
 * ticks the group's agreements first; the version they accepted travels with the payment.
 */
export async function startCardPayment(
  db: Db,
  provider: Pick<PaymentProvider<unknown>, 'start'>,
  actor: Actor,
  slug: string,
  input: unknown,
  links: (group: Group) => Pick<Checkout, 'description' | 'successUrl' | 'cancelUrl'>,
): Promise<{ access: GroupAccess; start: PaymentStart }> {
  const access = await accessGroup(db, actor, slug);
  await assertMayPay(db, access);
  const fee = feeOf(access.group);
  if (!fee) throw new Invalid({ '': 'payments.errors.noFee' });
  if (!mayPay(standingOf(access), fee.interval)) throw new Invalid({ '': 'payments.errors.noFeeDue' });
  let amountCents = fee.amountCents;
  if (fee.minimumCents !== null) {
    amountCents = parseInput(z.object({ amount: amountInput('payments.errors.scale') }), input).amount;
    if (amountCents < fee.minimumCents || amountCents > fee.amountCents)
      throw new Invalid({ amount: 'payments.errors.scale' });
  }
  // Renewing, a member has been through the door already.
  const { acceptAgreements } = parseInput(cardInput, input);
  const agreementsVersion = access.membership ? 0 : tickedVersion(access, acceptAgreements);
  const start = await provider.start({
    ...links(access.group),
    groupId: access.group.id,
    userId: actor!.id,
    amountCents,
    currency: fee.currency,
    agreementsVersion,
  });
  return { access, start };
}

export type CardPaymentOutcome = 'recorded' | 'duplicate' | 'ignored';

/**
 * A provider confirmed a card payment (a verified webhook). Money taken from someone who has
 * since been banned is still recorded, so the treasurer can refund it, but buys no access.
 */
export async function confirmCardPayment(
  db: Db,
  paid: ConfirmedPayment,
  events?: EventSink,
): Promise<CardPaymentOutcome> {
  let joined = false;
  const outcome = await db.transaction(async (tx): Promise<CardPaymentOutcome> => {
    const names = await pseudonymsByIds(tx, [paid.userId]);
    if (!names.has(paid.userId)) return 'ignored';
    let payer: GroupAccess;
    try {
      payer = await payerAccess(tx, paid.groupId, paid.userId);
    } catch (error) {
      if (error instanceof NotFound) return 'ignored';
      throw error;
    }
    let grantAccess = true;
    try {
      await assertMayEnter(tx, payer);
    } catch (error) {
      if (!(error instanceof Forbidden)) throw error;
      grantAccess = false;
    }
    const recorded = await recordPayment(tx, payer, 'stripe', paid, { recordedBy: null, grantAccess });
    joined = recorded?.joined ?? false;
    return recorded ? 'recorded' : 'duplicate';
  });
  if (joined) await announceNewMember(events, paid.groupId, paid.userId);
  return outcome;
}

export interface PaymentRow {
  id: number;
  payer: string | null;
  provider: PaymentProviderName;
  amountCents: number;
  currency: string;
  receivedAt: Date;
  periodEnd: Date;
  recordedBy: string | null;
}

/** The group's payments, newest first: for the people who manage it, and no one else. */
export async function listPayments(db: Db, access: GroupAccess, limit = 200): Promise<PaymentRow[]> {
  assertCanManage(access);
  return db
    .select({
      id: payments.id,
      payer: memberNameSql(sql.raw('payments.group_id'), sql.raw('payments.user_id')),
      provider: payments.provider,
      amountCents: payments.amountCents,
      currency: payments.currency,
      receivedAt: payments.receivedAt,
      periodEnd: payments.periodEnd,
      recordedBy: memberNameSql(sql.raw('payments.group_id'), sql.raw('payments.recorded_by')),
    })
    .from(payments)
    .where(eq(payments.groupId, access.group.id))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit);
}
