/**
 * Private regions (viafb): memory a driver owns and registers after boot, allocated with CMA's
 * algorithm but never lent to the page allocator and used by that driver alone. `used` holds
 * allocated page offsets as extents relative to the region's base.
 */
import { addRun, clearRuns, countSet, removeRun } from '../cma/extents.ts';
import type { PrivateRegion } from './state.ts';

/** First offset where `pages` free pages start with the pfn aligned to 2^align, or null (first fit). */
export function regionFirstFit(r: PrivateRegion, pages: number, align: number): number | null {
  const a = 2 ** align;
  const holes = clearRuns(r.used, r.count);
  for (let i = 0; i < holes.length; i += 2) {
    const start = Math.ceil((r.basePfn + holes[i]) / a) * a - r.basePfn;
    if (start + pages <= holes[i + 1]) return start;
  }
  return null;
}

export function regionTake(r: PrivateRegion, offset: number, pages: number): PrivateRegion {
  return { ...r, used: addRun(r.used, offset, offset + pages) };
}

export function regionGive(r: PrivateRegion, offset: number, pages: number): PrivateRegion {
  return { ...r, used: removeRun(r.used, offset, offset + pages) };
}

export function regionFreePages(r: PrivateRegion): number {
  return r.count - countSet(r.used);
}
