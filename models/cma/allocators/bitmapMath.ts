/**
 * The mainline bitmap arithmetic of mm/cma.c (reference §2 step 3), over a bitmap kept as runs of
 * set bits (see ../extents.ts). One bit covers 2^orderPerBit pages.
 */
import { nextClear, nextSet, type Extents } from '../extents.ts';

const pow2 = (n: number): number => 2 ** n;

/** cma_bitmap_aligned_mask: 0 when the alignment is no coarser than a bit. */
export function alignedMask(orderPerBit: number, alignOrder: number): number {
  return alignOrder <= orderPerBit ? 0 : pow2(alignOrder - orderPerBit) - 1;
}

/** cma_bitmap_aligned_offset: compensates a base pfn that is not aligned to the request. */
export function alignedOffset(basePfn: number, orderPerBit: number, alignOrder: number): number {
  return Math.floor((basePfn % pow2(alignOrder)) / pow2(orderPerBit));
}

/** cma_bitmap_pages_to_bits: round the page count up to whole bits. */
export function pagesToBits(orderPerBit: number, pages: number): number {
  return Math.ceil(pages / pow2(orderPerBit));
}

/** cma_bitmap_maxno: bits in the area's bitmap (a partial trailing granule is unusable). */
export function bitmapMaxno(count: number, orderPerBit: number): number {
  return Math.floor(count / pow2(orderPerBit));
}

/** __ALIGN_MASK(x, mask) with mask + 1 a power of two. */
function alignUpMask(x: number, mask: number): number {
  return Math.floor((x + mask) / (mask + 1)) * (mask + 1);
}

/**
 * bitmap_find_next_zero_area_off: the first index >= start of a run of `nr` clear bits whose
 * (index + offset) is a multiple of mask + 1. Returns a value >= size when there is none, as the
 * kernel does (callers test `>= maxno`).
 */
export function findNextZeroAreaOff(used: Extents, size: number, start: number, nr: number, mask: number, offset: number): number {
  let from = start;
  for (;;) {
    let index = nextClear(used, from, size);
    index = alignUpMask(index + offset, mask) - offset;
    const end = index + nr;
    if (end > size) return end;
    const i = nextSet(used, index, end);
    if (i >= end) return index;
    from = i + 1;
  }
}
