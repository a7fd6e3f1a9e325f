import type { PageContext } from '../../platform/http/page.js';
import { PAID_FOR_GOOD, type Fee } from './fees.js';

export function money(ctx: PageContext, cents: number, currency: string): string {
  return new Intl.NumberFormat(ctx.locale, { style: 'currency', currency }).format(cents / 100);
}

/** A day, as the treasurer's books and the member's receipt show it (paid periods are kept in UTC). */
export function dayText(ctx: PageContext, date: Date): string {
  if (date.getTime() >= PAID_FOR_GOOD.getTime()) return ctx.t('payments.forGood');
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

export function Day({ ctx, date }: { ctx: PageContext; date: Date }) {
  const text = dayText(ctx, date);
  if (date.getTime() >= PAID_FOR_GOOD.getTime()) return <>{text}</>;
  return <time dateTime={date.toISOString()}>{text}</time>;
}

/** "£10.00 a month." or, on a sliding scale, "Pay what you can, from £5.00 to £10.00 a month." */
export function feeText(ctx: PageContext, fee: Fee): string {
  const amount = money(ctx, fee.amountCents, fee.currency);
  if (fee.minimumCents === null) return ctx.t(`payments.fee.${fee.interval}`, { amount });
  const minimum = money(ctx, fee.minimumCents, fee.currency);
  return ctx.t(`payments.fee.scale.${fee.interval}`, { amount, minimum });
}
