import type { PageContext } from '../../platform/http/page.js';

/*
 * A meeting's time as each reader needs it: on their own clock (their time zone, UTC for
 * visitors), and on the meeting's own clock too when that differs, as a meeting "at 19:00 in
 * London" is how its group speaks of it.
 */

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, timeZone: string, style: 'day' | 'time' | 'full'): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${style}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale,
      style === 'time'
        ? { timeStyle: 'short', timeZone }
        : style === 'day'
          ? { dateStyle: 'full', timeZone }
          : { dateStyle: 'full', timeStyle: 'short', timeZone },
    );
    formats.set(key, f);
  }
  return f;
}

/** "Tuesday, 27 October 2026 at 19:00" on a zone's clock. */
export function formatStart(ctx: Pick<PageContext, 'locale'>, at: Date, timeZone: string): string {
  return format(ctx.locale, timeZone, 'full').format(at);
}

/** "19:00" on a zone's clock. */
export function formatClock(ctx: Pick<PageContext, 'locale'>, at: Date, timeZone: string): string {
  return format(ctx.locale, timeZone, 'time').format(at);
}

/** The day only, on a zone's clock: for a date's name in a list. */
export function formatDay(ctx: Pick<PageContext, 'locale'>, at: Date, timeZone: string): string {
  return format(ctx.locale, timeZone, 'day').format(at);
}

/**
 * "Tuesday, 27 October 2026 at 20:00–21:00 (Europe/Paris) · 19:00 in Europe/London": the start and
 * end on the reader's clock, and the start on the meeting's when its zone is not the reader's.
 */
export function MeetingTime({
  ctx,
  startsAt,
  endsAt,
  timeZone,
}: {
  ctx: PageContext;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
}) {
  const { t } = ctx;
  return (
    <>
      <time dateTime={startsAt.toISOString()}>{formatStart(ctx, startsAt, ctx.timeZone)}</time>
      {'–'}
      <time dateTime={endsAt.toISOString()}>{formatClock(ctx, endsAt, ctx.timeZone)}</time>{' '}
      <span class="meta">({ctx.timeZone})</span>
      {timeZone !== ctx.timeZone ? (
        <span class="meta">
          {' · '}
          {t('meetings.when.meetingClock', { time: formatClock(ctx, startsAt, timeZone), zone: timeZone })}
        </span>
      ) : null}
    </>
  );
}
