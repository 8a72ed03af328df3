/**
 * Where a migration batch ends: isolate_migratepages_range collects in-use pages from the cursor
 * until it has a batch (COMPACT_CLUSTER_MAX) or reaches the end of the range; free blocks are
 * skipped whole. Reads memory through its own overlay so writes earlier in the batch are seen.
 */
import { mutMemory, pbIndexIn, pbRead } from '../memory/mutMemory.ts';
import { headOrder, K_ANON, kindOf } from '../memory/pageCode.ts';
import type { D } from './access.ts';

export function batchEnd(d: D, from: number, end: number, batch: number): { end: number; inUse: number } {
  const m = mutMemory(d.memory);
  let n = 0;
  let pfn = from;
  while (pfn < end) {
    const pb = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn));
    const first = pfn - (pfn & (m.pbPages - 1));
    const stop = Math.min(end, first + m.pbPages);
    if (pb.nrFree === m.pbPages) {
      pfn = stop;
      continue;
    }
    const pages = pb.pages;
    while (pfn < stop) {
      const code = pages[pfn - first];
      if (code < 0) {
        const o = headOrder(code);
        pfn += o > 0 ? 2 ** o : 1;
        continue;
      }
      n++;
      pfn++;
      if (n === batch) return { end: pfn, inUse: n };
    }
  }
  return { end, inUse: n };
}

/**
 * Anonymous pages in [s, e) (after a pass without -ENOMEM, the pinned ones left behind), read
 * through the same overlay: a page at a time through the draft, with free pages' blocks looked
 * up, was a fifth of a whole run of examples/basic.ts.
 */
export function anonPagesIn(d: D, s: number, e: number): number {
  const m = mutMemory(d.memory);
  let n = 0;
  for (let pfn = s; pfn < e;) {
    const pages = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).pages;
    const first = pfn - (pfn & (m.pbPages - 1));
    const stop = Math.min(e, first + m.pbPages);
    for (; pfn < stop; pfn++) if (kindOf(pages[pfn - first]) === K_ANON) n++;
  }
  return n;
}
