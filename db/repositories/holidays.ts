import { sql } from 'kysely';
import type { Db } from '../connect';
import type { HolidayKind } from '../schema';
import { wibDateKey } from '../../domain/calendar';

// Holidays are WIB calendar dates. They are read and written as 'YYYY-MM-DD' text, never as a
// JavaScript Date: the driver would turn a date into a local-time midnight.

/** Active holidays and cuti bersama whose WIB date falls between the two instants (inclusive). */
export async function listActiveHolidayKeys(db: Db, from: Date, to: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('holidays')
    .select(sql<string>`to_char(date, 'YYYY-MM-DD')`.as('key'))
    .where('active', '=', true)
    .where('date', '>=', sql<Date>`${wibDateKey(from)}::date`)
    .where('date', '<=', sql<Date>`${wibDateKey(to)}::date`)
    .orderBy('date')
    .execute();
  return rows.map((r) => r.key);
}

export interface HolidayEntry {
  /** 'YYYY-MM-DD' (WIB). */
  date: string;
  name: string;
  kind: HolidayKind;
}

/** Adds a holiday, or renames and reactivates the one on that date (a revised SKB). */
export async function upsertHoliday(db: Db, holiday: HolidayEntry): Promise<void> {
  await db
    .insertInto('holidays')
    .values({ date: holiday.date, name: holiday.name, kind: holiday.kind })
    .onConflict((oc) => oc.column('date').doUpdateSet({ name: holiday.name, kind: holiday.kind, active: true, updated_at: sql`now()` }))
    .execute();
}

/** Takes a date off the calendar (kept for the record, so the change is visible). */
export async function deactivateHoliday(db: Db, date: string): Promise<void> {
  await db
    .updateTable('holidays')
    .set({ active: false, updated_at: sql`now()` })
    .where('date', '=', sql<Date>`${date}::date`)
    .execute();
}

export interface Holiday extends HolidayEntry {
  active: boolean;
}

const holidayColumns = [sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'), 'name', 'kind', 'active'] as const;

/** Holidays by date, optionally of one year and by whether they are active. */
export async function listHolidays(db: Db, filter: { year?: number; active?: boolean } = {}): Promise<Holiday[]> {
  let query = db.selectFrom('holidays').select([...holidayColumns]);
  if (filter.year !== undefined) {
    query = query
      .where('holidays.date', '>=', sql<Date>`make_date(${filter.year}, 1, 1)`)
      .where('holidays.date', '<', sql<Date>`make_date(${filter.year + 1}, 1, 1)`);
  }
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  return query.orderBy('holidays.date').execute();
}

export async function findHoliday(db: Db, date: string): Promise<Holiday | undefined> {
  return db
    .selectFrom('holidays')
    .select([...holidayColumns])
    .where('holidays.date', '=', sql<Date>`${date}::date`)
    .executeTakeFirst();
}

/** Adds a holiday; false when that date is already in the table (active or not). */
export async function insertHoliday(db: Db, holiday: HolidayEntry): Promise<boolean> {
  const row = await db
    .insertInto('holidays')
    .values({ date: holiday.date, name: holiday.name, kind: holiday.kind })
    .onConflict((oc) => oc.column('date').doNothing())
    .returning('name')
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateHoliday(db: Db, date: string, changes: { name?: string; kind?: HolidayKind; active?: boolean }): Promise<void> {
  await db
    .updateTable('holidays')
    .set({ ...changes, updated_at: sql`now()` })
    .where('date', '=', sql<Date>`${date}::date`)
    .execute();
}
