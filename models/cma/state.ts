/**
 * The CMA aggregate's state: areas (contexts) with their allocator state, chunks handed out,
 * allocation requests in flight or finished (keyed by id), releases in flight, locks with FIFO
 * waiters, and the kernel's counters. Everything is plain JSON data.
 */
import type { KernelProfile } from '../kernel/profile.ts';
import type { Costs } from '../timing/costs.ts';
import type { Cpu } from '../timing/cpu.ts';
import type { RunClock } from '../timing/sched.ts';
import type { SharedLocks } from '../timing/sharedLocks.ts';
import type { AllocatorState } from './allocators/allocator.ts';
import type { PhaseSpan, RequestRecord } from './request.ts';
import type { RequestStatus } from './request/status.ts';

/**
 * '3.5-era' 'global': one cma_mutex around search and migration for every area.
 * 'split' (~3.17-6.14): per-area bitmap lock, global cma_mutex around alloc_contig_range only.
 * 'per-area' (6.15+): per-area bitmap lock and per-area alloc_mutex.
 * 'series' (2010-2011 patches): one mutex around the whole cm_alloc() and cm_free().
 */
export type LockMode = 'global' | 'split' | 'per-area' | 'series';
export const LOCK_MODES: readonly LockMode[] = ['global', 'split', 'per-area', 'series'];

/** sysfs /sys/kernel/mm/cma/<name>/ counters, in pages. */
export interface AreaCounters {
  readonly allocPagesSuccess: number;
  readonly allocPagesFail: number;
  readonly releasePagesSuccess: number;
}

export interface AreaState {
  readonly name: string;
  readonly basePfn: number;
  /** Pages. */
  readonly count: number;
  readonly orderPerBit: number;
  /** Bank the area lives in. */
  readonly bank: string;
  /** Shared areas lend their MIGRATE_CMA pageblocks to movable allocations; private ones never do. */
  readonly shared: boolean;
  readonly allocator: string;
  readonly alloc: AllocatorState;
  /** Mainline's default area (devices without an area of their own allocate here). */
  readonly isDefault: boolean;
  /** Pages not handed out (cma->available_count). */
  readonly available: number;
  readonly counters: AreaCounters;
}

/** A chunk handed out by a successful request (`struct cm` of the series). */
export interface ChunkRecord {
  /** Same as the request id that produced it. */
  readonly id: number;
  readonly area: string;
  readonly pfn: number;
  readonly count: number;
  readonly align: number;
  readonly owner: string;
  readonly pid: number;
  /** cm_pin nesting depth. */
  readonly pins: number;
  /** Pins that arrived while the chunk was being moved; granted when the move completes. */
  readonly pinWaiters: number;
  /** Set while defragmentation copies the chunk to `to`. */
  readonly moving: { readonly to: number } | null;
  /** Set while cma.release is in progress. */
  readonly releasing: boolean;
  /** Times the chunk was moved by defragmentation. */
  readonly moves: number;
}

/** Who holds or waits for a lock: an allocation request (by id) or a release (by chunk id). */
export interface LockOwner {
  readonly kind: 'request' | 'release';
  readonly id: number;
}

export interface LockWaiter {
  readonly owner: LockOwner;
  readonly since: number;
}

export interface LockState {
  readonly holder: LockOwner | null;
  readonly since: number;
  readonly waiters: readonly LockWaiter[];
  readonly acquisitions: number;
  readonly contended: number;
  /** Total and worst time spent waiting for this lock, ns. */
  readonly waitNs: number;
  readonly maxWaitNs: number;
}

/**
 * The mutable working part of a request; RequestRecord holds what reports read. Its `status` is
 * the state of models/cma/request/transitions.ts (reports see it through reportedStatus).
 */
