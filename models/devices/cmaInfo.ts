/**
 * The original framework's cma_info / cma_info_about: what a driver may learn about the regions
 * it would allocate from (e.g. to size an IOMMU-less address window, as the VCM driver did).
 */
import type { AreaView } from './dmaPlan.ts';
import { regionsFor } from './dmaPlan.ts';
import type { DeviceDef, PrivateRegion } from './state.ts';
import { regionFreePages } from './privateRegion.ts';

export interface CmaInfo {
  /** Lowest physical address of the regions (bytes). */
  readonly lowerBound: number;
  /** End (exclusive) of the highest region (bytes). */
  readonly upperBound: number;
  readonly totalSize: number;
  readonly freeSize: number;
  /** Regions found; 0 means none of the names exists (the caller's -ENOENT). */
  readonly count: number;
}

/** Views of registered private regions, so cma_info_about sees them like boot regions. */
export function privateRegionViews(regions: Readonly<Record<string, PrivateRegion>>): Record<string, AreaView> {
  const out: Record<string, AreaView> = {};
  for (const r of Object.values(regions)) {
    out[r.name] = { name: r.name, basePfn: r.basePfn, count: r.count, freePages: regionFreePages(r), private: true };
  }
  return out;
}

/**
 * cma_info_about("r1,r2"): bounds and sizes over the named regions that exist; unknown names are
 * skipped as the series' lookup did, so `count` tells how many were found.
 */
export function cmaInfoAbout(regions: readonly string[] | string, areas: Readonly<Record<string, AreaView>>, pageSize: number): CmaInfo {
  const names = typeof regions === 'string' ? regions.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '') : regions;
  let lower = Infinity;
  let upper = 0;
  let total = 0;
  let free = 0;
  let count = 0;
  const seen: string[] = [];
  for (const n of names) {
    const a = Object.hasOwn(areas, n) ? areas[n] : undefined;
    if (a === undefined || seen.includes(n)) continue;
    seen.push(n);
    count++;
    lower = Math.min(lower, a.basePfn * pageSize);
    upper = Math.max(upper, (a.basePfn + a.count) * pageSize);
    total += a.count * pageSize;
    free += a.freePages * pageSize;
  }
  return { lowerBound: count === 0 ? 0 : lower, upperBound: upper, totalSize: total, freeSize: free, count };
}

/** cma_info(dev, kind): cma_info_about over the regions the map gives (dev, kind). */
export function cmaInfo(dev: DeviceDef, kind: string, areas: Readonly<Record<string, AreaView>>, pageSize: number): CmaInfo {
  return cmaInfoAbout(regionsFor(dev, kind), areas, pageSize);
}
