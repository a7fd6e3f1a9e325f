import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { parseInput } from '../../platform/http/forms.js';
import { accessGroup, assertCanManage, recordAudit, setGroupFees, type Actor, type Group } from '../groups/index.js';

/** Currencies a group may charge in (ISO 4217). Each has two minor-unit digits, so "12.50" is 1250 in all of them. */
export const currencies = ['GBP', 'EUR', 'USD', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'ZAR'] as const;
export type Currency = (typeof currencies)[number];

export const feeIntervals = ['once', 'month', 'year'] as const;
export type FeeInterval = (typeof feeIntervals)[number];

/** The smallest and largest fee a group may set, in minor units: card providers refuse less than about 1.00. */
export const MIN_FEE_CENTS = 100;
export const MAX_FEE_CENTS = 100_000_00;

/** A one-off fee pays for good: access runs to the last day that fits in a date. */
export const PAID_FOR_GOOD = new Date('9999-12-31T00:00:00.000Z');

/** "12.50", "12,5" or "12" → 1250; anything else → null. */
export function parseAmount(text: string): number | null {
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Minor units as a plain number for a form field: 1250 → "12.50". */
export function amountText(cents: number): string {
  return (cents / 100).toFixed(2);
}

const inRange = (cents: number | null): cents is number =>
  cents !== null && cents >= MIN_FEE_CENTS && cents <= MAX_FEE_CENTS;

/** An amount typed into a form, in minor units, within the fee limits. */
export const amountInput = (message: string) =>
  z
    .string(message)
    .trim()
    .refine((v) => inRange(parseAmount(v)), message)
    .transform((v) => parseAmount(v)!);

export const feeInput = z
  .object({
    amount: amountInput('payments.errors.amount'),
    minimum: z
      .string()
      .trim()
      .optional()
      .transform((v) => v ?? '')
      .refine((v) => v === '' || inRange(parseAmount(v)), 'payments.errors.minimum')
      .transform((v) => (v === '' ? null : parseAmount(v)!)),
    currency: z.enum(currencies, 'payments.errors.currency'),
    interval: z.enum(feeIntervals, 'payments.errors.interval'),
  })
  .refine((f) => f.minimum === null || f.minimum < f.amount, {
    message: 'payments.errors.minimumAbove',
    path: ['minimum'],
  });
export type FeeInput = z.infer<typeof feeInput>;

/** The fee a group charges, when it has set one. */
export interface Fee {
  amountCents: number;
  /** The least a member may pay on the sliding scale; null when everyone pays the full fee. */
  minimumCents: number | null;
  currency: string;
  interval: FeeInterval;
}

export function feeOf(group: Group): Fee | null {
  if (group.feeAmountCents === null) return null;
  return {
    amountCents: group.feeAmountCents,
    minimumCents: group.feeMinimumCents,
    currency: group.feeCurrency,
    interval: group.feeInterval ?? 'once',
  };
}

/**
 * The end of the period one payment buys, from its start: one calendar month or year later
 * (31 January + 1 month is 28 or 29 February), or for good for a one-off fee.
 */
export function periodEnd(start: Date, interval: FeeInterval): Date {
  if (interval === 'once') return PAID_FOR_GOOD;
  const months = interval === 'month' ? 1 : 12;
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(start);
  end.setUTCFullYear(year, month, Math.min(start.getUTCDate(), lastDay));
  return end;
}

/** The people who manage a group set its fee; the change is written to the audit log. */
export async function saveFees(db: Db, actor: Actor, slug: string, input: unknown): Promise<Group> {
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    const fee = parseInput(feeInput, input);
    await setGroupFees(tx, access.group.id, {
      amountCents: fee.amount,
      minimumCents: fee.minimum,
      currency: fee.currency,
      interval: fee.interval,
    });
    await recordAudit(tx, { groupId: access.group.id, actorId: actor!.id, action: 'change_settings', reason: 'fees' });
    return access.group;
  });
}
