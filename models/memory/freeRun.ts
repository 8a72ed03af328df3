/**
 * Freeing a run of order-0 pages at once, with the result of freeing them one by one.
 *
 * Freeing the pages of an aligned block B (order k, inside one pageblock) in ascending order, when
 * all of them are in use, goes: each page completes the sub-block of B it ends, which merges with
 * the lower halves already free inside B (their buddies) and stops at the upper half, still in use;
 * the last page merges up to all of B and goes on merging outside B exactly as a free of B as one
 * block would (buddy.ts freeBlock at order k). The blocks formed inside B on the way are pushed on
 * B's pageblock's head list and popped from its end (each sub-block is freed after every larger one
 * before it), so they leave the heads, counts and page codes as they were; what they leave behind:
 * - the pageblock's order bits: bits 0..k-1 set when the pageblock had other free heads; all
 *   cleared when it had none (the head list empties as the last merge pops the last of them);
 * - the search hints (mutMemory.ts MemMut.hints) of orders 0..k-1 of B's list lowered to B's
 *   pageblock, as each push lowers them.
 * So each block costs its O(k) of those plus one freeBlock, whatever its size. Blocks above a
 * pageblock are left to freeBlock's merges, pageblock by pageblock: their merges cross pageblocks
 * of possibly different types and banks, which freeBlock already decides one step at a time.
 */
import { eachAlignedBlock } from './blocks.ts';
import { freeBlock } from './buddy.ts';
import { hintKey, pbIndexIn, pbRead, pbWrite, type MemMut } from './mutMemory.ts';
import { MT_INDEX } from './state.ts';

/**
 * Free the order-0 pages pfn, pfn + 1, .., pfn + count - 1, which must all be in use (code >= 0),
 * leaving the free lists, their heads' order, merges, counters, page codes, pageblock order bits
 * and search hints as `count` calls of freeBlock(m, page, 0) in that order would. The caller keeps
 * its own counters (zone `used`, records) as it would page by page. Cost follows the number of
 * aligned blocks the run holds (and the merges they make), not its pages.
 */
export function freeRun(m: MemMut, pfn: number, count: number): void {
  eachAlignedBlock(pfn, pfn + count, Math.min(m.maxOrder, m.pbOrder), (head, k) => {
    if (k > 0) pushedAndPopped(m, head, k);
    freeBlock(m, head, k);
  });
}

/** What the blocks formed inside the block [head, head + 2^k) leave when its pages are freed one by one (see the header). */
function pushedAndPopped(m: MemMut, head: number, k: number): void {
  const pbi = pbIndexIn(m.banks, m.pbOrder, head);
  const pb = pbRead(m, pbi);
  const mi = MT_INDEX[pb.mt];
  for (let o = 0; o < k; o++) {
    const hk = hintKey(pb.zone, mi, o);
    if (pbi < m.hints[hk]) m.hints[hk] = pbi;
  }
  const orders = pb.heads.length === 0 ? 0 : pb.orders | ((1 << k) - 1);
  if (orders !== pb.orders) pbWrite(m, pbi).orders = orders;
}

/** Pages to free, gathered in the order they are freed (runFreer). */
export interface RunFreer {
  /** Free the in-use page at pfn after those given before (now, or with the run it continues). */
  free(pfn: number): void;
  /** Free the pages still gathered: call before anything reads the free lists, and at the end. */
  flush(): void;
}

/**
 * Gathers order-0 pages freed one after another into runs of consecutive pfns and frees each run
 * with freeRun when the next page does not continue it, or at flush. Between the two the pages
 * are still in use as far as the buddy allocator knows: nothing may read the free lists (an
 * allocation, a free-block lookup) until flush.
 */
export function runFreer(m: MemMut): RunFreer {
  let start = -1, n = 0;
  const flush = (): void => {
    if (n > 0) freeRun(m, start, n);
    n = 0;
  };
  return {
    free(pfn: number): void {
      if (n > 0 && pfn === start + n) { n++; return; }
      flush();
      start = pfn;
      n = 1;
    },
    flush,
  };
}
