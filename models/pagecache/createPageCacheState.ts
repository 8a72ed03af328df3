import type { PageCacheState } from './state.ts';
import { DIRTY_BACKGROUND_RATIO, DIRTY_EXPIRE_NS, defaultWritebackPerPageNs } from './writeback.ts';
import { defaultReadPerPageNs } from './io.ts';
import { initialBdi } from './congestion.ts';
import { initialKswapd } from './kswapd.ts';
import { initialFlusher } from './flusher.ts';

export interface PageCacheConfig {
  /** Nanoseconds from dirtying to writeback start (default 30 s, dirty_expire_centisecs); null: writeback only when asked (pagecache.writeback.start) or over the background threshold. */
  readonly dirtyExpireNs?: number | null;
  /** Percent of dirtyable memory above which dirtied pages are written back at once (default 10, dirty_background_ratio); null: no background writeback. */
  readonly dirtyBackgroundRatio?: number | null;
  /** Nanoseconds for one page's writeback I/O (default: the kernel's initial bandwidth estimate INIT_BW, 100 MiB/s; 39,063 ns for 4 KiB pages). */
  readonly writebackPerPageNs?: number;
  /** Nanoseconds to read one page in (default: INIT_BW as for writeback, 39,063 ns for 4 KiB pages); the pages a fault reads stay locked until the read ends. */
  readonly readPerPageNs?: number;
  /** LRU entries one reclaim may scan per page requested (default 32). */
  readonly scanPerPage?: number;
}

function nonNegInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${where}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

/** A default when absent, off when null, else checked. */
function optional(v: number | null | undefined, dflt: number, where: string): number | null {
  return v === undefined ? dflt : v === null ? null : nonNegInt(v, where);
}

/** The kernel profile's mechanisms the page cache keeps state for. */
export interface PageCacheMechanisms {
  /** Keep the device's write requests and congested state (a kernel that throttles reclaim on them). */
  readonly congestion?: boolean;
  /** kswapd as a thread (kswapd.ts). */
  readonly kswapdThread?: boolean;
  /** Background writeback of the oldest inodes (flusher.ts); keeps the request queue as well. */
  readonly oldestInodes?: boolean;
}

export function createPageCacheState(cfg: PageCacheConfig, where = 'pagecache', pageSize = 4096, mech: PageCacheMechanisms = {}): PageCacheState {
  if (typeof cfg !== 'object' || cfg === null) throw new Error(`${where}: expected an object`);
  const dirtyExpireNs = optional(cfg.dirtyExpireNs, DIRTY_EXPIRE_NS, `${where}.dirtyExpireNs`);
  const dirtyBackgroundRatio = optional(cfg.dirtyBackgroundRatio, DIRTY_BACKGROUND_RATIO, `${where}.dirtyBackgroundRatio`);
  if (dirtyBackgroundRatio !== null && dirtyBackgroundRatio > 100) throw new Error(`${where}.dirtyBackgroundRatio: expected a percentage 0..100, got ${dirtyBackgroundRatio}`);
  const writebackPerPageNs = cfg.writebackPerPageNs === undefined ? defaultWritebackPerPageNs(pageSize) : nonNegInt(cfg.writebackPerPageNs, `${where}.writebackPerPageNs`);
  const readPerPageNs = cfg.readPerPageNs === undefined ? defaultReadPerPageNs(pageSize) : nonNegInt(cfg.readPerPageNs, `${where}.readPerPageNs`);
  const scanPerPage = cfg.scanPerPage === undefined ? 32 : nonNegInt(cfg.scanPerPage, `${where}.scanPerPage`);
  if (scanPerPage < 1) throw new Error(`${where}.scanPerPage: must be at least 1`);
  return {
    config: { dirtyExpireNs, dirtyBackgroundRatio, writebackPerPageNs, readPerPageNs, scanPerPage },
    files: {},
    fileNames: [],
    slots: {},
    lru: { head: 0, tail: 0, chunks: {} },
    counts: { nrPages: 0, nrDirty: 0, nrWriteback: 0 },
    reclaim: { freeable: 0, freeableCma: 0, refChunks: {}, pbFreeable: {} },
    stats: { faults: 0, hits: 0, misses: 0, reclaimed: 0, dropped: 0, migrated: 0, allocFailures: 0, writebacks: 0 },
    writebackBusyUntil: 0,
    io: {},
    ...(mech.congestion ? { bdi: initialBdi() } : mech.oldestInodes ? { bdi: { ...initialBdi(), reclaimWaits: false as const } } : {}),
    ...(mech.kswapdThread ? { kswapd: initialKswapd() } : {}),
    ...(mech.oldestInodes ? { flusher: initialFlusher() } : {}),
  };
}
