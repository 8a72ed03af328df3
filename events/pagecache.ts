/**
 * Page-cache events: reads that fault pages in, dirtying, and writeback (models/pagecache).
 * A run of pages is [index, index + count), count defaulting to 1.
 */
import type { SchemaFor } from './schema.ts';

/**
 * A read of `file` at page `index` with readahead: every page of the run not cached yet is
 * allocated (movable, may land in CMA) and inserted at the LRU tail; cached pages are marked
 * referenced. When memory cannot be found even after reclaim, the rest of the run is skipped and
 * 'pagecache.fault.failed' is emitted.
 */
export interface PageCacheFaultEvent {
  readonly type: 'pagecache.fault';
  readonly file: string;
  readonly index: number;
  /** Pages read (the faulting page plus readahead). */
  readonly count?: number;
}

/** Mark cached pages of the run dirty (a write). The flusher writes them back later (models/pagecache/writeback.ts). */
export interface PageCacheDirtyEvent {
  readonly type: 'pagecache.dirty';
  readonly file: string;
  readonly index: number;
  readonly count?: number;
}

/** Start writeback of the dirty pages of the run: they become clean and under writeback. */
export interface PageCacheWritebackStartEvent {
  readonly type: 'pagecache.writeback.start';
  readonly file: string;
  readonly index: number;
  readonly count?: number;
}

/** Writeback of the run completed (scheduled by writeback.start once the device has written its pages). */
export interface PageCacheWritebackDoneEvent {
  readonly type: 'pagecache.writeback.done';
  readonly file: string;
  readonly index: number;
  readonly count?: number;
}

/** Drop clean, unpinned cached pages of the run (truncate, fadvise DONTNEED, drop_caches). */
export interface PageCacheEvictEvent {
  readonly type: 'pagecache.evict';
  readonly file: string;
  readonly index: number;
  readonly count?: number;
}

/** Emitted by the model when a fault could not get memory. */
export interface PageCacheFaultFailedEvent {
  readonly type: 'pagecache.fault.failed';
  readonly file: string;
  readonly index: number;
  readonly reason: string;
}

/**
 * Emitted by the model: a batch of kswapd's reclaim, or the end of its short sleep
 * (models/pagecache/kswapd.ts; kernel profiles with kswapd a thread). `gen` is kswapd's run it
 * belongs to; an event of an earlier run is ignored.
 */
export interface PageCacheKswapdEvent {
  readonly type: 'pagecache.kswapd';
  readonly gen: number;
}

/**
 * Emitted by the model: the flusher's background writeback submits the oldest dirty inodes while
 * the request queue has room (models/pagecache/flusher.ts; kernel profiles with background
 * writeback of the oldest inodes). `gen` as for pagecache.kswapd.
 */
export interface PageCacheFlushEvent {
  readonly type: 'pagecache.flush';
  readonly gen: number;
}

export type PageCacheEvent =
  | PageCacheFaultEvent
  | PageCacheDirtyEvent
  | PageCacheWritebackStartEvent
  | PageCacheWritebackDoneEvent
  | PageCacheEvictEvent
  | PageCacheFaultFailedEvent
  | PageCacheKswapdEvent
  | PageCacheFlushEvent;

const run = { file: 'string', index: 'index', count: '?count' } as const;
export const pagecacheEventSchema: SchemaFor<PageCacheEvent> = {
  'pagecache.fault': run,
  'pagecache.dirty': run,
  'pagecache.writeback.start': run,
  'pagecache.writeback.done': run,
  'pagecache.evict': run,
  'pagecache.fault.failed': { file: 'string', index: 'index', reason: 'string' },
  'pagecache.kswapd': { gen: 'uint' },
  'pagecache.flush': { gen: 'uint' },
};
