import { describe, expect, it } from 'vitest';
import { ACCEPTANCE_HISTOGRAM, addInto, histogramMedian, TUNTAS_HISTOGRAM } from '../../domain/stats';

/** A histogram of these values, bucketed as the summary table does. */
function histogram(values: number[], shape: { width: number; buckets: number }): number[] {
  const counts = new Array<number>(shape.buckets).fill(0);
  for (const v of values) counts[Math.min(Math.max(Math.floor(v / shape.width), 0), shape.buckets - 1)] += 1;
  return counts;
}

function exactMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}

describe('histogram medians', () => {
  it('is null for no values', () => {
    expect(histogramMedian(new Array(61).fill(0), ACCEPTANCE_HISTOGRAM)).toBeNull();
  });

  it('places a single value in the middle of its bucket', () => {
    expect(histogramMedian(histogram([4.1], ACCEPTANCE_HISTOGRAM), ACCEPTANCE_HISTOGRAM)).toBe(4.25);
    expect(histogramMedian(histogram([100], TUNTAS_HISTOGRAM), TUNTAS_HISTOGRAM)).toBe(101.5);
  });

  it('averages the two middle values of an even count', () => {
    expect(histogramMedian(histogram([50, 100], TUNTAS_HISTOGRAM), TUNTAS_HISTOGRAM)).toBe(77);
  });

  it('stays within a bucket of the exact median on many values', () => {
    // A deterministic spread of values: acceptance within 0–20 days, tuntas within 0–3 years.
    for (const [shape, scale] of [
      [ACCEPTANCE_HISTOGRAM, 20],
      [TUNTAS_HISTOGRAM, 1095],
    ] as const) {
      for (const n of [1, 2, 3, 10, 101, 1000]) {
        const values = Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 * scale);
        const estimate = histogramMedian(histogram(values, shape), shape)!;
        expect(Math.abs(estimate - exactMedian(values)), `${n} values`).toBeLessThanOrEqual(shape.width);
      }
    }
  });

  it('reports a median beyond the last bucket as its lower bound', () => {
    expect(histogramMedian(histogram([45, 50, 60], ACCEPTANCE_HISTOGRAM), ACCEPTANCE_HISTOGRAM)).toBe(30);
  });

  it('adds histograms element by element', () => {
    expect(addInto([1, 2, 3], [1, 0, 5])).toEqual([2, 2, 8]);
    expect(addInto([], [1, 2])).toEqual([1, 2]);
  });
});
