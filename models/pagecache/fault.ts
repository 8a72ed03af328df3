import { allocWithReclaim } from './reclaim.ts';
import { insertPage, lookupPage, setPcFlags } from './pageOps.ts';
import { codeAt, memStats, type MemMut } from '../memory/mutMemory.ts';
import { pcFlags, PC_REFERENCED } from '../memory/pageCode.ts';
import { stats, type PcMut } from './mutPagecache.ts';

export interface FaultResult {
  readonly hits: number;
  readonly misses: number;
  /** Index whose page could not be allocated (the rest of the run was skipped), or -1. */
  readonly failedAt: number;
  /** The pages read in from the device, as [index, count] runs. */
  readonly reads: readonly (readonly [number, number])[];
}

/**
 * Read [index, index + count) of `file` into the page cache: missing pages are allocated (movable,
 * with reclaim) and inserted at the LRU tail; cached pages are marked referenced (mark_page_accessed).
 */
export function faultPages(m: MemMut, p: PcMut, file: string, index: number, count: number): FaultResult {
  let hits = 0, misses = 0;
  const reads: [number, number][] = [];
  for (let i = index; i < index + count; i++) {
    const pfn = lookupPage(p, file, i);
    if (pfn >= 0) {
      hits++;
      if (!(pcFlags(codeAt(m, pfn)) & PC_REFERENCED)) setPcFlags(m, p, pfn, PC_REFERENCED, 0);
      continue;
    }
    const to = allocWithReclaim(m, p, { mt: 'MOVABLE', order: 0 });
    if (to < 0) {
      stats(p).allocFailures += 1;
      memStats(m).allocFailures += 1;
      return { hits, misses, failedAt: i, reads };
    }
    insertPage(m, p, file, i, to);
    misses++;
    const last = reads[reads.length - 1];
    if (last !== undefined && last[0] + last[1] === i) last[1]++;
    else reads.push([i, 1]);
  }
  return { hits, misses, failedAt: -1, reads };
}
