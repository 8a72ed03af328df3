import type { RequestRecord } from '../../models/cma/request.ts';
import type { SimState } from '../../models/state.ts';

/** What a metric sees: the final (or current) state and the run's counters. */
export interface MetricInput {
  readonly state: SimState;
  readonly events: number;
  readonly now: number;
}

/** CMA request records, in id order (empty until the CMA model records requests). */
export function requestsOf(state: SimState): RequestRecord[] {
  const reqs = (state.cma as { requests?: Readonly<Record<string, RequestRecord>> }).requests;
  return reqs ? Object.values(reqs).sort((a, b) => a.id - b.id) : [];
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

export function computeMetrics(m: MetricInput): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, f] of Object.entries(METRICS)) out[k] = f(m);
  return out;
}
