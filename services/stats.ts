import type { Db } from '../db/connect';
import * as opdRepo from '../db/repositories/opd';
import * as statsRepo from '../db/repositories/stats';
import type { ComplaintStatus } from '../domain/report';

/** How well promises are kept, for one group of complaints. */
export interface Figures {
  count: number;
  open: number;
  overdueOpen: number;
  /** Of the complaints resolved with a target date, the share resolved by it; null when none. */
  resolvedOnTimeShare: number | null;
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

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const round = (value: number | null, digits = 1) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

function figures(row: statsRepo.StatsRow): Figures {
  return {
    count: row.count,
    open: row.open,
    overdueOpen: row.overdue_open,
    resolvedOnTimeShare: ratio(row.resolved_on_time, row.resolved_with_target),
    medianDaysToAcceptance: round(row.median_days_to_acceptance),
    medianDaysToTuntas: round(row.median_days_to_tuntas),
    reopenRate: ratio(row.reopened, row.resolved_ever),
    averageRating: round(row.average_rating, 2),
  };
}

const EMPTY: statsRepo.StatsRow = {
  dimension: 'all',
  key: null,
  count: 0,
  open: 0,
  overdue_open: 0,
  resolved_with_target: 0,
  resolved_on_time: 0,
  median_days_to_acceptance: null,
  median_days_to_tuntas: null,
  resolved_ever: 0,
  reopened: 0,
  rated: 0,
  average_rating: null,
};

/** The statistics leaders watch: counts, promises kept, speed, reopenings and ratings, by dimension. */
export async function complaintStatistics(db: Db, filter: statsRepo.StatsFilter, now: Date): Promise<ComplaintStatistics> {
  const [rows, units] = await Promise.all([statsRepo.complaintStats(db, filter), opdRepo.listUnits(db)]);
  const unitById = new Map(units.map((u) => [String(u.id), u]));
  const of = (dimension: statsRepo.StatsRow['dimension']) => rows.filter((r) => r.dimension === dimension);
  const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;
  return {
    generatedAt: now.toISOString(),
    total: figures(of('all')[0] ?? EMPTY),
    byStatus: of('status')
      .map((r) => ({ status: r.key as ComplaintStatus, count: r.count }))
      .sort(byCount),
    byCategory: of('category')
      .map((r) => ({ category: r.key!, ...figures(r) }))
      .sort(byCount),
    byOpd: of('opd')
      .map((r) => {
        const unit = r.key === null ? undefined : unitById.get(r.key);
        return { opdCode: unit?.code ?? null, opdName: unit?.name ?? null, ...figures(r) };
      })
      .sort(byCount),
    byKecamatan: of('kecamatan')
      .map((r) => ({ kecamatan: r.key, ...figures(r) }))
      .sort(byCount),
    byMonth: of('month')
      .map((r) => ({ month: r.key!, ...figures(r) }))
      .sort((a, b) => a.month.localeCompare(b.month)),
    overdueByLevel: of('level')
      .filter((r) => r.overdue_open > 0)
      .map((r) => ({ level: Number(r.key), count: r.overdue_open }))
      .sort((a, b) => a.level - b.level),
  };
}

interface CacheEntry {
  value?: ComplaintStatistics;
  computedAt: number;
  refreshing?: Promise<ComplaintStatistics>;
}

/**
 * Statistics of a million complaints take seconds to compute, so answers are served from memory
 * and recomputed in the background once older than `maxAgeMs` (stale-while-revalidate): a
 * dashboard waits only the first time it asks for a combination of filters. `generatedAt` in the
 * answer says how fresh the figures are. A maximum age of 0 computes every answer afresh.
 */
export function createStatsCache(options: { db: Db; clock: () => Date; maxAgeMs: number; maxEntries?: number }) {
  const entries = new Map<string, CacheEntry>();
  const maxEntries = options.maxEntries ?? 500;

  function refresh(key: string, entry: CacheEntry, filter: statsRepo.StatsFilter): Promise<ComplaintStatistics> {
    entry.refreshing ??= complaintStatistics(options.db, filter, options.clock())
      .then((value) => {
        Object.assign(entry, { value, computedAt: options.clock().getTime() });
        return value;
      })
      .finally(() => {
        entry.refreshing = undefined;
      });
    return entry.refreshing;
  }

  return {
    async get(filter: statsRepo.StatsFilter): Promise<ComplaintStatistics> {
      const key = JSON.stringify([filter.from, filter.to, filter.opdUnitId, filter.category, filter.kecamatan]);
      let entry = entries.get(key);
      if (!entry) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entry = { computedAt: 0 };
        entries.set(key, entry);
      }
      if (!entry.value || options.maxAgeMs === 0) return refresh(key, entry, filter);
      if (options.clock().getTime() - entry.computedAt >= options.maxAgeMs) {
        // A failed background refresh keeps the last figures and tries again on the next call.
        refresh(key, entry, filter).catch(() => {});
      }
      return entry.value;
    },
  };
}

export type StatsCache = ReturnType<typeof createStatsCache>;
