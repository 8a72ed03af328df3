/**
 * Physical memory as the page allocator sees it: banks, zones, pageblocks with a migratetype,
 * buddy free lists per (zone, migratetype, order), and one integer code per page.
 *
 * Scale: per-page data lives in per-pageblock chunks (`PageblockState.pages`, 512 numbers with
 * 4 KiB pages), so an event copies only the chunks it touches. Free lists are not linked lists:
 * a free block is recorded by its head page's code and by its pageblock's `heads`, and each
 * (zone, migratetype, order) keeps a block count per group of 64 pageblocks, so finding a free
 * block scans at most a few hundred numbers whatever the memory size.
 *
 * Writers: a reducer's draft holds this state readonly (models/state.ts SimDraft); it is written
 * only through the overlays (mutMemory.ts, shardedMap.ts), which cache per-draft copies that a
 * write through the immer draft would miss. Read it freely.
 */

import type { CmaFallbackRule, KernelProfile } from '../kernel/profile.ts';

/** Migratetype of a pageblock (include/linux/mmzone.h). */
export type Migratetype = 'UNMOVABLE' | 'MOVABLE' | 'RECLAIMABLE' | 'CMA' | 'ISOLATE';

/** Index of each migratetype in per-migratetype arrays. */
export const MT_INDEX: Readonly<Record<Migratetype, number>> = { UNMOVABLE: 0, MOVABLE: 1, RECLAIMABLE: 2, CMA: 3, ISOLATE: 4 };
export const MIGRATETYPES: readonly Migratetype[] = ['UNMOVABLE', 'MOVABLE', 'RECLAIMABLE', 'CMA', 'ISOLATE'];

/** Which rule a movable allocation follows for CMA pageblocks (reference §4; models/kernel/profile.ts). */
export type CmaFallback = CmaFallbackRule;

export interface MemoryConfig {
  /** Bytes per page (4096 by default). */
  readonly pageSize: number;
  /** Highest buddy order (10: orders 0..10). */
  readonly maxOrder: number;
  /** log2 of pages per pageblock (9 by default, 10 on old 32-bit ARM). */
  readonly pageblockOrder: number;
  readonly cmaFallback: CmaFallback;
  /** Kernel profile: what a FOLL_LONGTERM pin of a CMA page does. */
  readonly pinTarget: KernelProfile['pinTarget'];
  /** Kernel profile: direct reclaim for a non-CMA request passes over CMA pages (vmscan skip_cma). */
  readonly skipCma: boolean;
  /** Kernel profile: what stealing from another migratetype does with a block it does not claim. */
  readonly fallbackClaim: KernelProfile['fallbackClaim'];
  /** Kernel profile: which pages count toward claiming a pageblock. */
  readonly claimCounts: KernelProfile['claimCounts'];
  /** Kernel profile: whether merging free buddies across pageblocks retypes the buddy's pageblocks. */
  readonly mergeRule: KernelProfile['mergeRule'];
}

export interface BankState {
  readonly name: string;
  readonly startPfn: number;
  readonly nrPages: number;
  /** Index in `pageblocks` of the bank's first pageblock (banks are pageblock-aligned). */
  readonly firstPb: number;
  readonly zone: number;
}

/** Free blocks of one migratetype in one zone. */
export interface FreeArea {
  /** Free pages in blocks of this migratetype. */
  readonly nrFree: number;
  /** blocks[order] = number of free blocks of that order. */
  readonly blocks: readonly number[];
  /** groups[order][g] = free blocks of that order whose head is in pageblocks 64g..64g+63. */
  readonly groups: readonly (readonly number[])[];
}

/** Pages per use, counted per zone (page kinds of pageCode.ts). */
export interface ZoneCounters {
  readonly unmovable: number;
  readonly reclaimable: number;
  readonly anon: number;
  readonly pagecache: number;
  /** Taken by contiguous allocations (CMA). */
  readonly taken: number;
  /** Reserved at boot and never in the buddy allocator (private areas). */
  readonly reserved: number;
}

export interface Watermarks {
  readonly min: number;
  readonly low: number;
  readonly high: number;
}

export interface ZoneState {
  readonly name: string;
  /** Pages spanned by the zone's banks. */
  readonly spanned: number;
  /** Pages the buddy allocator manages (spanned minus boot reservations). */
  readonly managed: number;
  readonly nrFree: number;
  /** Pages in MIGRATE_CMA pageblocks (free or not): /proc/meminfo CmaTotal. */
  readonly cmaPages: number;
  /** In pages. */
  readonly watermark: Watermarks;
  /** Indexed by MT_INDEX. */
  readonly free: readonly FreeArea[];
  readonly used: ZoneCounters;
}

export interface PageblockState {
  readonly mt: Migratetype;
  /** Migratetype before isolation; null unless mt is ISOLATE. */
  readonly saved: Migratetype | null;
  /** Boot reservation covering this pageblock. */
  readonly reserve: 'cma' | 'private' | null;
  /** Owner index (MemoryState.owners) of a private reservation, whose pages return to it on release. */
  readonly reserveOwner: number;
  readonly zone: number;
  /** Free pages in this pageblock (including tails of a free block whose head is in an earlier pageblock). */
  readonly nrFree: number;
  /** Offsets of the free block heads inside this pageblock. */
  readonly heads: readonly number[];
  /**
   * Bit o is set whenever some head in `heads` has order o (it may stay set after the last one
   * goes: a superset, cleared lazily by the allocator). Lets the allocator skip pageblocks.
   */
  readonly orders: number;
  /** One code per page, see pageCode.ts. */
  readonly pages: readonly number[];
  /** Short-term and long-term pin counts by page offset; null when none. */
  readonly pins: Readonly<Record<string, number>> | null;
}

export type AllocKind = 'unmovable' | 'reclaimable' | 'movable';

/** One `memory.alloc` allocation (2^order contiguous pages, moved as a unit when movable). */
export interface AllocRecord {
  readonly id: string;
  readonly kind: AllocKind;
  readonly owner: string;
  readonly pfn: number;
  readonly order: number;
}

export interface PinRecord {
  /** Pinned page, or -1 for a pin that failed (kept so its unpin is accepted). */
  readonly pfn: number;
  readonly longterm: boolean;
}

/** A map split into shards so that one write copies one shard (see shardedMap.ts). */
export type Sharded<V> = Readonly<Record<string, Readonly<Record<string, V>>>>;

export interface MemoryStats {
  readonly allocFailures: number;
  readonly reclaimed: number;
  readonly migrated: number;
  readonly stolen: number;
}

export interface MemoryState {
  readonly config: MemoryConfig;
  readonly banks: readonly BankState[];
  readonly zones: readonly ZoneState[];
  readonly pageblocks: readonly PageblockState[];
  /** Interned owner tags of taken/reserved pages (page codes store the index). */
  readonly owners: readonly string[];
  /** Allocation serial -> record, sharded by serial. */
  readonly allocs: Sharded<AllocRecord>;
  /** Allocation id -> serial, sharded by a hash of the id. */
  readonly allocIds: Sharded<number>;
  readonly nextSerial: number;
  /** Pin id -> record, sharded by a hash of the id. */
  readonly pins: Sharded<PinRecord>;
  readonly stats: MemoryStats;
}
