import { describe, expect, it } from 'vitest';
import { translator } from '../../platform/views/i18n.js';
import { describeMeetingTime, isTimeZone, parseClockTime, utcWeekMinute, windowRanges } from './schedule.js';
import type { TimeWindow } from './types.js';

const DAY = 1440;
const winter = new Date('2026-01-14T12:00:00Z');
const summer = new Date('2026-07-15T12:00:00Z');
const t = translator('en');
/** [day, hour, minute] of a UTC minute of the week. */
const at = (weekMinute: number) => [Math.floor(weekMinute / DAY), Math.floor((weekMinute % DAY) / 60), weekMinute % 60];
const inRanges = (minute: number, ranges: [number, number][]) => ranges.some(([a, b]) => minute >= a && minute < b);

describe('a weekly meeting as a minute of the week in UTC', () => {
  it.each([
    ['London, Tuesday 19:30 in winter (GMT)', 2, 19 * 60 + 30, 'Europe/London', winter, [2, 19, 30]],
    ['London, Tuesday 19:30 in summer (BST)', 2, 19 * 60 + 30, 'Europe/London', summer, [2, 18, 30]],
    ['New York, Monday 20:00 in winter: Tuesday in UTC', 1, 20 * 60, 'America/New_York', winter, [2, 1, 0]],
    ['New York, Monday 20:00 in summer', 1, 20 * 60, 'America/New_York', summer, [2, 0, 0]],
    ['Kolkata (+5:30, no daylight saving) all year', 3, 9 * 60, 'Asia/Kolkata', summer, [3, 3, 30]],
    ['Kolkata, early Sunday: Saturday in UTC, the week wraps', 0, 3 * 60, 'Asia/Kolkata', winter, [6, 21, 30]],
    ['UTC is itself', 6, 23 * 60 + 59, 'UTC', winter, [6, 23, 59]],
  ] as const)('%s', (_name, weekday, start, zone, when, expected) => {
    expect(at(utcWeekMinute(weekday, start, zone, when))).toEqual(expected);
  });

  it('follows a clock change in the week it happens (London, Sunday 29 March 2026)', () => {
    const week = new Date('2026-03-30T12:00:00Z');
    // 00:30 is still GMT; noon that day is BST.
    expect(at(utcWeekMinute(0, 30, 'Europe/London', week))).toEqual([0, 0, 30]);
    expect(at(utcWeekMinute(0, 12 * 60, 'Europe/London', week))).toEqual([0, 11, 0]);
    expect(at(utcWeekMinute(3, 12 * 60, 'Europe/London', week))).toEqual([3, 11, 0]);
  });
});

describe('the visitor’s "evenings" and "weekends" as UTC ranges', () => {
  it('evenings in London are 17:00–22:00 UTC in winter and an hour earlier in summer', () => {
    const w = windowRanges(['evenings'], 'Europe/London', winter);
    expect(w).toHaveLength(7);
    expect(w[2]).toEqual([2 * DAY + 17 * 60, 2 * DAY + 22 * 60]);
    expect(windowRanges(['evenings'], 'Europe/London', summer)[2]).toEqual([2 * DAY + 16 * 60, 2 * DAY + 21 * 60]);
  });

  it('a weekend in New York wraps past Saturday midnight UTC and is split in two', () => {
    expect(windowRanges(['weekends'], 'America/New_York', winter)).toEqual([
      [0, DAY + 5 * 60],
      [6 * DAY + 5 * 60, 7 * DAY],
    ]);
  });

  it('Kolkata’s half-hour offset: evenings start at 11:30 UTC; Sunday morning is Saturday night in UTC', () => {
    expect(windowRanges(['evenings'], 'Asia/Kolkata', winter)[1]).toEqual([DAY + 11 * 60 + 30, DAY + 16 * 60 + 30]);
    const mornings = windowRanges(['mornings'], 'Asia/Kolkata', winter);
    expect(inRanges(6 * DAY + 30, mornings)).toBe(true);
    expect(inRanges(6 * DAY + 29, mornings)).toBe(false);
  });

  it('several windows are their union, merged and sorted', () => {
    const both = windowRanges(['weekdays', 'weekends'], 'UTC', winter);
    expect(both).toEqual([[0, 7 * DAY]]);
    const r = windowRanges(['afternoons', 'evenings'], 'UTC', winter);
    expect(r).toHaveLength(7);
    expect(r[0]).toEqual([12 * 60, 22 * 60]);
  });

  it('a meeting falls in the window it belongs to, in every zone and season', () => {
    const cases: [TimeWindow, number, number, boolean][] = [
      ['evenings', 2, 19 * 60 + 30, true],
      ['evenings', 2, 16 * 60 + 59, false],
      ['mornings', 0, 6 * 60, true],
      ['afternoons', 5, 11 * 60 + 59, false],
      ['weekends', 6, 23 * 60, true],
      ['weekends', 1, 0, false],
      ['weekdays', 5, 23 * 60 + 59, true],
      ['weekdays', 0, 12 * 60, false],
    ];
    for (const zone of ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland']) {
      for (const when of [winter, summer]) {
        for (const [window, weekday, start, expected] of cases) {
          const minute = utcWeekMinute(weekday, start, zone, when);
          expect(inRanges(minute, windowRanges([window], zone, when)), `${zone} ${window} ${weekday} ${start}`).toBe(
            expected,
          );
        }
      }
    }
  });
});

describe('showing a meeting time', () => {
  const meeting = {
    weekday: 2,
    startMinute: 19 * 60 + 30,
    durationMinutes: 90,
    timeZone: 'Europe/London',
    place: 'online',
  };

  it('in the viewer’s own time zone when we know it', () => {
    expect(describeMeetingTime(meeting, 'America/New_York', t, winter)).toBe(
      'Tuesdays 14:30–16:00 (your time), online',
    );
    expect(describeMeetingTime(meeting, 'Asia/Kolkata', t, winter)).toBe('Wednesdays 01:00–02:30 (your time), online');
    expect(describeMeetingTime(meeting, 'Europe/London', t, summer)).toBe('Tuesdays 19:30–21:00 (your time), online');
  });

  it('in the meeting’s zone, named, for a visitor', () => {
    expect(describeMeetingTime({ ...meeting, place: 'in_person' }, null, t, winter)).toBe(
      'Tuesdays 19:30–21:00 (United Kingdom Time), in person',
    );
  });

  it('reads times and zones from forms strictly', () => {
    expect(parseClockTime('19:30')).toBe(1170);
    expect(parseClockTime('7:05')).toBe(425);
    expect(parseClockTime('24:00')).toBeNull();
    expect(parseClockTime('evening')).toBeNull();
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
