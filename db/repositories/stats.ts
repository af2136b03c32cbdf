import { sql } from 'kysely';
import type { Db } from '../connect';
import { OPEN_STATUSES } from '../../domain/report';

export interface StatsFilter {
  from?: Date;
  to?: Date;
  opdUnitId?: number;
  category?: string;
  kecamatan?: string;
}

/** One group of the statistics: the dimension's value (null for the whole) and its figures. */
export interface StatsRow {
  dimension: 'all' | 'status' | 'category' | 'opd' | 'kecamatan' | 'month' | 'level';
  key: string | null;
  count: number;
  open: number;
  overdue_open: number;
  resolved_with_target: number;
  resolved_on_time: number;
  median_days_to_acceptance: number | null;
  median_days_to_tuntas: number | null;
  resolved_ever: number;
  reopened: number;
  rated: number;
  average_rating: number | null;
}

const DIMENSIONS = {
  status: sql`status`,
  category: sql`category`,
  opd: sql`opd_unit_id::text`,
  kecamatan: sql`kecamatan`,
  month: sql`to_char(submitted_at at time zone 'Asia/Jakarta', 'YYYY-MM')`,
  level: sql`escalation_level::text`,
} as const;

/**
 * Every figure of every dimension in one scan of the complaints, with GROUPING SETS: the table is
 * read once however many breakdowns are asked for.
 */
export async function complaintStats(db: Db, filter: StatsFilter): Promise<StatsRow[]> {
  const open = sql.join(OPEN_STATUSES.map((s) => sql`${s}`));
  const conditions = [sql`true`];
  if (filter.from) conditions.push(sql`submitted_at >= ${filter.from}`);
  if (filter.to) conditions.push(sql`submitted_at < ${filter.to}`);
  if (filter.opdUnitId !== undefined) conditions.push(sql`opd_unit_id = ${filter.opdUnitId}`);
  if (filter.category) conditions.push(sql`category = ${filter.category}`);
  if (filter.kecamatan) conditions.push(sql`kecamatan = ${filter.kecamatan}`);
  const names = Object.keys(DIMENSIONS) as Array<keyof typeof DIMENSIONS>;
  const columns = names.map((name) => sql`${DIMENSIONS[name]} as ${sql.ref(`d_${name}`)}`);
  const groupingSets = sql.join([sql`()`, ...names.map((name) => sql`(${sql.ref(`d_${name}`)})`)]);
  const grouping = sql.join(names.map((name) => sql.ref(`d_${name}`)));

  // The medians sort; enough memory keeps those sorts off the disk for a million complaints.
  const result = await db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '64MB'`.execute(trx);
    return sql<Record<string, unknown>>`
    with c as (
      select ${sql.join(columns)},
        status in (${open}) as is_open,
        overdue_since is not null as is_overdue,
        resolved_at, target_at, reopen_count, rating,
        extract(epoch from accepted_at - submitted_at) / 86400 as days_to_acceptance,
        case when status = 'tuntas' then extract(epoch from closed_at - submitted_at) / 86400 end as days_to_tuntas
      from complaints
      where ${sql.join(conditions, sql` and `)}
    )
    select ${grouping}, grouping(${grouping}) as grouping_id,
      count(*)::int as count,
      count(*) filter (where is_open)::int as open,
      count(*) filter (where is_open and is_overdue)::int as overdue_open,
      count(*) filter (where resolved_at is not null and target_at is not null)::int as resolved_with_target,
      count(*) filter (where resolved_at <= target_at)::int as resolved_on_time,
      percentile_cont(0.5) within group (order by days_to_acceptance) as median_days_to_acceptance,
      percentile_cont(0.5) within group (order by days_to_tuntas) as median_days_to_tuntas,
      count(*) filter (where resolved_at is not null)::int as resolved_ever,
      count(*) filter (where reopen_count > 0)::int as reopened,
      count(rating)::int as rated,
      avg(rating)::float8 as average_rating
    from c
    group by grouping sets (${groupingSets})
  `.execute(trx);
  });

  return result.rows.map((row) => {
    // grouping() has one bit per dimension, the first dimension highest; 0 means "grouped by it".
    const groupingId = Number(row.grouping_id);
    const index = names.findIndex((_, i) => (groupingId & (1 << (names.length - 1 - i))) === 0);
    const dimension = index === -1 ? 'all' : names[index];
    return {
      dimension,
      key: index === -1 ? null : ((row[`d_${names[index]}`] as string | null) ?? null),
      count: Number(row.count),
      open: Number(row.open),
      overdue_open: Number(row.overdue_open),
      resolved_with_target: Number(row.resolved_with_target),
      resolved_on_time: Number(row.resolved_on_time),
      median_days_to_acceptance: row.median_days_to_acceptance === null ? null : Number(row.median_days_to_acceptance),
      median_days_to_tuntas: row.median_days_to_tuntas === null ? null : Number(row.median_days_to_tuntas),
      resolved_ever: Number(row.resolved_ever),
      reopened: Number(row.reopened),
      rated: Number(row.rated),
      average_rating: row.average_rating === null ? null : Number(row.average_rating),
    };
  });
}
