/**
 * Requests laid out on a timeline, for the Perfetto trace. When the run recorded phase spans
 * (ReportRequest.spans) they are used as they are; otherwise a request's summed phase times are
 * laid end to end from its submission in the order lock wait, search, isolation, migration,
 * finishing. The latter is exact for a request with one attempt and an approximation (attempts
 * merged) for a request that retried.
 */
import type { PhaseSpan, ReportRequest } from './runData.ts';

export const PHASE_ORDER: readonly PhaseSpan['phase'][] = ['lockWait', 'search', 'isolation', 'migration', 'finishing'];

/** Which lock a request holds once it stops waiting, by lock mode (reference §1 "locking"). */
export function lockName(lockMode: string, area: string | null): string {
  switch (lockMode) {
    case 'global': // 3.5: one cma_mutex around search and alloc_contig_range
    case 'split': // ~3.17-6.14: per-area bitmap lock (short) plus global cma_mutex around alloc_contig_range
      return 'cma_mutex';
    case 'series': // 2010-2011 framework: one mutex for every cm_alloc/cm_free
      return 'cma mutex (series)';
    case 'per-area': // 6.15+: each area's alloc_mutex
      return `${area ?? '?'} alloc_mutex`;
    default:
      return `${lockMode} lock`;
  }
}

/** End of the request on the timeline: its finish, or the end of the run while in flight. */
export function requestEnd(r: ReportRequest, runEnd: number): number {
  return r.finishedAt ?? Math.max(runEnd, r.submittedAt);
}

/** Phase spans of a request, clipped to [submittedAt, end], zero-length phases left out. */
export function phaseSpans(r: ReportRequest, runEnd: number): PhaseSpan[] {
  const end = requestEnd(r, runEnd);
  const clip = (s: PhaseSpan): PhaseSpan => ({ ...s, start: Math.min(Math.max(s.start, r.submittedAt), end), end: Math.min(Math.max(s.end, r.submittedAt), end) });
  if (r.spans) return r.spans.map(clip).filter((s) => s.end > s.start);
  const lock = lockName(r.lockMode, r.area);
  const out: PhaseSpan[] = [];
  let t = r.submittedAt;
  for (const phase of PHASE_ORDER) {
    const d = r.phases[phase];
    if (d > 0) out.push(clip({ phase, start: t, end: t + d, ...(phase === 'lockWait' ? {} : { lock }) }));
    t += d;
  }
  return out.filter((s) => s.end > s.start);
}

/** Lock holding intervals of a request: merged consecutive spans that name the same lock. */
export function lockHolds(spans: readonly PhaseSpan[]): { lock: string; start: number; end: number }[] {
  const out: { lock: string; start: number; end: number }[] = [];
  for (const s of spans) {
    if (!s.lock) continue;
    const last = out[out.length - 1];
    if (last && last.lock === s.lock && last.end === s.start) last.end = s.end;
    else out.push({ lock: s.lock, start: s.start, end: s.end });
  }
  return out;
}

/**
 * Greedy lane assignment: intervals (in the given order, which must be by start) go to the
 * first lane whose last interval has ended, so no two intervals on a lane overlap and slices on
 * one trace thread nest properly.
 */
export function assignLanes(intervals: readonly { start: number; end: number }[]): number[] {
  const laneEnd: number[] = [];
  return intervals.map(({ start, end }) => {
    let i = laneEnd.findIndex((e) => e <= start);
    if (i < 0) { i = laneEnd.length; laneEnd.push(end); } else laneEnd[i] = end;
    return i;
  });
}

export interface AttemptInterval {
  readonly area: string;
  readonly pfn: number;
  readonly count: number;
  readonly start: number;
  readonly end: number;
  readonly migrated: number;
  readonly dropped: number;
  readonly busy: number;
  readonly result: number;
}

/**
 * The request's attempts on candidate ranges as recorded by the model (startedAt/endedAt),
 * clipped to the request's own interval; an attempt still running ends at `end`. Attempts
 * without times (older records) are left out.
 */
export function attemptIntervals(r: ReportRequest, end: number): AttemptInterval[] {
  const out: AttemptInterval[] = [];
  for (const a of r.attempts) {
    if (typeof a.startedAt !== 'number') continue;
    const start = Math.min(Math.max(a.startedAt, r.submittedAt), end);
    out.push({ area: a.area, pfn: a.pfn, count: a.count, start, end: Math.max(start, Math.min(a.endedAt ?? end, end)),
      migrated: a.migrated, dropped: a.dropped, busy: a.busy, result: a.result });
  }
  return out;
}
