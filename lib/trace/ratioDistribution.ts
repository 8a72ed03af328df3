/** Distribution of sim/trace latency ratios, by the report's nearest-rank percentiles. */
import { nearestRank, sortedNumbers } from '../text/percentile.ts';

export interface Distribution {
  readonly n: number;
  readonly min: number | null;
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  /** exp(mean(log x)): the typical ratio, not dragged by a few huge ones. null unless all x > 0. */
  readonly geomean: number | null;
}

export function distribution(values: Iterable<number>): Distribution {
  const s = sortedNumbers(values);
  const n = s.length;
  return {
    n, min: s[0] ?? null, p10: nearestRank(s, 10), p50: nearestRank(s, 50), p90: nearestRank(s, 90),
    p99: nearestRank(s, 99), max: n > 0 ? s[n - 1] : null,
    geomean: n > 0 && s[0] > 0 ? Math.exp(s.reduce((a, v) => a + Math.log(v), 0) / n) : null,
  };
}
