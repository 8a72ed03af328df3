/**
 * Exact percentiles by the nearest-rank method: for p in (0, 100] over n sorted values, the
 * value at 1-based rank ceil(p / 100 * n). Always an observed value (no interpolation), so a
 * p99 of 12 requests is the maximum, which is what a tail-latency reader expects.
 */
export function nearestRank(sortedAsc: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const n = sortedAsc.length;
  if (n === 0) return null;
  // Integer arithmetic on p * n avoids 0.9 * 10 = 9.000000000000002 rounding up to rank 10.
  const rank = Math.ceil(Math.round(p * n * 1e6) / 1e8);
  return sortedAsc[Math.min(n, Math.max(1, rank)) - 1];
}

export function sortedNumbers(values: Iterable<number>): number[] {
  return [...values].sort((a, b) => a - b);
}
