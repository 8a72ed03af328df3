/**
 * Taking the free pages of a range out of the buddy allocator, splitting blocks that straddle its
 * ends (what isolate_freepages_range / split_free_page do).
 */
import { addFreeRange, delFree, freeBlockAt, setCodes } from './buddy.ts';
import { codeAt, pbIndexIn, pbRead, zoneWrite, type MemMut } from './mutMemory.ts';
import { K_RESERVED, K_TAKEN, KIND_NAMES, kindOf, useCode } from './pageCode.ts';
import type { ZoneCounters } from './state.ts';

/** Pages of [start, end) inside one pageblock's zone, for counters. */
export function addUsed(m: MemMut, pfn: number, field: keyof ZoneCounters, n: number): void {
  const z = zoneWrite(m, pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).zone);
  z.used[field] += n;
}

/**
 * Remove every page of [start, end) from the free lists and give it `code`. With `retagReserved`,
 * RESERVED pages (a private reservation) are re-tagged instead. Any other in-use page is an error.
 */
export function carveRange(m: MemMut, start: number, end: number, code: number, retagReserved: boolean): void {
  const kind = kindOf(code);
  const field = kind === K_TAKEN ? 'taken' : 'reserved';
  let pfn = start;
  while (pfn < end) {
    const fb = freeBlockAt(m, pfn);
    if (fb === null) {
      const c = codeAt(m, pfn);
      if (!(retagReserved && kindOf(c) === K_RESERVED)) {
        throw new Error(`page at pfn 0x${pfn.toString(16)} is not free (${KIND_NAMES[kindOf(c)]})`);
      }
      // Re-tag the run of reserved pages from here to the range's or the pageblock's end at once.
      const pbFirst = pfn - (pfn & (m.pbPages - 1));
      const pages = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).pages;
      const last = Math.min(end, pbFirst + m.pbPages);
      let stop = pfn + 1;
      while (stop < last && kindOf(pages[stop - pbFirst]) === K_RESERVED) stop++;
      setCodes(m, pfn, stop - pfn, code);
      addUsed(m, pfn, 'reserved', pfn - stop);
      addUsed(m, pfn, field, stop - pfn);
      pfn = stop;
      continue;
    }
    const bEnd = fb.head + 2 ** fb.order;
    delFree(m, fb.head, fb.order);
    if (fb.head < pfn) addFreeRange(m, fb.head, pfn);
    const stop = Math.min(end, bEnd);
    if (stop < bEnd) addFreeRange(m, stop, bEnd);
    setCodes(m, pfn, stop - pfn, code);
    addUsed(m, pfn, field, stop - pfn);
    pfn = stop;
  }
}

export { useCode };
