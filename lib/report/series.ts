/**
 * Over-time series derived from RunData samples: utilisation, fragmentation, page cache in CMA
 * and migration rate, per area where it applies.
 */
import type { RunData } from './runData.ts';

export interface AreaSeries {
  readonly name: string;
  /** allocated / pages, 0..1. */
  readonly utilisation: readonly number[];
  readonly free: readonly number[];
  readonly buddyFree: readonly number[];
  readonly largestFree: readonly number[];
  /** 1 - largestFree / free (0 when nothing is free): 0 = one free block, near 1 = confetti. */
  readonly fragmentation: readonly number[];
  readonly pagecache: readonly number[];
}

export interface Series {
  /** Sample times, ns. */
  readonly t: readonly number[];
  readonly areas: readonly AreaSeries[];
  /** Pages migrated per second of simulated time over the interval ending at each sample (0 at the first). */
  readonly migrationsPerSec: readonly number[];
}

export function fragmentation(free: number, largestFree: number): number {
  return free > 0 ? 1 - largestFree / free : 0;
}

export function series(data: RunData): Series {
  const s = data.samples;
  const areas = data.areas.map((a, i) => ({
    name: a.name,
    utilisation: s.map((x) => (a.pages > 0 ? x.areas[i].allocated / a.pages : 0)),
    free: s.map((x) => x.areas[i].free),
    buddyFree: s.map((x) => x.areas[i].buddyFree),
    largestFree: s.map((x) => x.areas[i].largestFree),
    fragmentation: s.map((x) => fragmentation(x.areas[i].free, x.areas[i].largestFree)),
    pagecache: s.map((x) => x.areas[i].pagecache),
  }));
  const migrationsPerSec = s.map((x, k) => {
    if (k === 0) return 0;
    const dt = x.t - s[k - 1].t;
    return dt > 0 ? ((x.migratedTotal - s[k - 1].migratedTotal) * 1e9) / dt : 0;
  });
  return { t: s.map((x) => x.t), areas, migrationsPerSec };
}
