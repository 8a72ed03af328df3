/**
 * A request's one status field, the phase each status charges its time to, and the word reports
 * show for it. Which status follows which on which event is models/cma/request/transitions.ts.
 */
import type { Draft } from 'immer';
import type { PhaseTimes, ReportedStatus, RequestRecord } from '../request.ts';
import type { CmaRequest } from '../state.ts';

/**
 * Each lock wait is a status of its own, named after what the request does once granted the
 * lock: the outer lock of the mode (then search), the search lock (to search, or to clear a
 * failed attempt's bits), the lock around alloc_contig_range (then isolate). `submitted` lasts
 * only while cma.alloc.request is reduced.
 */
export type RequestStatus =
  | 'submitted'
  | 'waiting-outer-lock'
  | 'waiting-search-lock'
  | 'searching'
  | 'waiting-contig-lock'
  | 'isolating'
  | 'migrating'
  | 'finishing'
  | 'waiting-clear-lock'
  | 'done'
  | 'failed';

const REPORTED: Readonly<Record<RequestStatus, ReportedStatus>> = {
  submitted: 'waiting-lock', 'waiting-outer-lock': 'waiting-lock', 'waiting-search-lock': 'waiting-lock', searching: 'searching',
  'waiting-contig-lock': 'waiting-lock', isolating: 'isolating', migrating: 'migrating', finishing: 'finishing',
  'waiting-clear-lock': 'waiting-lock', done: 'done', failed: 'failed',
};

export const reportedStatus = (s: RequestStatus): ReportedStatus => REPORTED[s];

/** The request as reports read it: its status in their words, every other field as it is. */
export const reportedRecord = (r: CmaRequest): RequestRecord & Omit<CmaRequest, 'status'> => ({ ...r, status: reportedStatus(r.status) });

/** The phase whose time a status adds to (null: the request has ended). */
const PHASE: Readonly<Record<RequestStatus, keyof PhaseTimes | null>> = {
  submitted: 'lockWait', 'waiting-outer-lock': 'lockWait', 'waiting-search-lock': 'lockWait', searching: 'search',
  'waiting-contig-lock': 'lockWait', isolating: 'isolation', migrating: 'migration', finishing: 'finishing',
  'waiting-clear-lock': 'lockWait', done: null, failed: null,
};

type DReq = Draft<CmaRequest>;

/** Move a request to `status`, charging the time since the last change to the phase it leaves. */
export function setStatus(r: DReq, status: RequestStatus, now: number): void {
  closeSpan(r, now);
  r.status = status;
}

/**
 * Charge the time since the last mark to the current phase and record it as a span with the locks
 * held during it. Called before the held locks change, so a span never shows a lock it waited for.
 */
export function closeSpan(r: DReq, now: number): void {
  const b = PHASE[r.status];
  if (b !== null && now > r.markAt) {
    r.phases[b] += now - r.markAt;
    const last = r.spans.length > 0 ? r.spans[r.spans.length - 1] : null;
    if (last !== null && last.phase === b && last.end === r.markAt && sameLocks(last.locks, r.held)) last.end = now;
    else r.spans.push({ phase: b, start: r.markAt, end: now, locks: [...r.held] });
  }
  r.markAt = now;
}

function sameLocks(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
