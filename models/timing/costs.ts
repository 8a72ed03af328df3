/**
 * Every duration the models charge, in integer nanoseconds. Defaults are calibrated to the
 * published figures of the reference (§3, §7); where no figure is published the comment says
 * "assumption" and why the value is plausible. A scenario overrides any field via mergeCosts.
 */
export interface Costs {
  /** Waking the next waiter of a mutex (hand-off to a sleeping task). */
  readonly lockHandoff: number;
  /** Setting one pageblock MIGRATE_ISOLATE and moving its free pages to the isolate list. */
  readonly isolatePerPageblock: number;
  /** lru_add_drain_all + drain_all_pages before migration (IPIs to every CPU). */
  readonly drain: number;
  /** Migrating one clean page-cache page (when not dropped). */
  readonly migratePagecacheClean: number;
  /** Migrating one dirty page-cache page. */
  readonly migratePagecacheDirty: number;
  /** Migrating one anonymous page. */
  readonly migrateAnon: number;
  /** Dropping (invalidating) one clean page-cache page instead of migrating it. */
  readonly dropPerCleanPage: number;
  /** Reclaim looking at one LRU entry (isolate_lru_pages, flag and reference checks, rotation). */
  readonly reclaimScanPerPage: number;
  /** Reclaim freeing one clean page-cache page (shrink_page_list: unmap from the file, free). */
  readonly reclaimFreePerPage: number;
  /** Zone lock (zone->lock) held per page a migration pass moves out (the target's buddy allocation, the source's free). */
  readonly zoneLockPerPage: number;
  /** LRU lock (lruvec->lru_lock) held per page a migration pass takes off the LRU and puts back. */
  readonly lruLockPerPage: number;
  /** Failing to migrate one pinned page (refcount check and putback). */
  readonly busyPerPage: number;
  /** Returning one page to the buddy allocator (cma_release / free_contig_range). */
  readonly releasePerPage: number;
  /** Copying one page when defragmentation moves a chunk. */
  readonly copyPerPage: number;
  /** Scanning one bitmap word (64 bits) when searching an area. */
  readonly searchPerWord: number;
  /** test_pages_isolated over one pageblock. */
  readonly testIsolatedPerPageblock: number;
  /** Taking the isolated free pages of one pageblock out of the buddy allocator. */
  readonly takePerPageblock: number;
}

const PAGES_PER_MIB = 256; // 4 KiB pages
const NS_PER_MS = 1_000_000;

/**
 * Migration per page: §7 per-area locks (2025), 10 GiB of hugetlb CMA on x86 in about 7 s, i.e.
 * ~0.7 ms per MiB = 0.7e6 / 256 ≈ 2734 ns per page for the whole alloc_contig_range. The GCMA RFC
 * (§7) gives ~1.2 ms for 512 pages (≈ 2344 ns/page) on ARMv7 under load, consistent with it.
 */
const MIGRATE_PER_PAGE = Math.round((0.7 * NS_PER_MS) / PAGES_PER_MIB);

/**
 * Drop vs migrate: §3 (2012 change), 10 MiB took 146 ms migrated and 7 ms dropped under QEMU.
 * QEMU's absolute numbers are slow, so only the ratio 7/146 is used, applied to MIGRATE_PER_PAGE.
 */
const DROP_PER_PAGE = Math.round((MIGRATE_PER_PAGE * 7) / 146);

export const DEFAULT_COSTS: Costs = Object.freeze({
  // Assumption: a futex wake-up plus a context switch, a few µs on current hardware.
  lockHandoff: 5_000,
  // Assumption: set_migratetype_isolate takes the zone lock and walks one pageblock of struct pages.
  isolatePerPageblock: 2_000,
  // Assumption: IPIs to all CPUs and flushing per-CPU lists, tens of µs.
  drain: 20_000,
  migratePagecacheClean: MIGRATE_PER_PAGE,
  // Assumption: no published split by page kind; dirty page cache migrates at the same cost.
  migratePagecacheDirty: MIGRATE_PER_PAGE,
  migrateAnon: MIGRATE_PER_PAGE,
  dropPerCleanPage: DROP_PER_PAGE,
  // Assumption: isolate_lru_pages takes an entry off the LRU under the LRU lock and tests its
  // flags; with the rotation back, a few cache misses, ~50 ns. No published per-page figure: the
  // memcg vmscan_stat commit (82f9d486e59f, 2011) reports 9.47 M pages scanned in 351 s of
  // reclaim under `make -j 6`, 37 µs per page, but that time includes swap I/O and sleeps, so it
  // is only an upper bound.
  reclaimScanPerPage: 50,
  // Freeing a clean page-cache page is what dropping one does (reclaim_clean_pages_from_list runs
  // shrink_page_list, the reclaim path): the §3 drop cost, 7/146 of a migration.
  reclaimFreePerPage: DROP_PER_PAGE,
  // Assumption: __rmqueue for the target plus __free_one_page for the source, each a few cache
  // misses on the free lists (~50 ns), when the per-CPU lists refill or drain in batches under
  // zone->lock. No published per-page hold time; part of the migration cost, not on top of it.
  zoneLockPerPage: 100,
  // Assumption: clearing PG_lru and list_move under lru_lock in isolate_migratepages_block, then
  // again in putback (~50 ns each). No published per-page hold time; part of the migration cost.
  lruLockPerPage: 100,
  // Assumption: a failed migration attempt of one page is cheaper than a copy.
  busyPerPage: 500,
  // §7: freeing 16,384 pages took about 1.4 ms => 1.4e6 / 16384 ≈ 85 ns per page.
  releasePerPage: Math.round((1.4 * NS_PER_MS) / 16_384),
  // Assumption: memcpy of 4 KiB at ~4 GB/s.
  copyPerPage: 1_000,
  // Assumption: find_next_zero_bit over one 64-bit word.
  searchPerWord: 5,
  // Assumption: test_pages_isolated walks one pageblock's free lists, ~1 µs.
  testIsolatedPerPageblock: 1_000,
  // Assumption: isolate_freepages_range over one pageblock, ~2 µs.
  takePerPageblock: 2_000,
});

export const COST_FIELDS = Object.keys(DEFAULT_COSTS) as readonly (keyof Costs)[];

/**
 * DEFAULT_COSTS with `overrides` applied. Throws a one-line error naming the field when a key is
 * unknown or a value is not a non-negative integer of nanoseconds.
 */
export function mergeCosts(overrides: Readonly<Record<string, unknown>> = {}, where = 'costs'): Costs {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error(`${where}: expected an object of integer nanoseconds`);
  }
  const out: Record<string, number> = { ...DEFAULT_COSTS };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in DEFAULT_COSTS)) throw new Error(`${where}.${k}: unknown cost field (expected one of ${COST_FIELDS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new Error(`${where}.${k}: expected a non-negative integer of nanoseconds, got ${JSON.stringify(v)}`);
    }
    out[k] = v;
  }
  return Object.freeze(out) as unknown as Costs;
}
