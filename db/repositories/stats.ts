import { sql } from 'kysely';
import type { Db } from '../connect';
import type { ComplaintStatsCellTable } from '../schema';

export interface StatsFilter {
  /** 'YYYY-MM': from this WIB month of submission on. */
  fromMonth?: string;
  /** 'YYYY-MM': up to and including this month. */
  toMonth?: string;
  opdUnitId?: number;
  category?: string;
  kecamatan?: string;
}

export type StatsCell = Omit<ComplaintStatsCellTable, 'month' | 'open_by_status_level'> & { month: string };

/** The summary cells the filter selects: a few thousand rows however many complaints there are. */
export async function listStatsCells(db: Db, filter: StatsFilter): Promise<StatsCell[]> {
  let query = db
    .selectFrom('complaint_stats_cells')
    .select([
      sql<string>`to_char(month, 'YYYY-MM')`.as('month'),
      'category',
      'opd_unit_id',
      'kecamatan',
      'count',
      'open',
      'overdue_open',
      'resolved_with_target',
      'resolved_on_time',
      'resolved_ever',
      'reopened',
      'rated',
      'rating_sum',
      'status_counts',
      'overdue_by_level',
      'acceptance_hist',
      'tuntas_hist',
    ]);
  if (filter.fromMonth) query = query.where('month', '>=', sql<string>`${`${filter.fromMonth}-01`}::date`);
  if (filter.toMonth) query = query.where('month', '<=', sql<string>`${`${filter.toMonth}-01`}::date`);
  if (filter.opdUnitId !== undefined) query = query.where('opd_unit_id', '=', filter.opdUnitId);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.kecamatan) query = query.where('kecamatan', '=', filter.kecamatan);
  return query.where('count', '>', 0).execute();
}

/** The open complaints by status and level, and the overdue ones by level, over all cells. */
export async function openComplaintCounts(db: Db): Promise<{ byStatusLevel: number[]; overdueByLevel: number[] }> {
  const rows = await db.selectFrom('complaint_stats_cells').select(['open_by_status_level', 'overdue_by_level']).where('open', '>', 0).execute();
  const byStatusLevel = new Array<number>(20).fill(0);
  const overdueByLevel = new Array<number>(4).fill(0);
  for (const row of rows) {
    row.open_by_status_level.forEach((n, i) => (byStatusLevel[i] += n));
    row.overdue_by_level.forEach((n, i) => (overdueByLevel[i] += n));
  }
  return { byStatusLevel, overdueByLevel };
}
