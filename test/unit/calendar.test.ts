import { describe, it, expect } from 'vitest';
import {
  addDays,
  addWorkingDays,
  addYearsWib,
  isWorkingDay,
  nextSendWindow,
  wibDateKey,
  type HolidaySet,
} from '../../domain/calendar';

/** An instant given as WIB wall time, e.g. wib('2026-12-24T10:00'). */
function wib(wallTime: string): Date {
  return new Date(`${wallTime}:00+07:00`);
}

const NONE: HolidaySet = new Set();

// Libur nasional and cuti bersama around Christmas and New Year 2026/27.
const YEAR_END: HolidaySet = new Set(['2026-12-25', '2027-01-01']);

// Idul Fitri 1447 H with Nyepi and a run of cuti bersama (a table as admins would enter it).
const LEBARAN_2026: HolidaySet = new Set([
  '2026-03-18',
  '2026-03-19',
  '2026-03-20',
  '2026-03-23',
  '2026-03-24',
]);

describe('wibDateKey', () => {
  it('gives the WIB calendar date', () => {
    expect(wibDateKey(wib('2026-12-04T10:00'))).toBe('2026-12-04');
  });

  it('is already the next day in WIB at 17:00 UTC', () => {
    expect(wibDateKey(new Date('2026-12-04T16:59:59Z'))).toBe('2026-12-04');
    expect(wibDateKey(new Date('2026-12-04T17:00:00Z'))).toBe('2026-12-05');
    expect(wibDateKey(new Date('2026-12-04T18:30:00Z'))).toBe('2026-12-05');
  });

  it('crosses the year in WIB before UTC does', () => {
    expect(wibDateKey(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01');
  });
});

describe('isWorkingDay', () => {
  it('counts Monday to Friday', () => {
    expect(isWorkingDay(wib('2026-12-07T09:00'), NONE)).toBe(true); // Monday
    expect(isWorkingDay(wib('2026-12-11T09:00'), NONE)).toBe(true); // Friday
    expect(isWorkingDay(wib('2026-12-12T09:00'), NONE)).toBe(false); // Saturday
    expect(isWorkingDay(wib('2026-12-13T09:00'), NONE)).toBe(false); // Sunday
  });

  it('uses the WIB day, not the UTC day', () => {
    // Friday 4 Dec 2026 in UTC, but already Saturday 5 Dec at 01:30 WIB.
    const instant = new Date('2026-12-04T18:30:00Z');
    expect(instant.getUTCDay()).toBe(5);
    expect(isWorkingDay(instant, NONE)).toBe(false);
    // Sunday 23:30 UTC is Monday 06:30 WIB.
    expect(isWorkingDay(new Date('2026-12-06T23:30:00Z'), NONE)).toBe(true);
  });

  it('skips holidays and cuti bersama', () => {
    expect(isWorkingDay(wib('2026-12-25T09:00'), YEAR_END)).toBe(false);
    expect(isWorkingDay(wib('2026-12-24T09:00'), YEAR_END)).toBe(true);
    expect(isWorkingDay(wib('2026-03-23T09:00'), LEBARAN_2026)).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('moves within a week at the same WIB time', () => {
    expect(addWorkingDays(wib('2026-12-07T10:15'), 3, NONE)).toEqual(wib('2026-12-10T10:15'));
  });

  it('goes from Friday to Monday', () => {
    expect(addWorkingDays(wib('2026-12-11T10:00'), 1, NONE)).toEqual(wib('2026-12-14T10:00'));
    expect(addWorkingDays(wib('2026-12-11T10:00'), 5, NONE)).toEqual(wib('2026-12-18T10:00'));
  });

  it('does not count a weekend start day', () => {
    expect(addWorkingDays(wib('2026-12-12T08:00'), 1, NONE)).toEqual(wib('2026-12-14T08:00'));
    expect(addWorkingDays(wib('2026-12-13T22:00'), 1, NONE)).toEqual(wib('2026-12-14T22:00'));
  });

  it('skips Christmas and New Year: routed Thursday 24 Dec 2026 → Monday 4 Jan 2027', () => {
    // 28, 29, 30, 31 Dec, (1 Jan holiday, weekend), 4 Jan.
    expect(addWorkingDays(wib('2026-12-24T14:30'), 5, YEAR_END)).toEqual(wib('2027-01-04T14:30'));
    expect(addWorkingDays(wib('2026-12-24T14:30'), 3, YEAR_END)).toEqual(wib('2026-12-30T14:30'));
    // Without the holidays it would be Thursday 31 Dec.
    expect(addWorkingDays(wib('2026-12-24T14:30'), 5, NONE)).toEqual(wib('2026-12-31T14:30'));
  });

  it('skips a run of cuti bersama', () => {
    // Tuesday 17 Mar 2026; 18–20 and 23–24 Mar are off.
    expect(addWorkingDays(wib('2026-03-17T09:00'), 1, LEBARAN_2026)).toEqual(wib('2026-03-25T09:00'));
    expect(addWorkingDays(wib('2026-03-17T09:00'), 5, LEBARAN_2026)).toEqual(wib('2026-03-31T09:00'));
  });

  it('crosses month ends and leap days', () => {
    expect(addWorkingDays(wib('2028-02-28T09:00'), 1, NONE)).toEqual(wib('2028-02-29T09:00'));
    expect(addWorkingDays(wib('2027-02-26T09:00'), 1, NONE)).toEqual(wib('2027-03-01T09:00'));
    expect(addWorkingDays(wib('2026-04-30T09:00'), 1, NONE)).toEqual(wib('2026-05-01T09:00'));
  });

  it('counts from the WIB day when the UTC day differs', () => {
    // 2026-12-04T18:30Z is Saturday 01:30 WIB: the next working day is Monday 7 Dec 01:30 WIB.
    expect(addWorkingDays(new Date('2026-12-04T18:30:00Z'), 1, NONE)).toEqual(new Date('2026-12-06T18:30:00Z'));
  });

  it('counts ten working days for the citizen to confirm', () => {
    expect(addWorkingDays(wib('2026-12-16T11:00'), 10, YEAR_END)).toEqual(wib('2026-12-31T11:00'));
    expect(addWorkingDays(wib('2026-12-17T11:00'), 10, YEAR_END)).toEqual(wib('2027-01-04T11:00'));
  });

  it('refuses negative or fractional counts', () => {
    expect(() => addWorkingDays(wib('2026-12-07T10:00'), -1, NONE)).toThrow(RangeError);
    expect(() => addWorkingDays(wib('2026-12-07T10:00'), 1.5, NONE)).toThrow(RangeError);
  });

  it('does not modify its argument', () => {
    const start = wib('2026-12-07T10:00');
    addWorkingDays(start, 2, NONE);
    expect(start).toEqual(wib('2026-12-07T10:00'));
  });
});

describe('addDays', () => {
  it('adds exact multiples of 24 hours', () => {
    expect(addDays(wib('2026-12-20T10:00'), 30)).toEqual(wib('2027-01-19T10:00'));
    expect(addDays(wib('2026-12-20T10:00'), 30).getTime() - wib('2026-12-20T10:00').getTime()).toBe(30 * 86_400_000);
  });

  it('goes back with a negative count', () => {
    expect(addDays(wib('2027-01-19T10:00'), -7)).toEqual(wib('2027-01-12T10:00'));
  });
});

describe('addYearsWib', () => {
  it('keeps the WIB date and wall time', () => {
    expect(addYearsWib(wib('2026-12-04T14:05'), 1)).toEqual(wib('2027-12-04T14:05'));
    expect(addYearsWib(wib('2026-12-04T14:05'), 3)).toEqual(wib('2029-12-04T14:05'));
  });

  it('keeps the WIB date when the UTC date is the day before', () => {
    // 1 Jan 2027 03:00 WIB is 31 Dec 2026 in UTC.
    expect(addYearsWib(wib('2027-01-01T03:00'), 1)).toEqual(wib('2028-01-01T03:00'));
  });

  it('turns 29 February into 28 February in a common year', () => {
    expect(addYearsWib(wib('2028-02-29T09:30'), 1)).toEqual(wib('2029-02-28T09:30'));
    expect(addYearsWib(wib('2028-02-29T09:30'), 2)).toEqual(wib('2030-02-28T09:30'));
    expect(addYearsWib(wib('2028-02-29T09:30'), 4)).toEqual(wib('2032-02-29T09:30'));
  });

  it('handles 29 February in WIB that is still 28 February in UTC', () => {
    expect(addYearsWib(wib('2028-02-29T02:00'), 1)).toEqual(wib('2029-02-28T02:00'));
  });
});

describe('nextSendWindow', () => {
  it('keeps an instant inside 07:00–21:00 WIB', () => {
    expect(nextSendWindow(wib('2026-12-05T07:00'))).toEqual(wib('2026-12-05T07:00'));
    expect(nextSendWindow(wib('2026-12-05T20:59'))).toEqual(wib('2026-12-05T20:59'));
    expect(nextSendWindow(wib('2026-12-05T12:00'))).toEqual(wib('2026-12-05T12:00'));
  });

  it('waits for 07:00 the same morning before the window', () => {
    expect(nextSendWindow(wib('2026-12-05T06:59'))).toEqual(wib('2026-12-05T07:00'));
    expect(nextSendWindow(wib('2026-12-05T00:00'))).toEqual(wib('2026-12-05T07:00'));
  });

  it('waits for 07:00 the next morning from 21:00', () => {
    expect(nextSendWindow(wib('2026-12-05T21:00'))).toEqual(wib('2026-12-06T07:00'));
    expect(nextSendWindow(wib('2026-12-05T23:30'))).toEqual(wib('2026-12-06T07:00'));
  });

  it('does not skip weekends', () => {
    // Saturday 23:30 → Sunday 07:00.
    expect(nextSendWindow(wib('2026-12-05T23:30'))).toEqual(wib('2026-12-06T07:00'));
  });

  it('uses the WIB day, not the UTC day', () => {
    // 23:30 UTC is 06:30 WIB the next day.
    expect(nextSendWindow(new Date('2026-12-31T23:30:00Z'))).toEqual(wib('2027-01-01T07:00'));
    // 14:00 UTC is 21:00 WIB.
    expect(nextSendWindow(new Date('2026-12-31T14:00:00Z'))).toEqual(wib('2027-01-01T07:00'));
  });

  it('takes another window', () => {
    const window = { startHour: 8, endHour: 16 };
    expect(nextSendWindow(wib('2026-12-05T07:59'), window)).toEqual(wib('2026-12-05T08:00'));
    expect(nextSendWindow(wib('2026-12-05T15:59'), window)).toEqual(wib('2026-12-05T15:59'));
    expect(nextSendWindow(wib('2026-12-05T16:00'), window)).toEqual(wib('2026-12-06T08:00'));
    expect(() => nextSendWindow(wib('2026-12-05T16:00'), { startHour: 21, endHour: 7 })).toThrow(RangeError);
  });
});
