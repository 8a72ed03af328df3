/**
 * Request-by-request comparison of a real trace with a simulation of it: outcome, placement
 * (pfn relative to the area base), busy retries and latency. The i-th trace request is compared
 * with the simulated request of the i-th smallest id (traceToScenario numbers them seq + 1).
 * Placement depends only on the allocator and the request sequence, so any placement difference
 * where the trace has no busy retries is a model bug, not noise.
 */
import type { RequestRecord } from '../../models/cma/request.ts';
import { distribution, type Distribution } from './ratioDistribution.ts';
import type { TraceArea } from './traceAreas.ts';
import type { TraceRequest } from './traceRequest.ts';

export interface SideView {
  readonly ok: boolean;
  /** pfn relative to the area base; -1 on failure. */
  readonly pfn: number;
  readonly retries: number;
  /** ns; null when unknown (single-event trace, simulated request still in flight). */
  readonly latency: number | null;
  /** 0, a negative errno, or null when unknown. */
  readonly errno: number | null;
}

export type Divergence = 'request' | 'missing' | 'outcome' | 'placement' | 'retries';

export interface RequestComparison {
  readonly index: number;
  readonly simId: number | null;
  readonly area: string;
  readonly count: number;
  readonly align: number;
  readonly requester: string;
  /** Trace time of the request's start, ns, and the workload phase marker before it. */
  readonly start: number;
  readonly phase: string;
  readonly trace: SideView;
  readonly sim: SideView | null;
  /** First reason this request diverges, null when it agrees (latency never counts). */
  readonly divergence: Divergence | null;
  /** What differs, in words, when `divergence` is set. */
  readonly detail: string;
  readonly latencyRatio: number | null;
}

export interface DivergenceReport {
  readonly traceRequests: number;
  readonly simRequests: number;
  readonly compared: number;
  readonly outcomeAgree: number;
  /** Requests that succeeded on both sides, and those of them placed at the same offset. */
  readonly placementCompared: number;
  readonly placementAgree: number;
  readonly retriesAgree: number;
  readonly traceHasBusyRetries: boolean;
  readonly firstDivergence: { readonly index: number; readonly context: readonly RequestComparison[] } | null;
  readonly latencyRatio: Distribution;
  readonly rows: readonly RequestComparison[];
}

export interface CompareOptions {
  /** Areas of the trace (bases in bytes); pfns are compared relative to them. */
  readonly areas: readonly TraceArea[];
  /** Areas of the simulation if their bases differ from the trace's. */
  readonly simAreas?: readonly TraceArea[];
  readonly pageSize?: number;
  /** Requests shown on each side of the first divergence. */
  readonly context?: number;
}

function relative(areas: readonly TraceArea[], pageSize: number, area: string, pfn: number): number {
  if (pfn < 0) return -1;
  const a = areas.find((x) => x.name === area);
  return a ? pfn - a.base / pageSize : pfn;
}

function simView(r: RequestRecord, areas: readonly TraceArea[], pageSize: number): SideView {
  const ok = r.status === 'done' && r.pfn !== null;
  return {
    ok, pfn: ok ? relative(areas, pageSize, r.area ?? '', r.pfn!) : -1, retries: r.retries,
    latency: r.finishedAt === null ? null : r.finishedAt - r.submittedAt, errno: r.errno,
  };
}

const hex = (n: number): string => (n < 0 ? 'none' : `+0x${n.toString(16)}`);

function judge(t: TraceRequest, s: RequestRecord | undefined, tv: SideView, sv: SideView | null): [Divergence | null, string] {
  if (!s || !sv) return ['missing', 'the simulation has no request for it'];
  if (s.count !== t.count || (t.align >= 0 && s.align !== t.align) || (s.area !== null && s.area !== t.area && s.areas[0] !== t.area)) {
    return ['request', `simulated request ${s.id} is ${s.area ?? s.areas.join('|')} count=${s.count} align=${s.align}`];
  }
  if (s.status !== 'done' && s.status !== 'failed') return ['outcome', `still ${s.status} when the simulation ended`];
  if (tv.ok !== sv.ok) return ['outcome', `trace ${tv.ok ? 'succeeded' : 'failed'}, simulation ${sv.ok ? 'succeeded' : `failed (${sv.errno})`}`];
  if (tv.ok && tv.pfn !== sv.pfn) return ['placement', `trace placed it at ${hex(tv.pfn)}, simulation at ${hex(sv.pfn)}`];
  if (tv.retries !== sv.retries) return ['retries', `trace retried ${tv.retries} times, simulation ${sv.retries}`];
  return [null, ''];
}

export function compareRuns(traceRequests: readonly TraceRequest[], simRequests: readonly RequestRecord[], opts: CompareOptions): DivergenceReport {
  const pageSize = opts.pageSize ?? 4096;
  const sims = [...simRequests].sort((a, b) => a.id - b.id);
  const rows = traceRequests.map((t, i): RequestComparison => {
    const s = sims[i];
    const tv: SideView = { ok: t.ok, pfn: relative(opts.areas, pageSize, t.area, t.pfn), retries: t.busyRetries, latency: t.latency, errno: t.errno };
    const sv = s ? simView(s, opts.simAreas ?? opts.areas, pageSize) : null;
    const [divergence, detail] = judge(t, s, tv, sv);
    const ratio = sv && sv.latency !== null && tv.latency ? sv.latency / tv.latency : null;
    return {
      index: i, simId: s?.id ?? null, area: t.area, count: t.count, align: t.align, requester: `${t.comm}-${t.pid}`,
      start: t.start, phase: t.phase, trace: tv, sim: sv, divergence, detail, latencyRatio: ratio,
    };
  });
  const both = rows.filter((r) => r.sim !== null && r.divergence !== 'request' && r.divergence !== 'missing');
  const placed = both.filter((r) => r.trace.ok && r.sim!.ok);
  const first = rows.findIndex((r) => r.divergence !== null);
  const k = opts.context ?? 2;
  return {
    traceRequests: traceRequests.length,
    simRequests: simRequests.length,
    compared: both.length,
    outcomeAgree: both.filter((r) => r.trace.ok === r.sim!.ok && r.divergence !== 'outcome').length,
    placementCompared: placed.length,
    placementAgree: placed.filter((r) => r.trace.pfn === r.sim!.pfn).length,
    retriesAgree: both.filter((r) => r.trace.retries === r.sim!.retries).length,
    traceHasBusyRetries: traceRequests.some((t) => t.busyRetries > 0),
    firstDivergence: first < 0 ? null : { index: first, context: rows.slice(Math.max(0, first - k), first + k + 1) },
    latencyRatio: distribution(rows.flatMap((r) => (r.latencyRatio === null ? [] : [r.latencyRatio]))),
    rows,
  };
}
