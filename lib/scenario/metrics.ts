import type { RequestRecord } from '../../models/cma/request.ts';
import { reportedRecord } from '../../models/cma/request/status.ts';
import type { CmaRequest } from '../../models/cma/state.ts';
import type { SimState } from '../../models/state.ts';
import { debugfsOf, meminfoCma, sysfsOf, type CmaDebugfs, type CmaSysfs } from '../../models/cma/stats.ts';

/** What a metric sees: the final (or current) state and the run's counters. */
export interface MetricInput {
  readonly state: SimState;
  readonly events: number;
  readonly now: number;
}

/** CMA request records as reports read them, in id order (empty until the CMA model records requests). */
export function requestsOf(state: SimState): RequestRecord[] {
  const reqs = (state.cma as { requests?: Readonly<Record<string, CmaRequest>> }).requests;
  return reqs ? Object.values(reqs).map(reportedRecord).sort((a, b) => a.id - b.id) : [];
}

const sum = (o: Readonly<Record<string, number>>): number => Object.values(o).reduce((a, b) => a + b, 0);

function latencyQuantile(state: SimState, q: number): number {
  const lat = requestsOf(state).filter((r) => r.finishedAt !== null).map((r) => r.finishedAt! - r.submittedAt).sort((a, b) => a - b);
  if (lat.length === 0) return 0;
  return lat[Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1)];
}

/**
 * Named numbers a scenario can assert on and a sweep aggregates. Each reads plain state, so the
 * same value comes out of a live run, a replayed log or a worker.
 */
export const METRICS: Readonly<Record<string, (m: MetricInput) => number>> = {
  events: (m) => m.events,
  simTimeNs: (m) => m.now,
  'workload.emitted': (m) => sum(m.state.workload.emitted),
  'workload.undeliverable': (m) => sum(m.state.workload.undeliverable),
  'alloc.requests': (m) => requestsOf(m.state).length,
  'alloc.done': (m) => requestsOf(m.state).filter((r) => r.status === 'done').length,
  'alloc.failed': (m) => requestsOf(m.state).filter((r) => r.status === 'failed').length,
  'alloc.retries': (m) => requestsOf(m.state).reduce((a, r) => a + r.retries, 0),
  'alloc.latency.p50': (m) => latencyQuantile(m.state, 0.5),
  'alloc.latency.p99': (m) => latencyQuantile(m.state, 0.99),
  'alloc.latency.max': (m) => latencyQuantile(m.state, 1),
};

export const METRIC_NAMES = Object.keys(METRICS);

/**
 * What the kernel shows, as numbers a scenario can assert on: `cma.<area>.<file>` for the files
 * of /sys/kernel/mm/cma/<area>/ and /sys/kernel/debug/cma/<area>/ (as models/cma/stats.ts computes
 * them for the run's kernel profile), and `meminfo.CmaTotal` / `meminfo.CmaFree` (kB).
 */
export const AREA_FILES = ['alloc_pages_success', 'alloc_pages_fail', 'release_pages_success', 'total_pages', 'available_pages', 'count', 'used', 'maxchunk', 'base_pfn', 'order_per_bit'] as const;
export const MEMINFO_FIELDS = ['CmaTotal', 'CmaFree'] as const;
type AreaFile = (typeof AREA_FILES)[number];
const DEBUGFS_FILES: readonly AreaFile[] = ['count', 'used', 'maxchunk', 'base_pfn', 'order_per_bit'];

/** Every name an assertion may use for a scenario with these CMA areas. */
export function metricNames(areas: readonly string[]): string[] {
  return [...METRIC_NAMES, ...areas.flatMap((a) => AREA_FILES.map((f) => `cma.${a}.${f}`)), ...MEMINFO_FIELDS.map((f) => `meminfo.${f}`)];
}

/**
 * The value of a metric or kernel file named as metricNames gives; NaN when the run's kernel
 * profile has no such file (6.1's sysfs has only alloc_pages_success and alloc_pages_fail), so
 * an assertion on it fails and says so.
 */
export function metricValue(name: string, m: MetricInput): number {
  const f = METRICS[name];
  if (f !== undefined) return f(m);
  if (name.startsWith('meminfo.')) return meminfoCma(m.state)[name.slice(8) as (typeof MEMINFO_FIELDS)[number]] ?? NaN;
  const dot = name.lastIndexOf('.');
  const area = name.slice(4, dot);
  const file = name.slice(dot + 1) as AreaFile;
  if (!name.startsWith('cma.') || m.state.cma.areas[area] === undefined) return NaN;
  if (DEBUGFS_FILES.includes(file)) return debugfsOf(m.state.cma, area)[file as keyof CmaDebugfs] as number;
  return sysfsOf(m.state.cma, area)[file as keyof CmaSysfs] ?? NaN;
}

export function computeMetrics(m: MetricInput): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, f] of Object.entries(METRICS)) out[k] = f(m);
  return out;
}
