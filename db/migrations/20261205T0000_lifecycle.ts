import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never changes once released; later changes go in a new file.
// The complaint lifecycle (deadlines in working days, targets by difficulty, escalation) and the
// messaging layer's record of how each message went out (free-form or an approved template).

/**
 * Libur nasional and cuti bersama from the SKB 3 Menteri (Menteri Agama, Menteri Ketenagakerjaan,
 * Menteri PANRB). This is only the starting data: admins maintain the holidays table (a revised
 * SKB, a Keppres adding a day), and deadlines read it when they are computed.
 */
const HOLIDAYS: Array<[date: string, name: string, kind: 'libur_nasional' | 'cuti_bersama']> = [
  // 2026: SKB No. 1497/2025, No. 2/2025, No. 5/2025 (17 libur nasional, 8 cuti bersama).
  ['2026-01-01', 'Tahun Baru 2026 Masehi', 'libur_nasional'],
  ['2026-01-16', 'Isra Mikraj Nabi Muhammad SAW', 'libur_nasional'],
  ['2026-02-16', 'Cuti bersama Tahun Baru Imlek', 'cuti_bersama'],
  ['2026-02-17', 'Tahun Baru Imlek 2577 Kongzili', 'libur_nasional'],
  ['2026-03-18', 'Cuti bersama Hari Suci Nyepi', 'cuti_bersama'],
  ['2026-03-19', 'Hari Suci Nyepi Tahun Baru Saka 1948', 'libur_nasional'],
  ['2026-03-20', 'Cuti bersama Idul Fitri 1447 H', 'cuti_bersama'],
  ['2026-03-21', 'Idul Fitri 1447 H', 'libur_nasional'],
  ['2026-03-22', 'Idul Fitri 1447 H', 'libur_nasional'],
  ['2026-03-23', 'Cuti bersama Idul Fitri 1447 H', 'cuti_bersama'],
  ['2026-03-24', 'Cuti bersama Idul Fitri 1447 H', 'cuti_bersama'],
  ['2026-04-03', 'Wafat Yesus Kristus', 'libur_nasional'],
  ['2026-04-05', 'Kebangkitan Yesus Kristus (Paskah)', 'libur_nasional'],
  ['2026-05-01', 'Hari Buruh Internasional', 'libur_nasional'],
  ['2026-05-14', 'Kenaikan Yesus Kristus', 'libur_nasional'],
  ['2026-05-15', 'Cuti bersama Kenaikan Yesus Kristus', 'cuti_bersama'],
  ['2026-05-27', 'Idul Adha 1447 H', 'libur_nasional'],
  ['2026-05-28', 'Cuti bersama Idul Adha 1447 H', 'cuti_bersama'],
  ['2026-05-31', 'Hari Raya Waisak 2570 BE', 'libur_nasional'],
  ['2026-06-01', 'Hari Lahir Pancasila', 'libur_nasional'],
  ['2026-06-16', 'Tahun Baru Islam 1448 H', 'libur_nasional'],
  ['2026-08-17', 'Hari Proklamasi Kemerdekaan Republik Indonesia', 'libur_nasional'],
  ['2026-08-25', 'Maulid Nabi Muhammad SAW', 'libur_nasional'],
  ['2026-12-24', 'Cuti bersama Kelahiran Yesus Kristus', 'cuti_bersama'],
  ['2026-12-25', 'Kelahiran Yesus Kristus', 'libur_nasional'],
  // 2027: PROVISIONAL until the SKB for 2027 is known here. Fixed-date holidays are certain; the
  // Hijri, Saka, Chinese and Buddhist dates are calendar estimates (±1 day), and the cuti bersama
  // follow the pattern of recent SKBs (bridging days). Admins correct them from the SKB.
  ['2027-01-01', 'Tahun Baru 2027 Masehi', 'libur_nasional'],
  ['2027-01-05', 'Isra Mikraj Nabi Muhammad SAW', 'libur_nasional'],
  ['2027-02-06', 'Tahun Baru Imlek 2578 Kongzili', 'libur_nasional'],
  ['2027-03-08', 'Hari Suci Nyepi Tahun Baru Saka 1949', 'libur_nasional'],
  ['2027-03-09', 'Cuti bersama Idul Fitri 1448 H', 'cuti_bersama'],
  ['2027-03-10', 'Idul Fitri 1448 H', 'libur_nasional'],
  ['2027-03-11', 'Idul Fitri 1448 H', 'libur_nasional'],
  ['2027-03-12', 'Cuti bersama Idul Fitri 1448 H', 'cuti_bersama'],
  ['2027-03-26', 'Wafat Yesus Kristus', 'libur_nasional'],
  ['2027-03-28', 'Kebangkitan Yesus Kristus (Paskah)', 'libur_nasional'],
  ['2027-05-01', 'Hari Buruh Internasional', 'libur_nasional'],
  ['2027-05-06', 'Kenaikan Yesus Kristus', 'libur_nasional'],
  ['2027-05-07', 'Cuti bersama Kenaikan Yesus Kristus', 'cuti_bersama'],
  ['2027-05-17', 'Idul Adha 1448 H', 'libur_nasional'],
  ['2027-05-20', 'Hari Raya Waisak 2571 BE', 'libur_nasional'],
  ['2027-05-21', 'Cuti bersama Hari Raya Waisak', 'cuti_bersama'],
  ['2027-06-01', 'Hari Lahir Pancasila', 'libur_nasional'],
  ['2027-06-06', 'Tahun Baru Islam 1449 H', 'libur_nasional'],
  ['2027-08-15', 'Maulid Nabi Muhammad SAW', 'libur_nasional'],
  ['2027-08-17', 'Hari Proklamasi Kemerdekaan Republik Indonesia', 'libur_nasional'],
  ['2027-12-24', 'Cuti bersama Kelahiran Yesus Kristus', 'cuti_bersama'],
  ['2027-12-25', 'Kelahiran Yesus Kristus', 'libur_nasional'],
];

