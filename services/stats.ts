import type { Db } from '../db/connect';
import * as opdRepo from '../db/repositories/opd';
import * as statsRepo from '../db/repositories/stats';
import { COMPLAINT_STATUSES, type ComplaintStatus } from '../domain/report';
import { ACCEPTANCE_HISTOGRAM, addInto, histogramMedian, TUNTAS_HISTOGRAM } from '../domain/stats';

/** How well promises are kept, for one group of complaints. */
export interface Figures {
  count: number;
  open: number;
  overdueOpen: number;
  /** Of the complaints resolved with a target date, the share resolved by it; null when none. */
  resolvedOnTimeShare: number | null;
  /** Medians from histograms: to within half a day (acceptance) and a week (tuntas). */
  medianDaysToAcceptance: number | null;
  medianDaysToTuntas: number | null;
  /** Of the complaints ever resolved, the share reopened (disputed by the citizen or reopened by an admin). */
  reopenRate: number | null;
  averageRating: number | null;
}

export interface ComplaintStatistics {
  generatedAt: string;
  total: Figures;
  byStatus: Array<{ status: ComplaintStatus; count: number }>;
  byCategory: Array<Figures & { category: string }>;
  byOpd: Array<Figures & { opdCode: string | null; opdName: string | null }>;
  byKecamatan: Array<Figures & { kecamatan: string | null }>;
  byMonth: Array<Figures & { month: string }>;
  overdueByLevel: Array<{ level: number; count: number }>;
}

/** The sums of a group of summary cells. */
interface Totals {
  count: number;
  open: number;
  overdueOpen: number;
  resolvedWithTarget: number;
  resolvedOnTime: number;
  resolvedEver: number;
  reopened: number;
  rated: number;
  ratingSum: number;
  acceptance: number[];
  tuntas: number[];
}

const emptyTotals = (): Totals => ({
  count: 0,
  open: 0,
  overdueOpen: 0,
  resolvedWithTarget: 0,
  resolvedOnTime: 0,
  resolvedEver: 0,
  reopened: 0,
  rated: 0,
  ratingSum: 0,
  acceptance: [],
  tuntas: [],
});

function add(totals: Totals, cell: statsRepo.StatsCell): void {
  totals.count += cell.count;
  totals.open += cell.open;
  totals.overdueOpen += cell.overdue_open;
  totals.resolvedWithTarget += cell.resolved_with_target;
  totals.resolvedOnTime += cell.resolved_on_time;
  totals.resolvedEver += cell.resolved_ever;
  totals.reopened += cell.reopened;
  totals.rated += cell.rated;
  totals.ratingSum += cell.rating_sum;
  addInto(totals.acceptance, cell.acceptance_hist);
  addInto(totals.tuntas, cell.tuntas_hist);
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const round = (value: number | null, digits = 1) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

function figures(t: Totals): Figures {
  return {
    count: t.count,
    open: t.open,
    overdueOpen: t.overdueOpen,
    resolvedOnTimeShare: ratio(t.resolvedOnTime, t.resolvedWithTarget),
    medianDaysToAcceptance: round(histogramMedian(t.acceptance, ACCEPTANCE_HISTOGRAM)),
    medianDaysToTuntas: round(histogramMedian(t.tuntas, TUNTAS_HISTOGRAM)),
    reopenRate: ratio(t.reopened, t.resolvedEver),
    averageRating: t.rated === 0 ? null : round(t.ratingSum / t.rated, 2),
  };
}

/** Sums the cells per value of one of their columns. */
function groupBy(cells: statsRepo.StatsCell[], key: (cell: statsRepo.StatsCell) => string): Map<string, Totals> {
  const groups = new Map<string, Totals>();
  for (const cell of cells) {
    const k = key(cell);
    let totals = groups.get(k);
    if (!totals) groups.set(k, (totals = emptyTotals()));
    add(totals, cell);
  }
  return groups;
}

const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;

/**
 * The statistics leaders watch: counts, promises kept, speed, reopenings and ratings, by
 * dimension. Read from the summary cells that a trigger keeps current, so the cost does not grow
 * with the number of complaints.
 */
export async function complaintStatistics(db: Db, filter: statsRepo.StatsFilter, now: Date): Promise<ComplaintStatistics> {
  const [cells, units] = await Promise.all([statsRepo.listStatsCells(db, filter), opdRepo.listUnits(db)]);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const total = emptyTotals();
  const statusCounts: number[] = [];
  const overdueByLevel: number[] = [];
  for (const cell of cells) {
    add(total, cell);
    addInto(statusCounts, cell.status_counts);
    addInto(overdueByLevel, cell.overdue_by_level);
  }
  const breakdown = <K extends string>(key: (cell: statsRepo.StatsCell) => string, name: K) =>
    [...groupBy(cells, key)].map(([value, totals]) => ({ [name]: value, ...figures(totals) }) as Figures & Record<K, string>);

  return {
    generatedAt: now.toISOString(),
    total: figures(total),
    byStatus: COMPLAINT_STATUSES.map((status, i) => ({ status, count: statusCounts[i] ?? 0 }))
      .filter((s) => s.count > 0)
      .sort(byCount),
    byCategory: breakdown((c) => c.category, 'category').sort(byCount),
    byOpd: breakdown((c) => String(c.opd_unit_id), 'opd')
      .map(({ opd, ...rest }) => {
        const unit = unitById.get(Number(opd));
        return { opdCode: unit?.code ?? null, opdName: unit?.name ?? null, ...rest };
      })
      .sort(byCount),
    byKecamatan: breakdown((c) => c.kecamatan, 'kecamatan')
      .map(({ kecamatan, ...rest }) => ({ kecamatan: kecamatan || null, ...rest }))
      .sort(byCount),
    byMonth: breakdown((c) => c.month, 'month').sort((a, b) => a.month.localeCompare(b.month)),
    overdueByLevel: overdueByLevel.map((count, i) => ({ level: i + 1, count })).filter((l) => l.count > 0),
  };
}
