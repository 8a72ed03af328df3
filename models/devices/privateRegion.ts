/**
 * Private regions (viafb): memory a driver owns and registers after boot (the series'
 * cma_region_register), allocated with CMA's algorithm but never lent to the page allocator and
 * used by that driver alone. A region registered without an allocator name got the series' default
 * allocator, the first registered one, which is best-fit (mm/cma-best-fit.c, the series' only
 * allocator), so the region keeps best-fit state (holes with their insertion stamps).
 */
import { bestFitAllocator } from '../cma/allocators/bestFit.ts';
import type { AreaGeometry } from '../cma/allocators/allocator.ts';
import type { PrivateRegion } from './state.ts';

const geometry = (r: Omit<PrivateRegion, 'owner' | 'alloc'>): AreaGeometry => ({ name: r.name, basePfn: r.basePfn, count: r.count, orderPerBit: 0 });

/** A fresh region of `count` pages at `basePfn`, all free. */
export function newRegion(name: string, owner: string, basePfn: number, count: number): PrivateRegion {
  return { name, owner, basePfn, count, alloc: bestFitAllocator.init(geometry({ name, basePfn, count }), {}) };
}

/** Offset where best-fit puts `pages` pages with the pfn aligned to 2^align, or null. */
export function regionFind(r: PrivateRegion, pages: number, align: number): number | null {
  const c = bestFitAllocator.find(r.alloc, geometry(r), pages, align, 0, []);
  return c === null ? null : c.pfn - r.basePfn;
}

export function regionTake(r: PrivateRegion, offset: number, pages: number): PrivateRegion {
  return { ...r, alloc: bestFitAllocator.reserve(r.alloc, geometry(r), r.basePfn + offset, pages) };
}

export function regionGive(r: PrivateRegion, offset: number, pages: number): PrivateRegion {
  return { ...r, alloc: bestFitAllocator.unreserve(r.alloc, geometry(r), r.basePfn + offset, pages) };
}

export function regionFreePages(r: PrivateRegion): number {
  return r.count - bestFitAllocator.usedPages(r.alloc, geometry(r));
}
