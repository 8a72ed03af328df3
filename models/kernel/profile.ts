/**
 * A kernel profile: the values of every era-dependent CMA behaviour the models follow, as plain
 * data. `profiles.ts` holds one profile per modelled kernel; a scenario names one (`kernel: "6.1"`)
 * and may override single fields (`kernel: { version: "6.1", lockMode: "per-area" }`). Reducers
 * read fields, never versions.
 */
import type { LockMode } from '../cma/state.ts';

export const KERNEL_VERSIONS = ['series', '3.5', '3.17', '4.9', '5.10', '6.1', '6.6', '6.12', '6.18'] as const;
export type KernelVersion = (typeof KERNEL_VERSIONS)[number];
/** The profile a scenario without `kernel` runs under. */
export const DEFAULT_KERNEL: KernelVersion = '6.18';

/** Where a movable allocation meets MIGRATE_CMA pageblocks (mm/page_alloc.c __rmqueue). */
export type CmaFallbackRule =
  /** 5.7+: CMA first when it holds more than half of the zone's free pages, else after the movable lists. */
  | 'balance'
  /** 4.1-5.6: __rmqueue_cma_fallback after the movable lists, before stealing. */
  | 'after-movable'
  /** 3.5: MIGRATE_CMA first in fallbacks[MIGRATE_MOVABLE]: largest block first, inside the steal loop, never claimed. */
  | 'fallback-list'
  /** Not a kernel: CMA before the movable lists always (a what-if). */
  | 'first'
  /** Not a kernel: CMA only after stealing failed (a what-if). */
  | 'last';
export const CMA_FALLBACK_RULES: readonly CmaFallbackRule[] = ['balance', 'after-movable', 'fallback-list', 'first', 'last'];

/** CMA trace-event format (include/trace/events/cma.h at that version). */
export type TraceFormat =
  /** No CMA tracepoints (the series, 3.5). */
  | 'none'
  /** One `cma_alloc: pfn page count align` line at the end of cma_alloc; `cma_release: pfn page count` (4.x-5.x). */
  | 'single'
  /** `cma_alloc_start: name count align`, `cma_alloc_finish` without errno, busy_retry, release with name (6.1). */
  | '6.1'
  /** As 6.1, `cma_alloc_finish` with `errorno` (6.6, 6.12). */
  | 'errorno'
  /** `cma_alloc_start: name request_count available_count total_count align`, finish with errorno, failure pfn 0 (6.15+). */
  | 'latest';
export const TRACE_FORMATS: readonly TraceFormat[] = ['none', 'single', '6.1', 'errorno', 'latest'];

export const SYSFS_FILES = ['alloc_pages_success', 'alloc_pages_fail', 'release_pages_success', 'total_pages', 'available_pages'] as const;
export type SysfsFile = (typeof SYSFS_FILES)[number];

