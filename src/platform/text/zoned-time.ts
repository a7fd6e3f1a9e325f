/*
 * Times on a person's own clock. Forms take a date and a time in the writer's zone (a newsletter's
 * sending time, a campaign's event); pages show moments in the reader's. Intl knows every zone's
 * rules, summer time included; these turn its answers into moments and back.
 */

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** How far a zone's clock is ahead of UTC at a moment, in milliseconds (+3,600,000 for London in summer). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * A date and a time on a zone's clock ("2026-12-01", "09:30" in Europe/London) as a moment; null
 * when there is no such day or time. A time skipped by a clock change lands just after it.
 */
export function wallClockToUtc(date: string, time: string, timeZone: string): Date | null {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  if (!Number.isInteger(h) || !Number.isInteger(mi) || h > 23 || mi > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  // Twice: the offset at the first guess may differ from the offset at the moment itself (a clock change).
  const guess = wall - zoneOffsetMs(timeZone, wall);
  return new Date(wall - zoneOffsetMs(timeZone, guess));
}

/** A moment as a form's date and time fields on a zone's clock: the inverse of wallClockToUtc. */
export function wallClockFields(at: Date, timeZone: string): { date: string; time: string } {
  const iso = new Date(at.getTime() + zoneOffsetMs(timeZone, at.getTime())).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

const zoneSet = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/** Every IANA zone this runtime knows ("Europe/London"), in order, for a form's choice of zone. */
export const timeZoneNames: readonly string[] = [...zoneSet].sort();

/** Whether a name is an IANA zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  return zoneSet.has(name);
}
