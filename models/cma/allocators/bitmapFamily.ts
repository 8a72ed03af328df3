/**
 * Allocators over an allocation bitmap: mainline `bitmap`, the 2011 rework's genalloc `first-fit`
 * pool, and the deliberately broken `bitmap-reserve-after`. They share the search of
 * bitmapMath.ts and differ in granule, alignment offset and when they reserve.
 */
import { addRun, clearRuns, countSet, removeRun, type Extents } from '../extents.ts';
import { type AllocatorState, type AreaGeometry, type Candidate, type CmaAllocator, wordsOf } from './allocator.ts';
import { alignedMask, alignedOffset, bitmapMaxno, findNextZeroAreaOff, pagesToBits } from './bitmapMath.ts';

export interface BitmapAllocState extends AllocatorState {
  /** Pages per bit = 2^order. */
  readonly order: number;
  /** Set bits, as runs of bit indices. */
  readonly used: Extents;
}

interface Family {
  readonly name: string;
  readonly reserveAtSearch: boolean;
  /** Granule order for an area. */
  order(geo: AreaGeometry, params: Readonly<Record<string, unknown>>): number;
  /** Alignment offset in bits for a request aligned to 2^align pages. */
  offset(geo: AreaGeometry, order: number, align: number): number;
}

function makeBitmapAllocator(f: Family): CmaAllocator<BitmapAllocState> {
  const g = (s: BitmapAllocState): number => 2 ** s.order;
  return {
    name: f.name,
    reserveAtSearch: f.reserveAtSearch,
    init(geo, params) {
      return { kind: f.name, order: f.order(geo, params), used: [] };
    },
    find(s, geo, count, align, cursor): Candidate | null {
      const maxno = bitmapMaxno(geo.count, s.order);
      const bits = pagesToBits(s.order, count);
      if (count <= 0 || bits > maxno) return null;
      const mask = alignedMask(s.order, align);
      const bitmapNo = findNextZeroAreaOff(s.used, maxno, cursor, bits, mask, f.offset(geo, s.order, align));
      if (bitmapNo >= maxno) return null;
      // The busy-retry start of mm/cma.c: forward only, never wrapping to the beginning.
      return { pfn: geo.basePfn + bitmapNo * g(s), cursorNext: bitmapNo + mask + 1 };
    },
    reserve(s, geo, pfn, count) {
      const no = (pfn - geo.basePfn) / g(s);
      return { ...s, used: addRun(s.used, no, no + pagesToBits(s.order, count)) };
    },
    unreserve(s, geo, pfn, count) {
      const no = (pfn - geo.basePfn) / g(s);
      return { ...s, used: removeRun(s.used, no, no + pagesToBits(s.order, count)) };
    },
    freeRuns(s, geo) {
      return clearRuns(s.used, bitmapMaxno(geo.count, s.order)).map((b) => geo.basePfn + b * g(s));
    },
    usedPages(s) {
      return countSet(s.used) * g(s);
    },
    bitmapWords(s, geo) {
      return wordsOf(s.used, bitmapMaxno(geo.count, s.order));
    },
    granule: g,
  };
}

/** Mainline mm/cma.c: one bit per 2^order_per_bit pages, offset from cma_bitmap_aligned_offset. */
export const bitmapAllocator = makeBitmapAllocator({
  name: 'bitmap',
  reserveAtSearch: true,
  order: (geo) => geo.orderPerBit,
  offset: (geo, order, align) => alignedOffset(geo.basePfn, order, align),
});

/**
 * The 2011 rework's pool (cma_create + genalloc): first fit over a bitmap of min_alignment
 * granules; gen_pool_alloc_aligned passes the chunk's start (in granules) as the offset, which
 * aligns absolute addresses just as mainline's masked offset does. Parameter: `minAlignment`
 * (a page order; default the area's order_per_bit).
 */
export const firstFitAllocator = makeBitmapAllocator({
  name: 'first-fit',
  reserveAtSearch: true,
  order: (geo, params) => {
    const v = params.minAlignment ?? geo.orderPerBit;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 20) {
      throw new Error(`area '${geo.name}': allocator parameter 'minAlignment' must be a page order 0..20, got ${JSON.stringify(v)}`);
    }
    if (geo.basePfn % 2 ** v !== 0) throw new Error(`area '${geo.name}': base pfn ${geo.basePfn} is not aligned to minAlignment order ${v}`);
    return v;
  },
  offset: (geo, order) => geo.basePfn / 2 ** order,
});

/**
 * TEACHING VARIANT, DELIBERATELY BROKEN: the mainline search, but the bits are set only after the
 * contiguous range was obtained. Between search and success another request can pick the same
 * range, which is exactly what reserving before migration prevents. Used by the race explorer to
 * show that it finds the bug; never use it to model a real kernel.
 */
export const bitmapReserveAfterAllocator = makeBitmapAllocator({
  name: 'bitmap-reserve-after',
  reserveAtSearch: false,
  order: (geo) => geo.orderPerBit,
  offset: (geo, order, align) => alignedOffset(geo.basePfn, order, align),
});