/** The first lifecycle policy, as stored (jsonb); later versions are added by admins. */
const POLICY_V1 =
  '{"acceptWorkingDays":5,"acceptReminderWorkingDays":3,"targetYears":{"ringan":1,"sedang":2,"berat":3},"progressIntervalDays":30,"progressReminderDaysBefore":7,"milestones":[0.5,0.9],"confirmWorkingDays":10,"topLevelRepeatDays":30,"sendWindow":{"startHour":7,"endHour":21},"maxLevel":4}';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('holidays')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('libur_nasional', 'cuti_bersama')`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db
    .insertInto('holidays')
    .values(HOLIDAYS.map(([date, name, kind]) => ({ date, name, kind })))
    .execute();

  // Versioned: a complaint keeps the version it started with, so a new policy changes only the
  // rules of complaints that start after it.
  await db.schema
    .createTable('policies')
    .addColumn('version', 'serial', (c) => c.primaryKey())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The first row of a new table: version 1.
  await db.insertInto('policies').values({ data: POLICY_V1 }).execute();

  await db.schema
    .alterTable('complaints')
    .addColumn('difficulty', 'text')
    .addColumn('policy_version', 'integer')
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('target_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('escalation_level', 'smallint', (c) => c.notNull().defaultTo(1))
    .addColumn('rating', 'smallint')
    .addColumn('rejection_reason', 'text')
    .execute();

  await db.schema.alterTable('messages').addColumn('template_kind', 'text').addColumn('content_sid', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('template_kind').dropColumn('content_sid').execute();
  await db.schema
    .alterTable('complaints')
    .dropColumn('difficulty')
    .dropColumn('policy_version')
    .dropColumn('accepted_at')
    .dropColumn('target_at')
    .dropColumn('resolved_at')
    .dropColumn('closed_at')
    .dropColumn('escalation_level')
    .dropColumn('rating')
    .dropColumn('rejection_reason')
    .execute();
  await db.schema.dropTable('policies').ifExists().execute();
  await db.schema.dropTable('holidays').ifExists().execute();
}
