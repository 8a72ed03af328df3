/** Buddy-block arithmetic shared by the allocator, the invariants and boot. */
import { headOrder } from './pageCode.ts';

/** Call f(pfn, order) for the largest naturally aligned blocks (order <= maxOrder) tiling [start, end). */
export function eachAlignedBlock(start: number, end: number, maxOrder: number, f: (pfn: number, order: number) => void): void {
  let pfn = start;
  while (pfn < end) {
    let o = 0;
    while (o < maxOrder && pfn % 2 ** (o + 1) === 0 && pfn + 2 ** (o + 1) <= end) o++;
    f(pfn, o);
    pfn += 2 ** o;
  }
}

/**
 * Head pfn and order of the free block containing pfn, or null when pfn is not free, given the
 * page code at any pfn (undefined outside memory). Probes the aligned candidates order by order.
 */
export function findFreeBlock(pfn: number, maxOrder: number, codeAt: (pfn: number) => number | undefined): { head: number; order: number } | null {
  for (let o = 0; o <= maxOrder; o++) {
    const head = pfn - (pfn % 2 ** o);
    const c = codeAt(head);
    if (c === undefined || c >= 0) return null;
    const ho = headOrder(c);
    if (ho >= o) return { head, order: ho };
    if (ho >= 0) return null; // a smaller free block ends before pfn
  }
  return null;
}