export interface CmaRequest extends Omit<RequestRecord, 'status'> {
  readonly status: RequestStatus;
  readonly cpu: number;
  /** Candidates the trace being replayed found busy (event `busy`): each fails once with -EBUSY. */
  readonly forcedBusy: readonly number[];
  /** The thread its trace lines name: `pid`, or a pid of its own when another request of that pid is in flight. */
  readonly tid: number;
  /** Index into `areas` of the area being tried. */
  readonly areaIndex: number;
  /** Allocator search cursor (bitmap start) for the current area. */
  readonly cursor: number;
  /** Flat [start, end) pfn runs found busy in the current area. */
  readonly busy: readonly number[];
  /** Candidate under way: first pfn, or null between attempts. */
  readonly candidate: number | null;
  readonly candidateCursorNext: number;
  /** Next page of the candidate to migrate. */
  readonly migrateCursor: number;
  /** Passes in the current migration batch that left pages behind (5 => -EBUSY). */
  readonly tries: number;
  /** Error of the last failed attempt (reported if the search is exhausted). */
  readonly lastError: number | null;
  /** When the current wait or phase began (ns). */
  readonly markAt: number;
  readonly spans: readonly PhaseSpan[];
  /** Locks held, by name. */
  readonly held: readonly string[];
  /** The thread's place under the tick scheduler (timing/sched.ts); absent when it is off or before the first CPU work. */
  readonly runClock?: RunClock;
}

/**
 * Where a release (cma_release / cm_free) is: the state of models/cma/releaseTransitions.ts. Each
 * lock wait is a status of its own, named after what the release does once granted the lock: the
 * series' mutex held through all of cm_free (then free the pages), the lock the bits are cleared
 * under. `submitted` lasts only while cma.release is reduced, `released` only while the last
 * step is (the release then leaves `releases`).
 */
export type ReleaseStatus = 'submitted' | 'waiting-outer-lock' | 'freeing' | 'waiting-clear-lock' | 'released';

export interface ReleaseOp {
  readonly chunk: number;
  readonly area: string;
  readonly pfn: number;
  readonly count: number;
  readonly requester: string;
  readonly pid: number;
  readonly cpu: number;
  readonly status: ReleaseStatus;
  readonly startedAt: number;
  readonly held: readonly string[];
}

export interface DefragPolicy {
  /** 'off': never; 'manual': on cma.defrag events; 'on-release': also after every release. */
  readonly mode: 'off' | 'manual' | 'on-release';
  /** Teaching variant, deliberately broken: move chunks even while pinned. */
  readonly ignorePins: boolean;
}

export interface CmaState {
  /** The kernel profile the run boots with (models/kernel), its lockMode and discardClean in force. */
  readonly kernel: KernelProfile;
  readonly lockMode: LockMode;
  readonly areasMax: number;
  /** Areas by name, in declaration order. */
  readonly areas: Readonly<Record<string, AreaState>>;
  readonly areaOrder: readonly string[];
  readonly requests: Readonly<Record<string, CmaRequest>>;
  /** Threads with a request in flight: tid -> request id (one caller thread per concurrent request, as in the kernel). */
  readonly threads: Readonly<Record<string, number>>;
  readonly nextRequestId: number;
  /** Live chunks by id. */
  readonly chunks: Readonly<Record<string, ChunkRecord>>;
  readonly releases: Readonly<Record<string, ReleaseOp>>;
  readonly locks: Readonly<Record<string, LockState>>;
  readonly discardClean: boolean;
  /** Durations charged by the CMA path (DEFAULT_COSTS with the scenario's overrides). */
  readonly costs: Costs;
  /** The machine's CPUs and background load: CPU-bound allocation work stretches by cpuTime. */
  readonly cpu: Cpu;
  /** Busy-until times of the zone and LRU locks every allocation's migration shares, and of the global drain mutexes (timing/sharedLocks.ts). */
  readonly sharedLocks: SharedLocks;
  /** Pages per migration batch (COMPACT_CLUSTER_MAX = 32 in the kernel). */
  readonly migrateBatch: number;
  readonly defrag: DefragPolicy;
  /** Count of warnings raised (refused releases, unbalanced unpins...). */
  readonly warnings: number;
  /** vmstat cma_alloc_success / cma_alloc_fail (requests, not pages). */
  readonly vmAllocSuccess: number;
  readonly vmAllocFail: number;
}
