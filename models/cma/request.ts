/**
 * An allocation in flight is data: a record in state whose status is advanced by events, so
 * "where was request 7 at t = 3 ms" is a state query. Reports read these records.
 */

/**
 * A request's status as reports and the debugger show it: every lock wait is `waiting-lock` (the
 * state keeps which one, models/cma/request/status.ts; the spans name the locks held).
 */
export type ReportedStatus = 'waiting-lock' | 'searching' | 'isolating' | 'migrating' | 'finishing' | 'done' | 'failed';

/** Nanoseconds spent in each phase, summed over all attempts. */
export interface PhaseTimes {
  readonly lockWait: number;
  readonly search: number;
  readonly isolation: number;
  readonly migration: number;
  readonly finishing: number;
}

/** A stretch of time a request spent in one phase, with the locks it held (for timelines). */
export interface PhaseSpan {
  readonly phase: keyof PhaseTimes;
  readonly start: number;
  readonly end: number;
  /** Locks held during the span, by the model's lock names. */
  readonly locks: readonly string[];
}

/** Run-queue waits of one attempt, ns, by the phase whose CPU work they delayed. */
export interface RunQueueWait {
  readonly isolation: number;
  readonly migration: number;
  readonly finishing: number;
}

/** One try at one candidate range (a busy retry starts a new attempt). */
export interface AllocAttempt {
  readonly area: string;
  /** First pfn of the candidate range. */
  readonly pfn: number;
  readonly count: number;
  readonly migrated: number;
  readonly dropped: number;
  readonly busy: number;
  readonly waitedWriteback: number;
  readonly failed: number;
  /** Migration passes run for this attempt. */
  readonly passes: number;
  /** Ns of the passes spent in reclaim finding target pages, and waiting for writeback (absent in older records). */
  readonly reclaimNs?: number;
  readonly writebackWaitNs?: number;
  /** Pages found locked under read I/O, and ns waited for their reads (absent in older records). */
  readonly waitedLocked?: number;
  readonly pageLockWaitNs?: number;
  /** Ns the passes waited for the zone and LRU locks other allocations held (absent in older records). */
  readonly sharedLockWaitNs?: number;
  /** Ns the drain after isolation waited for the global drain mutexes other allocations' drains held; absent when none. */
  readonly drainLockWaitNs?: number;
  /** Ns the passes' direct reclaim slept on a congested block device (3.17 wait_iff_congested); absent when none. */
  readonly throttleWaitNs?: number;
  /** Ns the thread waited for a CPU under the tick scheduler (timing/sched.ts), by phase of the attempt; absent when it is off. */
  readonly runQueueWait?: RunQueueWait;
  /** 0 on success (or while running), negative errno otherwise. */
  readonly result: number;
  /** Integer ns. */
  readonly startedAt: number;
  /** null while the attempt runs. */
  readonly endedAt: number | null;
}

export interface RequestRecord {
  readonly id: number;
  /** Device (or scenario task) that asked; also the ftrace comm. */
  readonly requester: string;
  readonly pid: number;
  /** Kind of memory asked for (original framework), '' for mainline requests. */
  readonly kind: string;
  /** Areas to try, in order. */
  readonly areas: readonly string[];
  /** Area currently being tried / that satisfied the request. */
  readonly area: string | null;
  /** Pages requested. */
  readonly count: number;
  /** Alignment as a page order (the kernel's `align` argument). */
  readonly align: number;
  readonly status: ReportedStatus;
  /** Integer ns. */
  readonly submittedAt: number;
  readonly finishedAt: number | null;
  readonly phases: PhaseTimes;
  readonly attempts: readonly AllocAttempt[];
  /** Busy retries (cma_alloc_busy_retry count). */
  readonly retries: number;
  /** First pfn of the allocated range, null until done. */
  readonly pfn: number | null;
  /** 0 on success, negative errno on failure, null while in flight. */
  readonly errno: number | null;
  /** Lock mode in force when the request ran. */
  readonly lockMode: string;
  /** Every phase the request went through, in order (the phase times are their sums); absent in records from older runs or other sources. */
  readonly spans?: readonly PhaseSpan[];
}

export const ERRNO = { EINTR: -4, ENOMEM: -12, EBUSY: -16, EINVAL: -22 } as const;

export function errnoName(e: number): string {
  for (const [k, v] of Object.entries(ERRNO)) if (v === e) return `-${k}`;
  return e === 0 ? '0' : String(e);
}
