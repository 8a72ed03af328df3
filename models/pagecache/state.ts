/**
 * The page cache: files of pages (index -> pfn), one LRU, dirty and writeback counts.
 * The chunk maps (file indices, LRU, slots) are grouped (models/memory/recOverlay.ts Grouped), so
 * a batch copies the groups it writes, not whole maps.
 * File maps and LRU chunks hold extents (runs of consecutive pfns, models/pagecache/extents.ts).
 * The file index and LRU position of each page-cache page live in per-pageblock extents (`slots`)
 * next to the memory model's page codes, which hold the file id and the dirty, writeback and
 * referenced flags. Chunks are CHUNK entries long.
 */
import type { Grouped } from '../memory/recOverlay.ts';
import type { FlusherState } from './flusher.ts';
import type { KswapdState } from './kswapd.ts';

/**
 * File indices per file chunk. Every chunk written in a batch is copied whole and kept by that
 * batch's snapshot; a chunk holds at most one run per index, so its size bounds that copy even
 * when the pages are scattered.
 */
export const CHUNK = 128;

/** LRU positions per LRU chunk. */
export const LRU_CHUNK = CHUNK;

export interface FileState {
  readonly id: number;
  readonly nrPages: number;
  /**
   * Chunk k = floor(index / CHUNK), grouped (recGet(chunks, k)): the cached indices of
   * [k * CHUNK, (k + 1) * CHUNK) as extents, runs [index, pfn, count, ...] (models/pagecache/extents.ts);
   * a chunk with no cached index is absent.
   */
  readonly chunks: Grouped<readonly number[]>;
}

/**
 * The LRU as a queue of positions [head, tail), each holding a pfn, or none once its page left
 * the cache (a position still counts towards a scan: reclaim steps over it). Reclaim scans from
 * head (oldest); a referenced page gets a second chance at the tail (CLOCK, like the kernel's
 * PG_referenced / inactive list rotation).
 */
export interface LruState {
  readonly head: number;
  readonly tail: number;
  /**
   * Chunk floor(pos / LRU_CHUNK), grouped (recGet): the chunk's positions as extents (position
   * runs [pos, pfn, count, ...], models/pagecache/extents.ts), so pages appended in pfn order are
   * one run. Positions before head may still be written until their chunk is consumed; a chunk
   * with no position written is absent.
   */
  readonly chunks: Grouped<readonly number[]>;
}

export interface PageCacheSettings {
  /** Delay from a page becoming dirty to its writeback starting (dirty_expire); null: only on request. */
  readonly dirtyExpireNs: number | null;
  /** Percent of dirtyable memory above which dirtied pages are written back at once (dirty_background_ratio); null: never. */
  readonly dirtyBackgroundRatio: number | null;
  /** Device time to write one page; runs are written one after another (see writeback.ts). */
  readonly writebackPerPageNs: number;
  /** Device time to read one page: a fault's missing pages stay locked that long per page (see io.ts). */
  readonly readPerPageNs: number;
  /** Most LRU entries one reclaim scans per page asked for (bounds the work of one event). */
  readonly scanPerPage: number;
}

export interface PageCacheStats {
  readonly faults: number;
  readonly hits: number;
  readonly misses: number;
  readonly reclaimed: number;
  readonly dropped: number;
  readonly migrated: number;
  readonly allocFailures: number;
  readonly writebacks: number;
}

export interface PageCacheCounts {
  readonly nrPages: number;
  readonly nrDirty: number;
  readonly nrWriteback: number;
}

/**
 * What lets a reclaim pass that covers the whole LRU but can free nothing (every page dirty,
 * under writeback, pinned, referenced or passed over as CMA) skip its walk: that pass only clears
 * the referenced bits and rotates every entry in order, so the order does not change.
 */
export interface ReclaimIndex {
  /** LRU pages reclaim would free on sight: clean, not under writeback, unpinned, not referenced. */
  readonly freeable: number;
  /** Those of them in MIGRATE_CMA pageblocks (passed over by skip_cma reclaim). */
  readonly freeableCma: number;
  /** LRU chunk key (position / LRU_CHUNK) -> referenced pages at positions in it; positive counts only. */
  readonly refChunks: Readonly<Record<string, number>>;
  /**
   * Freeable pages per pageblock, in groups of PB_GROUP pageblocks: pbFreeable[String(i / PB_GROUP)][i % PB_GROUP]
   * (a group appears once one of its pageblocks held a freeable page). Isolation reads it to move
   * a pageblock's pages out of freeableCma and back.
   */
  readonly pbFreeable: Readonly<Record<string, readonly number[]>>;
}

export const PB_GROUP = 64;

/**
 * A run of one file's pages with I/O in flight (models/pagecache/io.ts): a read that faulted them
 * in (the pages stay locked until it completes) or their writeback. `doneAt` is when the device
 * finishes the run, integer ns.
 */
export interface IoRun {
  /** 'ref': a transient reference (a reader's batch being copied to user space), held from `from`. */
  readonly op: 'read' | 'write' | 'ref';
  readonly index: number;
  readonly count: number;
  readonly doneAt: number;
  readonly from?: number;
}

/**
 * The block device's write request queue (models/pagecache/congestion.ts), kept only by kernels
 * that throttle reclaim on its congestion (profile field reclaimThrottle).
 */
export interface BdiState {
  /** q->nr_requests. */
  readonly nrRequests: number;
  /** Completion times of the write requests in flight, ascending (the device writes in order). */
  readonly writes: readonly number[];
  /** The async side's congested flag as of the last submission (blk_set_queue_congested / blk_clear_queue_congested). */
  readonly congested: boolean;
  /** false: kept for the flusher's background writeback only; reclaim does not sleep on it (reclaimThrottle none). */
  readonly reclaimWaits?: false;
}

export interface PageCacheState {
  readonly config: PageCacheSettings;
  readonly files: Readonly<Record<string, FileState>>;
  /** File id -> name. */
  readonly fileNames: readonly string[];
  /**
   * Pageblock index -> where its page-cache pages are cached and queued, grouped (recGet): extents
   * keyed by page offset with two values (models/pagecache/extents.ts, w = 2), runs
   * [offset, fileIndex, lruPos, count, ...]; a pageblock with no page-cache page has none.
   */
  readonly slots: Grouped<readonly number[]>;
  readonly lru: LruState;
  readonly counts: PageCacheCounts;
  readonly reclaim: ReclaimIndex;
  readonly stats: PageCacheStats;
  /** Time the device finishes the writeback queued so far (writeback.ts). */
  readonly writebackBusyUntil: number;
  /** File name -> runs with read or write I/O in flight (io.ts); a file with none has no entry. */
  readonly io: Readonly<Record<string, readonly IoRun[]>>;
  /** The device's write requests and congestion; absent unless the kernel throttles reclaim on it or writes back in bursts. */
  readonly bdi?: BdiState;
  /** kswapd as a thread of its own (kswapd.ts); absent: it runs inside the allocation that wakes it. */
  readonly kswapd?: KswapdState;
  /** The flusher's background writeback of the oldest inodes (flusher.ts); absent: over the threshold each dirtied run is written. */
  readonly flusher?: FlusherState;
}
