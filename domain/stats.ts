// How durations are kept for the statistics: as histograms per cell of the summary table
// (db/migrations/20261206T0500_stats_cells.ts, which hard-codes the same buckets), from which
// medians are read. Pure, shared by the service and its tests.

export interface HistogramShape {
  /** Days per bucket. */
  width: number;
  /** Buckets; the last one also holds everything beyond it. */
  buckets: number;
}

/** Days from submission to acceptance: half-day buckets up to 30 days. */
export const ACCEPTANCE_HISTOGRAM: HistogramShape = { width: 0.5, buckets: 61 };
/** Days from submission to tuntas: weeks up to four years. */
export const TUNTAS_HISTOGRAM: HistogramShape = { width: 7, buckets: 210 };

/** Adds `other` into `into`, element by element. */
export function addInto(into: number[], other: readonly number[]): number[] {
  for (let i = 0; i < other.length; i++) into[i] = (into[i] ?? 0) + other[i];
  return into;
}

/**
 * The median of the values counted in a histogram, to within one bucket (half a day for
 * acceptance, a week for tuntas): the k-th smallest value is placed evenly inside its bucket, and
 * for an even count the two middle ones are averaged. A median in the last bucket is reported as that bucket's lower bound ("at least").
 * Null when the histogram is empty.
 */
export function histogramMedian(counts: readonly number[], shape: HistogramShape): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const kth = (k: number): number => {
    let before = 0;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i];
      if (n > 0 && before + n >= k) {
        if (i === shape.buckets - 1) return i * shape.width;
        return i * shape.width + ((k - before - 0.5) / n) * shape.width;
      }
      before += n;
    }
    return (shape.buckets - 1) * shape.width;
  };
  return total % 2 === 1 ? kth((total + 1) / 2) : (kth(total / 2) + kth(total / 2 + 1)) / 2;
}
