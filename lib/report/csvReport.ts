/** One CSV row per request, written by the one CSV writer (lib/text/csv.ts). Times are integer ns. */
import { csvText, type CsvValue } from '../text/csv.ts';
import { aggregate, type RequestRow } from './aggregate.ts';
import type { RunData } from './runData.ts';

/** The columns of requests.csv (also `sweep --per-request`'s, after variant and seed). */
export const COLUMNS: readonly [string, (r: RequestRow) => CsvValue][] = [
  ['id', (r) => r.id],
  ['device', (r) => r.requester],
  ['kind', (r) => r.kind],
  ['area', (r) => r.area],
  ['lock_mode', (r) => r.lockMode],
  ['pages', (r) => r.count],
  ['align_order', (r) => r.align],
  ['submitted_ns', (r) => r.submittedAt],
  ['finished_ns', (r) => r.finishedAt],
  ['latency_ns', (r) => r.latency],
  ['lock_wait_ns', (r) => r.phases.lockWait],
  ['search_ns', (r) => r.phases.search],
  ['isolation_ns', (r) => r.phases.isolation],
  ['migration_ns', (r) => r.phases.migration],
  ['finishing_ns', (r) => r.phases.finishing],
  // Parts of the latency decomposition (decomposition.ts) that are not phase sums; they overlap the phase columns.
  ['migration_cpu_ns', (r) => r.decomposition.migrationCpu],
  ['reclaim_ns', (r) => r.decomposition.reclaim],
  ['reclaim_throttle_ns', (r) => r.decomposition.throttleWait],
  ['writeback_wait_ns', (r) => r.decomposition.writebackWait],
  ['page_lock_wait_ns', (r) => r.decomposition.pageLockWait],
  ['zone_lru_wait_ns', (r) => r.decomposition.zoneLruWait],
  ['run_queue_wait_ns', (r) => r.decomposition.runQueueWait],
  ['retries_ns', (r) => r.decomposition.retries],
  ['migrated', (r) => r.migrated],
  ['dropped', (r) => r.dropped],
  ['busy', (r) => r.busy],
  ['attempts', (r) => r.attempts],
  ['retries', (r) => r.retries],
  ['errno', (r) => r.errno],
  ['result', (r) => r.result],
  ['pfn', (r) => r.pfn],
];

export function csvReport(data: RunData): string {
  return csvText(COLUMNS.map(([h]) => h), aggregate(data).rows.map((r) => COLUMNS.map(([, f]) => f(r))));
}
