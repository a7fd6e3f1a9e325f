import type { PageContext } from '../http/page.js';

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const formats = new Map<string, Intl.RelativeTimeFormat>();
function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    formats.set(locale, format);
  }
  return format;
}

/**
 * "3 hours ago": relative times read the same in every time zone, so a page rendered on the
 * server is right for a reader anywhere. The exact UTC time is in the datetime attribute.
 */
export function RelativeTime({ ctx, date, now = new Date() }: { ctx: PageContext; date: Date; now?: Date }) {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = relativeFormat(ctx.locale);
  let text = ctx.t('time.justNow');
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      text = format.format(Math.trunc(seconds / size), unit);
      break;
    }
  }
  return <time dateTime={date.toISOString()}>{text}</time>;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "12 March 2026, 14:05" in the reader's own time zone (set in their settings; UTC for visitors). */
export function DateTime({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time dateTime={date.toISOString()}>{formatDateTime(ctx, date)}</time>;
}

/** The text DateTime shows, for messages that take a date as a value. */
export function formatDateTime(ctx: Pick<PageContext, 'locale' | 'timeZone'>, date: Date): string {
  const key = `${ctx.locale} ${ctx.timeZone}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: ctx.timeZone });
    dateTimeFormats.set(key, format);
  }
  return format.format(date);
}
