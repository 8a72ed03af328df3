/**
 * Where a request's latency went: the phase spans the model records, with the time of the attempts
 * that failed before the last one set apart as retries, and the last attempt's migration split by
 * what the attempt records (reclaim, writeback waits). For a finished request the parts sum to
 * its latency.
 */
import type { ReportRequest } from './runData.ts';

export interface Decomposition {
  /** Waiting for a CMA lock, in any attempt. */
  readonly lockWait: number;
  /** Bitmap search before the first attempt. */
  readonly search: number;
  /** The last attempt isolating its pageblocks and draining per-CPU lists. */
  readonly isolation: number;
  /** The last attempt's migration passes, less reclaim, its throttle and the I/O, lock and run-queue waits. */
  readonly migrationCpu: number;
  /** Reclaim the last attempt's passes ran to find pages to migrate into. */
  readonly reclaim: number;
  /** That direct reclaim sleeping on a congested block device (3.17 wait_iff_congested, models/pagecache/congestion.ts). */
  readonly throttleWait: number;
  /** The last attempt waiting for pages under writeback. */
  readonly writebackWait: number;
  /** The last attempt waiting for pages locked under read I/O (just faulted in). */
  readonly pageLockWait: number;
  /** The last attempt waiting for kernel locks other allocations held: the zone and LRU locks in its passes, the global drain mutexes after isolation (models/timing/sharedLocks.ts). */
  readonly zoneLruWait: number;
  /** The last attempt waiting in the run queue for a CPU before its isolation, migration and finishing work (the tick scheduler, models/timing/sched.ts; 0 without it). */
  readonly runQueueWait: number;
  /** test_pages_isolated and taking the range. */
  readonly finishing: number;
  /** Everything but lock waits from the first attempt's start to the last's: the failed attempts, clearing their bits, searching again. */
  readonly retries: number;
}

export const DECOMPOSITION_PARTS: readonly (keyof Decomposition)[] = [
  'lockWait', 'search', 'isolation', 'migrationCpu', 'reclaim', 'throttleWait', 'writebackWait', 'pageLockWait', 'zoneLruWait', 'runQueueWait', 'finishing', 'retries',
];

/** The decomposition of one request. Records without spans (older runs) give their phase sums and no retries. */
export function decompose(r: ReportRequest): Decomposition {
  const n = r.attempts.length;
  const last = n > 0 ? r.attempts[n - 1] : null;
  const from = n > 1 ? r.attempts[0].startedAt : 0;
  const to = n > 1 ? last!.startedAt : 0;
  const own = { search: 0, isolation: 0, migration: 0, finishing: 0 };
  let retries = 0;
  if (r.spans === undefined) Object.assign(own, r.phases);
  for (const s of r.spans ?? []) {
    if (s.phase === 'lockWait') continue;
    const inRetry = Math.max(0, Math.min(s.end, to) - Math.max(s.start, from));
    retries += inRetry;
    own[s.phase] += s.end - s.start - inRetry;
  }
  const reclaim = last?.reclaimNs ?? 0;
  const throttleWait = last?.throttleWaitNs ?? 0;
  const writebackWait = last?.writebackWaitNs ?? 0;
  const pageLockWait = last?.pageLockWaitNs ?? 0;
  const drainWait = last?.drainLockWaitNs ?? 0;
  const zoneLruWait = (last?.sharedLockWaitNs ?? 0) + drainWait;
  const rq = last?.runQueueWait ?? { isolation: 0, migration: 0, finishing: 0 };
  return {
    lockWait: r.phases.lockWait, search: own.search, isolation: own.isolation - rq.isolation - drainWait,
    migrationCpu: own.migration - reclaim - throttleWait - writebackWait - pageLockWait - (zoneLruWait - drainWait) - rq.migration, reclaim, throttleWait, writebackWait, pageLockWait, zoneLruWait,
    runQueueWait: rq.isolation + rq.migration + rq.finishing,
    finishing: own.finishing - rq.finishing, retries,
  };
}
