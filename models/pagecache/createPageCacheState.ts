import type { PageCacheState } from './state.ts';

export interface PageCacheConfig {
  /** Nanoseconds from dirtying to writeback start; null or absent: writeback only when asked (pagecache.writeback.start). */
  readonly dirtyExpireNs?: number | null;
  /** Nanoseconds for one page's writeback I/O (default 100 µs: assumption, a fast SSD write of 4 KiB under load). */
  readonly writebackPerPageNs?: number;
  /** LRU entries one reclaim may scan per page requested (default 32). */
  readonly scanPerPage?: number;
}

function nonNegInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${where}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

export function createPageCacheState(cfg: PageCacheConfig, where = 'pagecache'): PageCacheState {
  if (typeof cfg !== 'object' || cfg === null) throw new Error(`${where}: expected an object`);
  const dirtyExpireNs = cfg.dirtyExpireNs === undefined || cfg.dirtyExpireNs === null ? null : nonNegInt(cfg.dirtyExpireNs, `${where}.dirtyExpireNs`);
  const writebackPerPageNs = cfg.writebackPerPageNs === undefined ? 100_000 : nonNegInt(cfg.writebackPerPageNs, `${where}.writebackPerPageNs`);
  const scanPerPage = cfg.scanPerPage === undefined ? 32 : nonNegInt(cfg.scanPerPage, `${where}.scanPerPage`);
  if (scanPerPage < 1) throw new Error(`${where}.scanPerPage: must be at least 1`);
  return {
    config: { dirtyExpireNs, writebackPerPageNs, scanPerPage },
    files: {},
    fileNames: [],
    slots: {},
    lru: { head: 0, tail: 0, chunks: {} },
    counts: { nrPages: 0, nrDirty: 0, nrWriteback: 0 },
    reclaim: { freeable: 0, freeableCma: 0, refChunks: {}, pbFreeable: {} },
    stats: { faults: 0, hits: 0, misses: 0, reclaimed: 0, dropped: 0, migrated: 0, allocFailures: 0, writebacks: 0 },
  };
}
