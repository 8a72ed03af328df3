/**
 * Timing statistics derived from RunData: one row per request, and count / failures / latency
 * percentiles / mean lock wait per device, kind, area and lock mode.
 */
import { errnoName, type AllocAttempt, type PhaseTimes } from '../../models/cma/request.ts';
import { decompose, type Decomposition } from './decomposition.ts';
import { nearestRank, sortedNumbers } from '../text/percentile.ts';
import type { ReportRequest, RunData } from './runData.ts';

export interface RequestRow {
  readonly id: number;
  readonly requester: string;
  readonly kind: string;
  /** Area that satisfied (or last tried) the request; '' when none was tried. */
  readonly area: string;
  readonly lockMode: string;
  readonly count: number;
  readonly align: number;
  readonly submittedAt: number;
  readonly finishedAt: number | null;
  /** finishedAt - submittedAt, ns; null while in flight. */
  readonly latency: number | null;
  readonly phases: PhaseTimes;
  /** Where the latency went (decomposition.ts); the parts sum to latency once finished. */
  readonly decomposition: Decomposition;
  readonly migrated: number;
  readonly dropped: number;
  readonly busy: number;
  readonly attempts: number;
  readonly retries: number;
  readonly errno: number | null;
  /** 'ok', an errno name such as '-EBUSY', or 'in-flight'. */
  readonly result: string;
  readonly pfn: number | null;
}

export interface GroupStats {
  /** Group value (device name, kind, area, lock mode; 'all' for the summary). */
  readonly key: string;
  readonly count: number;
  readonly ok: number;
  readonly inFlight: number;
  /** Failures by errno name ('-EBUSY': 3), names sorted. */
  readonly failures: Readonly<Record<string, number>>;
  /** Nearest-rank percentiles over finished requests (successes and failures), ns. */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  /** Mean lock wait over all requests, ns (exact; may be fractional). */
  readonly meanLockWait: number | null;
  readonly pages: number;
}

export type GroupBy = 'device' | 'kind' | 'area' | 'lockMode';
export const GROUP_BYS: readonly GroupBy[] = ['device', 'kind', 'area', 'lockMode'];

export interface Aggregate {
  readonly rows: readonly RequestRow[];
  readonly summary: GroupStats;
  readonly groups: { readonly [G in GroupBy]: readonly GroupStats[] };
}

function sum(xs: readonly AllocAttempt[], k: 'migrated' | 'dropped' | 'busy'): number {
  let s = 0;
  for (const x of xs) s += x[k];
  return s;
}

export function requestRow(r: ReportRequest): RequestRow {
  const latency = r.finishedAt === null ? null : r.finishedAt - r.submittedAt;
  const result = r.errno === null ? 'in-flight' : r.errno === 0 ? 'ok' : errnoName(r.errno);
  return {
    id: r.id, requester: r.requester, kind: r.kind, area: r.area ?? '', lockMode: r.lockMode,
    count: r.count, align: r.align, submittedAt: r.submittedAt, finishedAt: r.finishedAt, latency,
    phases: { ...r.phases }, decomposition: decompose(r),
    migrated: sum(r.attempts, 'migrated'), dropped: sum(r.attempts, 'dropped'), busy: sum(r.attempts, 'busy'),
    attempts: r.attempts.length, retries: r.retries, errno: r.errno, result, pfn: r.pfn,
  };
}

export function groupStats(key: string, rows: readonly RequestRow[]): GroupStats {
  const lat = sortedNumbers(rows.flatMap((r) => (r.latency === null ? [] : [r.latency])));
  const failures: Record<string, number> = {};
  let ok = 0, inFlight = 0, pages = 0, lockWait = 0;
  for (const r of rows) {
    if (r.result === 'ok') { ok++; pages += r.count; } else if (r.result === 'in-flight') inFlight++;
    else failures[r.result] = (failures[r.result] ?? 0) + 1;
    lockWait += r.phases.lockWait;
  }
  const sortedFailures = Object.fromEntries(Object.keys(failures).sort().map((k) => [k, failures[k]]));
  return {
    key, count: rows.length, ok, inFlight, failures: sortedFailures,
    p50: nearestRank(lat, 50), p90: nearestRank(lat, 90), p99: nearestRank(lat, 99),
    max: lat.length ? lat[lat.length - 1] : null,
    meanLockWait: rows.length ? lockWait / rows.length : null, pages,
  };
}

const KEY_OF: { readonly [G in GroupBy]: (r: RequestRow) => string } = {
  device: (r) => r.requester,
  kind: (r) => r.kind,
  area: (r) => r.area,
  lockMode: (r) => r.lockMode,
};

/** Groups in order of key (code-unit order, so the same data always gives the same order). */
export function groupRows(by: GroupBy, rows: readonly RequestRow[]): GroupStats[] {
  const buckets = new Map<string, RequestRow[]>();
  for (const r of rows) {
    const k = KEY_OF[by](r);
    const b = buckets.get(k);
    if (b) b.push(r); else buckets.set(k, [r]);
  }
  return [...buckets.keys()].sort(cmpStr).map((k) => groupStats(k, buckets.get(k)!));
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function aggregate(data: RunData): Aggregate {
  const rows = [...data.requests].sort((a, b) => a.id - b.id).map(requestRow);
  const groups = {
    device: groupRows('device', rows), kind: groupRows('kind', rows),
    area: groupRows('area', rows), lockMode: groupRows('lockMode', rows),
  };
  return { rows, summary: groupStats('all', rows), groups };
}
