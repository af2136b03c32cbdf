// The WIB working calendar behind every deadline of a complaint: working days (Monday–Friday,
// without national holidays and cuti bersama), calendar days, years, and the hours in which
// officials may be messaged. Pure and deterministic, for use inside workflows.
//
// WIB is UTC+7 all year without daylight saving, so calendar arithmetic is done by shifting an
// instant by +7 hours and reading or writing the shifted value with the UTC getters and setters:
// no time-zone database, no local time of the machine.

/** Holidays and cuti bersama as WIB calendar dates, 'YYYY-MM-DD' (maintained by admins). */
export type HolidaySet = ReadonlySet<string>;

import { toWib, WIB_OFFSET_MS } from './time';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The default hours in which officials may receive reminders and escalations: 07:00–21:00 WIB. */
export const DEFAULT_SEND_WINDOW: Readonly<{ startHour: number; endHour: number }> = Object.freeze({
  startHour: 7,
  endHour: 21,
});

/** The inverse of toWib: a WIB wall-clock value (in UTC fields) back to the real instant. */
function fromWibMs(wibMs: number): Date {
  return new Date(wibMs - WIB_OFFSET_MS);
}

function assertValid(instant: Date, name: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`${name} is not a valid date`);
  }
}

function dateKeyOfWallClock(wib: Date): string {
  const year = String(wib.getUTCFullYear()).padStart(4, '0');
  const month = String(wib.getUTCMonth() + 1).padStart(2, '0');
  const day = String(wib.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

/** The WIB calendar date of the instant, 'YYYY-MM-DD' (2026-12-04T18:30Z → '2026-12-05'). */
export function wibDateKey(instant: Date): string {
  assertValid(instant, 'instant');
  return dateKeyOfWallClock(toWib(instant));
}

function isWorkingWallClockDay(wib: Date, holidays: HolidaySet): boolean {
  const weekday = wib.getUTCDay(); // 0 Sunday … 6 Saturday
  return weekday >= 1 && weekday <= 5 && !holidays.has(dateKeyOfWallClock(wib));
}

/** Whether the WIB calendar day of the instant is a working day (Mon–Fri, not a holiday). */
export function isWorkingDay(instant: Date, holidays: HolidaySet): boolean {
  assertValid(instant, 'instant');
  return isWorkingWallClockDay(toWib(instant), holidays);
}

/**
 * The same WIB time of day on the `days`-th working day after the WIB day of `start`; that day
 * itself does not count, whether it is a working day or not. Friday 10:00 + 1 → Monday 10:00;
 * Saturday 08:00 + 1 → Monday 08:00. `days` is a whole number >= 1 (0 returns `start`).
 */
export function addWorkingDays(start: Date, days: number, holidays: HolidaySet): Date {
  assertValid(start, 'start');
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`days must be a whole number >= 1, got ${days}`);
  }
  // Without daylight saving every WIB day is exactly 24 hours long.
  let wibMs = start.getTime() + WIB_OFFSET_MS;
  let counted = 0;
  while (counted < days) {
    wibMs += DAY_MS;
    if (isWorkingWallClockDay(new Date(wibMs), holidays)) counted += 1;
  }
  return fromWibMs(wibMs);
}

/** `days` calendar days later (earlier when negative): exact multiples of 24 hours. */
export function addDays(start: Date, days: number): Date {
  assertValid(start, 'start');
  if (!Number.isFinite(days)) throw new RangeError(`days must be a finite number, got ${days}`);
  return new Date(start.getTime() + days * DAY_MS);
}

function daysInMonth(year: number, monthIndex: number): number {
  // Day 0 of the next month is the last day of this one.
  const last = new Date(0);
  last.setUTCFullYear(year, monthIndex + 1, 0);
  return last.getUTCDate();
}

/**
 * The same WIB date and wall time `years` years later (earlier when negative).
 * 29 February becomes 28 February in a year that is not a leap year.
 */
export function addYearsWib(start: Date, years: number): Date {
  assertValid(start, 'start');
  if (!Number.isInteger(years)) throw new RangeError(`years must be a whole number, got ${years}`);
  const wib = toWib(start);
  const year = wib.getUTCFullYear() + years;
  const month = wib.getUTCMonth();
  const day = Math.min(wib.getUTCDate(), daysInMonth(year, month));
  const result = new Date(wib.getTime());
  // setUTCFullYear (not Date.UTC) so that years 0–99 are not read as 1900–1999.
  result.setUTCFullYear(year, month, day);
  return fromWibMs(result.getTime());
}

/**
 * When a message to officials may go out: the instant itself when its WIB time of day is inside
 * [startHour:00, endHour:00), otherwise the next startHour:00 WIB (the same day before the window,
 * the next day after it). Weekends and holidays are not skipped: escalations are urgent.
 */
export function nextSendWindow(
  instant: Date,
  window: { startHour: number; endHour: number } = DEFAULT_SEND_WINDOW,
): Date {
  assertValid(instant, 'instant');
  const { startHour, endHour } = window;
  if (!(startHour >= 0 && startHour < endHour && endHour <= 24)) {
    throw new RangeError(`send window must satisfy 0 <= startHour < endHour <= 24, got ${startHour}–${endHour}`);
  }
  const wibMs = instant.getTime() + WIB_OFFSET_MS;
  const sinceMidnight = ((wibMs % DAY_MS) + DAY_MS) % DAY_MS;
  const midnight = wibMs - sinceMidnight;
  const opens = startHour * HOUR_MS;
  const closes = endHour * HOUR_MS;
  if (sinceMidnight >= opens && sinceMidnight < closes) return new Date(instant.getTime());
  const next = sinceMidnight < opens ? midnight + opens : midnight + DAY_MS + opens;
  return fromWibMs(next);
}
