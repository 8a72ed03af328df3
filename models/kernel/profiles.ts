/**
 * One profile per modelled kernel. Each value names the kernel source it follows; README
 * "Kernel profiles" has the same table with the file of every cell.
 *
 * Sources read (through the project's search tools):
 * - mm/cma.c 5.10.13: one trace_cma_alloc(pfn, page, count, align) after the loop, `return NULL`
 *   without a trace for bitmap_count > bitmap_maxno, cma_mutex around alloc_contig_range, alignment
 *   PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order), memblock_alloc_range_nid top-down, no sysfs.
 * - mm/cma.c 6.1: trace_cma_alloc_start after the count checks, `goto out` for an oversize request
 *   (start line only, but out: counts CMA_ALLOC_FAIL and alloc_pages_fail), `int ret = -ENOMEM`.
 * - mm/cma.c before the multi-range rework (6.11-6.14, __cma_alloc): start traced first, an
 *   oversize request `return page` (no finish, not counted), `int ret = -ENOMEM`, cma_mutex.
 * - mm/cma.c after it (cma_range_alloc, 6.15+): `int ret = -EBUSY`, oversize `goto out` then
 *   __cma_alloc traces finish (pfn 0) and counts it, `count > cma->available_count` stops at once,
 *   per-area cma->alloc_mutex (6.18), trace_cma_alloc_start(name, count, available_count, count, align).
 * - mm/page_alloc.c 3.5: fallbacks[MIGRATE_MOVABLE] = { MIGRATE_CMA, RECLAIMABLE, UNMOVABLE, RESERVE };
 *   4.1 moved CMA out of that list into __rmqueue_cma_fallback after the movable lists.
 * - mm/gup.c: FOLL_LONGTERM migrates out of CMA since 5.1 (check_and_migrate_cma_pages); 5.10: GFP_USER | __GFP_MOVABLE | __GFP_NOWARN; 5.13+:
 *   GFP_USER | __GFP_NOWARN (check_and_migrate_movable_pages).
 * - mm/page_alloc.c __alloc_contig_migrate_range: `++tries == 5` gives -EBUSY (5.10: the last
 *   negative ret), `if (ret == -ENOMEM) break` since the 2021 change that also made it plain -EBUSY;
 *   alloc_contig_range goes on to test_pages_isolated on -EBUSY (`ret && ret != -EBUSY`), 3.5 did
 *   `if (ret) goto done`. mm/compaction.c: pinned anonymous pages are not isolated (2014, 3.15).
 * - mm/vmscan.c skip_cma: added by 5da226dbfce3 (6.5), reverted by bfe0857c20c6 (6.11-rc7).
 */
import type { KernelProfile, KernelVersion, SysfsFile } from './profile.ts';

const SYSFS_5_14: readonly SysfsFile[] = ['alloc_pages_success', 'alloc_pages_fail'];
const SYSFS_6_10: readonly SysfsFile[] = [...SYSFS_5_14, 'release_pages_success'];
const SYSFS_6_15: readonly SysfsFile[] = [...SYSFS_6_10, 'total_pages', 'available_pages'];

const MAINLINE_6_1: KernelProfile = {
  version: '6.1',
  lockMode: 'split',
  noAttemptErrno: 'ENOMEM',
  oversizeTrace: 'start',
  oversizeCountsFail: true,
  availableEarlyStop: false,
  sysfsFiles: SYSFS_5_14,
  debugfsUsed: 'bitmap-weight',
  traceFormat: '6.1',
  cmaFallback: 'balance',
  discardClean: true,
  areaAlignment: 'pageblock',
  placement: 'bottom-up-above-4g',
  pinTarget: 'unmovable',
  skipCma: false,
  busyFallsThrough: true,
  enomemStops: true,
  skipPinnedAnon: true,
  defaultAllocator: 'bitmap',
  isolation: 'pageblock',
  fallbackClaim: 'move-free',
  claimCounts: 'free-and-alike',
  mergeRule: 'keep-types',
};

