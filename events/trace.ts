/**
 * Trace-equivalent events: one per kernel tracepoint the CMA path fires, carrying exactly the
 * fields the kernel prints (reference §5). Models schedule them with zero delay; their reducers
 * only count. lib/trace prints and parses them.
 */

/** Who fired the tracepoint: ftrace's `<comm>-<pid> [<cpu>]`. */
export interface TraceTask {
  readonly comm: string;
  readonly pid: number;
  readonly cpu: number;
}

export interface CmaAllocStartTrace {
  readonly type: 'trace.cma_alloc_start';
  readonly task: TraceTask;
  readonly name: string;
  /** Pages requested (request_count / count). */
  readonly count: number;
  readonly align: number;
  /** Newest kernels only; absent fields print in the older form. */
  readonly availableCount: number;
  readonly totalCount: number;
  /** Request id in the simulation (not printed by the kernel; used to pair start and finish). */
  readonly request: number;
}

export interface CmaAllocFinishTrace {
  readonly type: 'trace.cma_alloc_finish';
  readonly task: TraceTask;
  readonly name: string;
  /** First pfn of the range, or -1 when the allocation failed (printed as 0xffffffffffffffff in 6.1). */
  readonly pfn: number;
  readonly count: number;
  readonly align: number;
  /** 0 on success, a negative errno otherwise (-EBUSY = -16, -ENOMEM = -12, -EINTR = -4). */
  readonly errorno: number;
  readonly request: number;
}

export interface CmaAllocBusyRetryTrace {
  readonly type: 'trace.cma_alloc_busy_retry';
  readonly task: TraceTask;
  readonly name: string;
  readonly pfn: number;
  readonly count: number;
  readonly align: number;
  readonly request: number;
}

export interface CmaReleaseTrace {
  readonly type: 'trace.cma_release';
  readonly task: TraceTask;
  readonly name: string;
  readonly pfn: number;
  readonly count: number;
}

export interface MmMigratePagesStartTrace {
  readonly type: 'trace.mm_migrate_pages_start';
  readonly task: TraceTask;
  readonly mode: 'MIGRATE_SYNC' | 'MIGRATE_ASYNC' | 'MIGRATE_SYNC_LIGHT';
  readonly reason: 'contig_range' | 'cma' | 'compaction' | 'longterm_pin' | 'memory_failure';
}

export interface MmMigratePagesTrace {
  readonly type: 'trace.mm_migrate_pages';
  readonly task: TraceTask;
  readonly nrSucceeded: number;
  readonly nrFailed: number;
  readonly nrThpSucceeded: number;
  readonly nrThpFailed: number;
  readonly nrThpSplit: number;
  readonly nrSplit: number;
  readonly mode: MmMigratePagesStartTrace['mode'];
  readonly reason: MmMigratePagesStartTrace['reason'];
}

export interface TestPagesIsolatedTrace {
  readonly type: 'trace.test_pages_isolated';
  readonly task: TraceTask;
  readonly startPfn: number;
  readonly endPfn: number;
  /** First pfn that is not free and isolated, or endPfn when all are. */
  readonly finPfn: number;
  readonly ret: 'success' | 'fail';
}

export type TraceEvent =
  | CmaAllocStartTrace
  | CmaAllocFinishTrace
  | CmaAllocBusyRetryTrace
  | CmaReleaseTrace
  | MmMigratePagesStartTrace
  | MmMigratePagesTrace
  | TestPagesIsolatedTrace;

export const TRACE_EVENT_TYPES = [
  'trace.cma_alloc_start',
  'trace.cma_alloc_finish',
  'trace.cma_alloc_busy_retry',
  'trace.cma_release',
  'trace.mm_migrate_pages_start',
  'trace.mm_migrate_pages',
  'trace.test_pages_isolated',
] as const satisfies readonly TraceEvent['type'][];