export interface KernelProfile {
  /** The profile this was built from ('custom' never appears: overrides keep the base's name). */
  readonly version: KernelVersion;
  /** Which locks an allocation and a release take (models/cma/locks.ts). */
  readonly lockMode: LockMode;
  /** errno cma_alloc reports when it never tried a range (no fitting range, nothing available). */
  readonly noAttemptErrno: 'ENOMEM' | 'EBUSY';
  /** A request of more pages than the area's bitmap holds: which trace lines it leaves. */
  readonly oversizeTrace: 'none' | 'start' | 'start-finish';
  /** Whether that request counts in alloc_pages_fail and vmstat cma_alloc_fail. */
  readonly oversizeCountsFail: boolean;
  /** 6.15+: stop at once (-EBUSY, no attempt) when count > the area's available_count. */
  readonly availableEarlyStop: boolean;
  /** Files present in /sys/kernel/mm/cma/<area>/. */
  readonly sysfsFiles: readonly SysfsFile[];
  /** debugfs `used`: bitmap weight, or count − available_count (6.15+). */
  readonly debugfsUsed: 'bitmap-weight' | 'count-minus-available';
  readonly traceFormat: TraceFormat;
  readonly cmaFallback: CmaFallbackRule;
  /** alloc_contig_range drops clean page cache instead of migrating it (3.8+). */
  readonly discardClean: boolean;
  /** Minimum area alignment: PAGE_SIZE << max(MAX_ORDER, pageblock) in 3.5 (MAX_ORDER = maxOrder+1), << max(MAX_ORDER-1, pageblock) until 5.17, one pageblock since. */
  readonly areaAlignment: 'max-order-plus-one' | 'max-order' | 'pageblock';
  /** Where an area without a fixed base goes: memblock top-down, or bottom-up from 4 GiB first when RAM reaches 4 GiB + size. */
  readonly placement: 'top-down' | 'bottom-up-above-4g';
  /** What a FOLL_LONGTERM pin of a CMA page does: pins it in place (before 5.1), or migrates it out into a movable or an unmovable (GFP_USER, 5.13+) page. */
  readonly pinTarget: 'none' | 'movable' | 'unmovable';
  /** Direct reclaim for a request that cannot use CMA passes over CMA pages (vmscan skip_cma). */
  readonly skipCma: boolean;
  /** alloc_contig_range: -EBUSY from the migration loop still runs test_pages_isolated (3.5 returned at once). */
  readonly busyFallsThrough: boolean;
  /** __alloc_contig_migrate_range stops at migrate_pages' -ENOMEM (5.15+); before, it counted a try and returned the last error after 5. */
  readonly enomemStops: boolean;
  /** isolate_migratepages_block leaves pinned anonymous pages alone (3.15+), so they are never retried. */
  readonly skipPinnedAnon: boolean;
  /** The allocator of an area that names none: the series' first registered one (best-fit), or mainline's bitmap. */
  readonly defaultAllocator: 'best-fit' | 'bitmap';
  /** Pageblocks alloc_contig_range isolates: the range widened to MAX_ORDER_NR_PAGES (before 5.19), or its own pageblocks. */
  readonly isolation: 'max-order' | 'pageblock';
  /** A fallback block too little alike to claim: its pageblock's free pages move to the requesting type (up to 6.8), just the request is taken (6.9-6.14), or it is skipped for a smaller claim, then the smallest block is stolen (6.15+). */
  readonly fallbackClaim: 'move-free' | 'claim-or-take' | 'claim-or-steal';
  /** Pages counting toward claiming a pageblock: free ones (before 4.12), or free plus alike ones (4.12+). */
  readonly claimCounts: 'free' | 'free-and-alike';
  /** Free buddies of two ordinary migratetypes merging across pageblocks: each pageblock keeps its type (before 6.9), or the buddy's take the freed block's (6.9+). */
  readonly mergeRule: 'keep-types' | 'retype';
  /**
   * Direct reclaim sleeps on a congested block device (3.17: wait_iff_congested after each
   * shrink_inactive_list, models/pagecache/congestion.ts). Absent means 'none': optional so that
   * the profiles without it keep their state, and their logs' hashes, as they were.
   */
  readonly reclaimThrottle?: 'none' | 'wait-iff-congested';
  /**
   * kswapd: run synchronously inside the allocation that wakes it, restoring the high watermark at
   * once ('inline'), or as a thread of its own that must get a CPU and reclaims in batches while
   * allocations go on, so an allocation below min does direct reclaim itself ('thread', 3.17:
   * models/pagecache/kswapd.ts). Absent means 'inline' (optional for the same reason as reclaimThrottle).
   */
  readonly kswapd?: 'inline' | 'thread';
  /**
   * Writeback over the background threshold: the run just dirtied ('per-run'), or the flusher's
   * background writeback of the oldest dirty inodes, keeping the request queue full for at least
   * HZ/10 a round ('oldest-inodes', 3.17: models/pagecache/flusher.ts). Absent means 'per-run'.
   */
  readonly backgroundWriteback?: 'per-run' | 'oldest-inodes';
}

export type KernelOverrides = Partial<Omit<KernelProfile, 'version'>>;
/** What a scenario writes: a version, or a version with overrides. */
export type KernelSetting = string | ({ readonly version?: string } & { readonly [k: string]: unknown });

type FieldCheck = { readonly values: readonly unknown[] } | { readonly list: readonly string[] };
/** Allowed values of each field, for overrides. */
export const FIELD_VALUES: Readonly<Record<keyof KernelOverrides, FieldCheck>> = {
  lockMode: { values: ['global', 'split', 'per-area', 'series'] },
  noAttemptErrno: { values: ['ENOMEM', 'EBUSY'] },
  oversizeTrace: { values: ['none', 'start', 'start-finish'] },
  oversizeCountsFail: { values: [true, false] },
  availableEarlyStop: { values: [true, false] },
  sysfsFiles: { list: SYSFS_FILES },
  debugfsUsed: { values: ['bitmap-weight', 'count-minus-available'] },
  traceFormat: { values: TRACE_FORMATS },
  cmaFallback: { values: CMA_FALLBACK_RULES },
  discardClean: { values: [true, false] },
  areaAlignment: { values: ['max-order-plus-one', 'max-order', 'pageblock'] },
  placement: { values: ['top-down', 'bottom-up-above-4g'] },
  pinTarget: { values: ['none', 'movable', 'unmovable'] },
  skipCma: { values: [true, false] },
  busyFallsThrough: { values: [true, false] },
  enomemStops: { values: [true, false] },
  skipPinnedAnon: { values: [true, false] },
  defaultAllocator: { values: ['best-fit', 'bitmap'] },
  isolation: { values: ['max-order', 'pageblock'] },
  fallbackClaim: { values: ['move-free', 'claim-or-take', 'claim-or-steal'] },
  claimCounts: { values: ['free', 'free-and-alike'] },
  mergeRule: { values: ['keep-types', 'retype'] },
  reclaimThrottle: { values: ['none', 'wait-iff-congested'] },
  kswapd: { values: ['inline', 'thread'] },
  backgroundWriteback: { values: ['per-run', 'oldest-inodes'] },
};
