/**
 * What a trace tells about each cma_alloc call and each cma_release, recovered by pairing
 * start/finish lines (pairRequests). Times are integer nanoseconds of the trace clock.
 */
export interface TraceRequest {
  /** 0-based, in order of the request's first line. */
  readonly seq: number;
  readonly comm: string;
  readonly pid: number;
  readonly cpuStart: number;
  readonly cpuEnd: number;
  /** Area name ('' when the generation did not print it). */
  readonly area: string;
  readonly count: number;
  /** Alignment as a page order; -1 when not printed. */
  readonly align: number;
  readonly start: number;
  readonly end: number;
  /** end - start; null for the single-event generation (no start line). */
  readonly latency: number | null;
  readonly ok: boolean;
  /** First pfn of the range; -1 on failure. */
  readonly pfn: number;
  /** 0 on success, negative errno on failure, null when the kernel did not print it (6.1). */
  readonly errno: number | null;
  readonly busyRetries: number;
  /** pfn of each range given up with -EBUSY, in order. */
  readonly retryPfns: readonly number[];
  /** Sums over the mm_migrate_pages lines of the task between start and finish. */
  readonly migrated: number;
  readonly migrateFailed: number;
  readonly migrateCalls: number;
  readonly isolationTests: number;
  readonly isolationFailures: number;
  /** Newest kernels print the area's free and total pages at start. */
  readonly availableCount: number | null;
  readonly totalCount: number | null;
  /**
   * Where the latency went, from the task's own lines (null for the single-event generation):
   * `isolate` start → first mm_migrate_pages_start (isolation, drain, first scan), `migrate` →
   * last test_pages_isolated (migration passes and checks), `finish` → finish (taking the free pages,
   * undoing isolation). Requests that never reached migration put all their time in `isolate`.
   */
  readonly phases: TracePhases | null;
  /** Last `tracing_mark_write` text before the start (up to ` | `), '' if none. */
  readonly phase: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface TracePhases {
  readonly isolate: number;
  readonly migrate: number;
  readonly finish: number;
}

export interface TraceRelease {
  /** 0-based among releases. */
  readonly seq: number;
  readonly comm: string;
  readonly pid: number;
  readonly cpu: number;
  readonly time: number;
  readonly area: string;
  readonly pfn: number;
  readonly count: number;
  readonly line: number;
}
