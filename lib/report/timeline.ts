/**
 * Requests laid out on a timeline, for the Perfetto trace. When the run recorded phase spans
 * (ReportRequest.spans) they are used as they are; otherwise a request's summed phase times are
 * laid end to end from its submission in the order lock wait, search, isolation, migration,
 * finishing. The latter is exact for a request with one attempt and an approximation (attempts
 * merged) for a request that retried.
 */
import { contigLock, outerLock, searchLock } from '../../models/cma/locks.ts';
import { LOCK_MODES, type LockMode } from '../../models/cma/state.ts';
import type { PhaseSpan, ReportRequest } from './runData.ts';

export const PHASE_ORDER: readonly PhaseSpan['phase'][] = ['lockWait', 'search', 'isolation', 'migration', 'finishing'];

/**
 * Locks a request holds in each phase, from the model's own lock rules (models/cma/locks.ts):
 * the outer lock (global, series) covers everything after the wait; otherwise the search runs
 * under the area's bitmap lock and isolation, migration and finishing under the contig lock.
 */
export function phaseLocks(lockMode: string, area: string | null, phase: PhaseSpan['phase']): string[] {
  if (phase === 'lockWait' || !(LOCK_MODES as readonly string[]).includes(lockMode)) return [];
  const mode = lockMode as LockMode;
  const a = area ?? '?';
  const lock = outerLock(mode) ?? (phase === 'search' ? searchLock(mode, a) : contigLock(mode, a));
  return lock === null ? [] : [lock];
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
  const out: PhaseSpan[] = [];
  let t = r.submittedAt;
  for (const phase of PHASE_ORDER) {
    const d = r.phases[phase];
    if (d > 0) out.push(clip({ phase, start: t, end: t + d, locks: phaseLocks(r.lockMode, r.area, phase) }));
    t += d;
  }
  return out.filter((s) => s.end > s.start);
}

/** Lock holding intervals of a request: for each lock, consecutive spans that hold it merged. */
export function lockHolds(spans: readonly PhaseSpan[]): { lock: string; start: number; end: number }[] {
  const out: { lock: string; start: number; end: number }[] = [];
  const open = new Map<string, { lock: string; start: number; end: number }>();
  for (const s of spans) {
    for (const lock of s.locks ?? []) {
      const h = open.get(lock);
      if (h && h.end === s.start) h.end = s.end;
      else { const n = { lock, start: s.start, end: s.end }; open.set(lock, n); out.push(n); }
    }
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
