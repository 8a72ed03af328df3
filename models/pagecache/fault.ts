import { allocRun, usableFree, type AllocRequest } from '../memory/allocator.ts';
import { allocWithReclaim } from './reclaim.ts';
import { insertPage, insertRun, lookupPage, nextCachedIndex, setPcFlags } from './pageOps.ts';
import { codeAt, memStats, zoneRead, type MemMut } from '../memory/mutMemory.ts';
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

const PAGE: AllocRequest = { mt: 'MOVABLE', order: 0 };

/**
 * How many order-0 movable allocations in a row certainly wake no reclaim: before each,
 * allocWithReclaim reclaims when some zone's usable free pages are below its low watermark, and
 * each page taken lowers one zone's count by one (nothing frees pages in between).
 */
export function allocsWithoutReclaim(m: MemMut): number {
  let k = Infinity;
  for (let zi = 0; zi < m.baseZones.length; zi++) k = Math.min(k, usableFree(m, zi, true) - zoneRead(m, zi).watermark.low + 1);
  return k;
}

/** Pages [i, i + n) were read in: extend the last run of `reads` or start one. */
function noteRead(reads: [number, number][], i: number, n: number): void {
  const last = reads[reads.length - 1];
  if (last !== undefined && last[0] + last[1] === i) last[1] += n;
  else reads.push([i, n]);
}

/**
 * Read [index, index + count) of `file` into the page cache: missing pages are allocated (movable,
 * with reclaim) and inserted at the LRU tail; cached pages are marked referenced (mark_page_accessed).
 * A run of missing pages that no reclaim can interrupt is allocated as one run (allocRun: the
 * pages page-by-page allocation would give) and then inserted at once (insertRun): the same pages,
 * in the same order, with the same result.
 */
export function faultPages(m: MemMut, p: PcMut, file: string, index: number, count: number): FaultResult {
  let hits = 0, misses = 0;
  const reads: [number, number][] = [];
  const end = index + count;
  for (let i = index; i < end;) {
    const pfn = lookupPage(p, file, i);
    if (pfn >= 0) {
      hits++;
      if (!(pcFlags(codeAt(m, pfn)) & PC_REFERENCED)) setPcFlags(m, p, pfn, PC_REFERENCED, 0);
      i++;
      continue;
    }
    const j = nextCachedIndex(p, file, i + 1, end);
    // Missing pages [i, j): lookups of them stay negative, whatever reclaim frees meanwhile.
    while (i < j) {
      const safe = Math.min(j - i, allocsWithoutReclaim(m));
      if (safe >= 2) {
        // Short only where an allocation failed, which changed nothing: the exact path below takes over.
        const pages = allocRun(m, PAGE, safe);
        insertRun(m, p, file, i, pages);
        noteRead(reads, i, pages.length);
        i += pages.length;
        misses += pages.length;
        if (pages.length === safe) continue;
      }
      const to = allocWithReclaim(m, p, PAGE);
      if (to < 0) {
        stats(p).allocFailures += 1;
        memStats(m).allocFailures += 1;
        return { hits, misses, failedAt: i, reads };
      }
      insertPage(m, p, file, i, to);
      noteRead(reads, i, 1);
      misses++;
      i++;
    }
  }
  return { hits, misses, failedAt: -1, reads };
}
