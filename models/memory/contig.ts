/**
 * The contiguous-range API the CMA model builds on (alloc_contig_range's pieces, reference §3).
 * Functions taking a Draft<SimState> mutate it in place (call them from reducers); the others are
 * pure reads that accept a MemoryState or anything holding one (`{ memory }`: SimState or a draft).
 * Ranges are half-open [startPfn, endPfn). Signatures are stable: new things get added, not changed.
 */
import type { Draft } from 'immer';
import type { SimState } from '../state.ts';
import type { Costs } from '../timing/costs.ts';
import type { SealCtx } from './mutMemory.ts';
import type { MemoryState, Migratetype, ZoneCounters } from './state.ts';
import type { PageKindName } from './pageCode.ts';

export type MemoryLike = MemoryState | { readonly memory: MemoryState };

/** What one migration pass did to the in-use pages of a range. Counts are in pages. */
export interface MigrationOutcome {
  /** Movable pages moved to free pages outside the range. */
  readonly migrated: number;
  /** Clean page-cache pages dropped instead (discardClean). */
  readonly dropped: number;
  /** Pinned pages (short- or long-term): migration fails, retried by the caller. */
  readonly busy: number;
  /** Pages under writeback: not moved in this pass; the caller waits and runs another pass. */
  readonly writeback: number;
  /** When the flusher finishes the last of those pages (ns; 0 when none). */
  readonly writebackDoneAt: number;
  /** Page-cache pages locked under read I/O (just faulted in): not moved in this pass; the caller waits. */
  readonly locked: number;
  /** When the last of those reads completes (ns; 0 when none). */
  readonly lockedDoneAt: number;
  /** Movable pages with no free page to move into (-ENOMEM if it persists). */
  readonly failed: number;
  /** Unmovable, reclaimable-slab or taken pages in the range: they can never move. */
  readonly unmovable: number;
  /** In-use pages left in the range after the pass. */
  readonly remaining: number;
  /** Modelled duration of the pass (costs of migrations, drops, busy pages and reclaimNs). */
  readonly durationNs: number;
  /** Part of durationNs spent in reclaim (kswapd and direct) to find pages to migrate into. */
  readonly reclaimNs: number;
  /** Sleeps of the direct reclaim run in the pass on a congested device (3.17 wait_iff_congested; not in durationNs: no CPU work). */
  readonly throttleNs: number;
  /** First pfn of each page (folio) that did not move, ascending. */
  readonly notMoved: readonly number[];
}

export interface MigrateOptions {
  readonly discardClean: boolean;
  readonly costs: Costs;
  /** The reducer's context, so the memory overlays are frozen at commit (see mutMemory). */
  readonly ctx?: SealCtx;
  /** Time of the pass (ns), to find when the I/O in flight on a page ends; absent: no page counts as locked under read I/O. */
  readonly now?: number;
}

/** What the allocator knows about one page. */
export interface PageInfo {
  readonly pfn: number;
  readonly kind: PageKindName;
  readonly migratetype: Migratetype;
  /** For free pages: order of the buddy block containing the page; its head pfn. */
  readonly freeOrder: number | null;
  readonly freeHead: number | null;
  /** Allocation id (memory.alloc), owner tag of taken/reserved pages, or file name of page cache. */
  readonly owner: string | null;
  /** Page-cache file id (index into pagecache.fileNames) and dirty/writeback flags. */
  readonly fileId: number | null;
  readonly dirty: boolean;
  readonly writeback: boolean;
  readonly pins: number;
}

/** Per-zone counters in pages (/proc/meminfo CmaTotal/CmaFree, MemFree, ...). */
export interface ZoneCountersView extends ZoneCounters {
  readonly name: string;
  readonly managed: number;
  readonly free: number;
  readonly cmaTotal: number;
  readonly cmaFree: number;
  readonly freeByMigratetype: Readonly<Record<Migratetype, number>>;
  readonly watermarkLow: number;
}

export { reserveRange } from './reserveRange.ts';
export { isolateRange, undoIsolateRange } from './isolate.ts';
export { migrateRange } from './migrateRange.ts';
export { takeRange, releaseRange } from './takeRange.ts';
export {
  pageblockOf, pageblockRange, migratetypeOf, pageState, freePagesIn, cmaFreePages, cmaTotalPages,
  totalFreePages, zoneCounters, testPagesIsolated, bankOf, freeBlockOf,
} from './queries.ts';
export { filePfns, pagecacheOf, pfnOfFilePage, type PageCacheInfo } from '../pagecache/queries.ts';

export type { Draft, SimState };