export const PROFILES: Readonly<Record<KernelVersion, KernelProfile>> = {
  // The 2010-2011 patch series: one mutex around cm_alloc/cm_free, no tracepoints, no sysfs.
  series: {
    ...MAINLINE_6_1, version: 'series', lockMode: 'series', oversizeTrace: 'none', oversizeCountsFail: false, sysfsFiles: [],
    traceFormat: 'none', cmaFallback: 'fallback-list', discardClean: false, areaAlignment: 'pageblock', placement: 'top-down',
    pinTarget: 'none', busyFallsThrough: false, enomemStops: false, skipPinnedAnon: false, defaultAllocator: 'best-fit',
    isolation: 'max-order', claimCounts: 'free',
  },
  // drivers/base/dma-contiguous.c + mm/page_alloc.c of 3.5: cma_mutex around the whole allocation,
  // no tracepoints, CMA first in fallbacks[], no discard of clean pages (3.8), alignment
  // PAGE_SIZE << max(MAX_ORDER, pageblock_order).
  '3.5': {
    ...MAINLINE_6_1, version: '3.5', lockMode: 'global', oversizeTrace: 'none', oversizeCountsFail: false, sysfsFiles: [],
    traceFormat: 'none', cmaFallback: 'fallback-list', discardClean: false, areaAlignment: 'max-order-plus-one',
    placement: 'top-down', pinTarget: 'none', busyFallsThrough: false, enomemStops: false, skipPinnedAnon: false, isolation: 'max-order',
    claimCounts: 'free',
  },
  // mm/cma.c of 3.16-3.17 (moved from drivers/base/dma-contiguous.c): a bitmap mutex per area and
  // cma_mutex around alloc_contig_range ('split'), no tracepoints (include/trace/events/cma.h came
  // later), alignment PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order); mm/page_alloc.c: CMA still
  // first in fallbacks[MIGRATE_MOVABLE] (4.1 moved it), clean page cache dropped (3.8+),
  // alloc_contig_range `if (ret) goto done` after __alloc_contig_migrate_range (the fall-through to
  // test_pages_isolated on -EBUSY came with its tracepoint, after 3.17); mm/compaction.c skips pinned
  // anonymous pages (3.15); mm/vmscan.c shrink_inactive_list ends direct reclaim with
  // wait_iff_congested(zone, BLK_RW_ASYNC, HZ/10) (3.11-3.x; models/pagecache/congestion.ts); kswapd a
  // thread of its own, woken below low, balancing to high (vmscan.c kswapd/balance_pgdat), with
  // direct reclaim below min (page_alloc.c __alloc_pages_slowpath; models/pagecache/kswapd.ts);
  // fs/fs-writeback.c background writeback of the oldest inodes (models/pagecache/flusher.ts).
  '3.17': {
    ...MAINLINE_6_1, version: '3.17', oversizeTrace: 'none', oversizeCountsFail: false, sysfsFiles: [], traceFormat: 'none',
    cmaFallback: 'fallback-list', areaAlignment: 'max-order', placement: 'top-down', pinTarget: 'none', busyFallsThrough: false,
    enomemStops: false, isolation: 'max-order', claimCounts: 'free', reclaimThrottle: 'wait-iff-congested',
    kswapd: 'thread', backgroundWriteback: 'oldest-inodes',
  },
  '4.9': {
    ...MAINLINE_6_1, version: '4.9', oversizeTrace: 'none', oversizeCountsFail: false, sysfsFiles: [], traceFormat: 'single',
    cmaFallback: 'after-movable', areaAlignment: 'max-order', placement: 'top-down', pinTarget: 'none', enomemStops: false,
    isolation: 'max-order', claimCounts: 'free',
  },
  '5.10': {
    ...MAINLINE_6_1, version: '5.10', oversizeTrace: 'none', oversizeCountsFail: false, sysfsFiles: [], traceFormat: 'single',
    areaAlignment: 'max-order', placement: 'top-down', pinTarget: 'movable', enomemStops: false, isolation: 'max-order',
  },
  '6.1': MAINLINE_6_1,
  '6.6': { ...MAINLINE_6_1, version: '6.6', traceFormat: 'errorno', skipCma: true },
  '6.12': { ...MAINLINE_6_1, version: '6.12', traceFormat: 'errorno', oversizeCountsFail: false, sysfsFiles: SYSFS_6_10, fallbackClaim: 'claim-or-take', mergeRule: 'retype' },
  '6.18': {
    ...MAINLINE_6_1, version: '6.18', lockMode: 'per-area', noAttemptErrno: 'EBUSY', oversizeTrace: 'start-finish',
    availableEarlyStop: true, sysfsFiles: SYSFS_6_15, debugfsUsed: 'count-minus-available', traceFormat: 'latest',
    fallbackClaim: 'claim-or-steal', mergeRule: 'retype',
  },
};
