/**
 * The front half of cma_alloc / cm_alloc: submission, the outer and search locks, the allocator
 * search (reserving before migration, reference §2 step 4), busy retries from
 * bitmap_no + mask + 1, and falling through a list of areas. The steps the transition table
 * (transitions.ts) runs on an event are exported; the rest are how they go on.
 */
import type { Draft } from 'immer';
import type { CmaAllocRequestEvent } from '../../../events/index.ts';
import type { Ctx } from '../../context.ts';
import { takeRange } from '../../mm/contig.ts';
import { cpuWall } from '../cpuWall.ts';
import type { AllocatorState } from '../allocators/allocator.ts';
import {
  acquire, allocatorOf, areaOf, cmaOwnerTag, geoOf, reserveIn, taskOf, trace, unlock, unreserveIn, type D, type DReq,
} from '../access.ts';
import { addRun } from '../extents.ts';
import { contigLock, outerLock, requestOwner, searchLock } from '../locks.ts';
import { ERRNO } from '../request.ts';
import type { CmaRequest } from '../state.ts';
import { startContig } from './contig.ts';
import { endRequest } from './endRequest.ts';
import { setStatus, type RequestStatus } from './status.ts';

const currentArea = (r: DReq): string => r.areas[r.areaIndex];
/** include/linux/threads.h PID_MAX_LIMIT on 64-bit: pids of extra caller threads are offset by it. */
const PID_MAX_LIMIT = 4 * 1024 * 1024;

/** The request's record, in status `submitted`, under its id and its caller's thread. */
export function newRequest(d: D, ev: CmaAllocRequestEvent, ctx: Ctx): DReq {
  const cma = d.cma;
  const id = ev.id ?? cma.nextRequestId;
  if (Object.hasOwn(cma.requests, id)) throw new Error(`cma.alloc.request: request id ${id} is already in use`);
  cma.nextRequestId = Math.max(cma.nextRequestId, id + 1);
  let areas = ev.areas ?? (ev.area !== undefined ? [ev.area] : []);
  if (areas.length === 0) {
    const dflt = cma.areaOrder.find((n) => cma.areas[n].isDefault) ?? cma.areaOrder[0];
    areas = dflt === undefined ? [] : [dflt];
  }
  // A caller is one thread: a request of a pid that has one in flight runs on a thread of its own.
  let tid = ev.pid;
  for (let k = 1; Object.hasOwn(cma.threads, tid); k++) tid = ev.pid + k * PID_MAX_LIMIT;
  cma.threads[tid] = id;
  const r: CmaRequest = {
    id, requester: ev.requester, pid: ev.pid, tid, forcedBusy: [...(ev.busy ?? [])], cpu: ev.cpu ?? 0, kind: ev.kind ?? '', areas: [...areas], area: areas[0] ?? null,
    count: ev.count, align: ev.align, status: 'submitted', submittedAt: ctx.now, finishedAt: null,
    phases: { lockWait: 0, search: 0, isolation: 0, migration: 0, finishing: 0 }, attempts: [], retries: 0, pfn: null,
    errno: null, lockMode: cma.lockMode, areaIndex: 0, cursor: 0, busy: [], candidate: null,
    candidateCursorNext: 0, migrateCursor: 0, tries: 0, lastError: null, markAt: ctx.now, held: [], spans: [],
  };
  cma.requests[id] = r as Draft<CmaRequest>;
  return cma.requests[id];
}

/** cma_alloc begins on the request's first area. */
export function startRequest(d: D, ctx: Ctx, r: DReq): void {
  const cma = d.cma;
  // cma_alloc returns NULL at once, without tracing, for no area, an empty area or count 0.
  const bad = r.count <= 0 || r.align < 0 || r.areas.length === 0 || r.areas.some((a) => !Object.hasOwn(cma.areas, a) || cma.areas[a].count === 0);
  if (bad) {
    cma.vmAllocFail++; // the early exits of cma_alloc still reach its CMA_ALLOC_FAIL accounting
    endRequest(d, ctx, r, ERRNO.EINVAL);
    return;
  }
  if (startOnArea(d, ctx, r)) beginSearch(d, ctx, r);
  else nextArea(d, ctx, r, ERRNO[cma.kernel.noAttemptErrno]);
}

/** Wait in `status` for `lock`; the grant is the request's next cma.lock.acquired. */
function waitFor(d: D, ctx: Ctx, r: DReq, status: RequestStatus, lock: string): void {
  setStatus(r, status, ctx.now);
  acquire(d, ctx, lock, requestOwner(r.id));
}

/** Take the outer lock of the mode (once per request), then search. */
function beginSearch(d: D, ctx: Ctx, r: DReq): void {
  const outer = outerLock(d.cma.lockMode);
  if (outer === null || r.held.includes(outer)) return enterSearch(d, ctx, r);
  waitFor(d, ctx, r, 'waiting-outer-lock', outer);
}

/**
 * cma_alloc on the request's current area begins. A request of more bits than the area's bitmap
 * holds fails at once, traced and counted as the kernel profile says; returns false then (the
 * request has moved on to its next area or ended).
 */
function startOnArea(d: D, ctx: Ctx, r: DReq): boolean {
  const a = areaOf(d, currentArea(r));
  const k = d.cma.kernel;
  r.area = a.name;
  r.cursor = 0;
  r.busy = [];
  const perBit = 2 ** a.orderPerBit;
  const oversize = Math.ceil(r.count / perBit) > Math.floor(a.count / perBit);
  if (!oversize || k.oversizeTrace !== 'none') {
    trace(ctx, {
      type: 'trace.cma_alloc_start', task: taskOf(r), name: a.name, count: r.count, align: r.align,
      availableCount: a.available, totalCount: a.count, request: r.id,
    });
  }
  if (!oversize) return true;
  recordFailure(d, ctx, r, ERRNO[k.noAttemptErrno], k.oversizeTrace === 'start-finish', k.oversizeCountsFail);
  return false;
}

/** Search now, or wait for the search lock first. */
export function enterSearch(d: D, ctx: Ctx, r: DReq): void {
  const lock = searchLock(d.cma.lockMode, currentArea(r));
  if (lock === null) return startSearch(d, ctx, r);
  waitFor(d, ctx, r, 'waiting-search-lock', lock);
}

export function startSearch(d: D, ctx: Ctx, r: DReq): void {
  setStatus(r, 'searching', ctx.now);
  const a = areaOf(d, currentArea(r));
  const al = allocatorOf(a);
  const geo = geoOf(a);
  // 6.15+ (cma_range_alloc): more pages asked than the area has available stops the loop at once.
  const stop = d.cma.kernel.availableEarlyStop && r.count > a.available;
  const c = stop ? null : al.find(a.alloc as AllocatorState, geo, r.count, r.align, r.cursor, r.busy);
  const g = al.granule(a.alloc as AllocatorState);
  // find_next_zero_bit scans words from the cursor up to the end of the found run (or the bitmap).
  const scanEnd = c === null ? a.basePfn + a.count : c.pfn + r.count;
  const granules = Math.max(1, Math.ceil((scanEnd - a.basePfn) / g) - r.cursor);
  const cost = stop ? 0 : cpuWall(d, r, ctx.now, d.cma.costs.searchPerWord * Math.ceil(granules / 64));
  if (c !== null) {
    if (al.reserveAtSearch) reserveIn(a, c.pfn, r.count);
    r.candidate = c.pfn;
    r.candidateCursorNext = c.cursorNext;
  } else r.candidate = null;
  ctx.schedule({ type: 'cma.search.done', request: r.id }, cost);
}

export function searchDone(d: D, ctx: Ctx, r: DReq): void {
  const id = r.id;
  const a = areaOf(d, currentArea(r));
  const lock = searchLock(d.cma.lockMode, a.name);
  if (lock !== null) unlock(d, ctx, requestOwner(id), lock);
  if (r.candidate === null) return areaExhausted(d, ctx, r);
  r.attempts.push({
    area: a.name, pfn: r.candidate, count: r.count, migrated: 0, dropped: 0, busy: 0, waitedWriteback: 0, failed: 0,
    passes: 0, reclaimNs: 0, writebackWaitNs: 0, waitedLocked: 0, pageLockWaitNs: 0, sharedLockWaitNs: 0, result: 0, startedAt: ctx.now, endedAt: null,
  });
  if (!a.shared) {
    // A private area is only an allocation algorithm: nothing to isolate or migrate.
    setStatus(r, 'finishing', ctx.now);
    takeRange(d, r.candidate, r.candidate + r.count, cmaOwnerTag(a.name));
    ctx.schedule({ type: 'cma.finished', request: id }, 0);
    return;
  }
  const cl = contigLock(d.cma.lockMode, a.name);
  if (cl === null) return startContig(d, ctx, r);
  waitFor(d, ctx, r, 'waiting-contig-lock', cl);
}

/** After a failed attempt's cleanup: clear its bits under the search lock, then retry or stop. */
export function afterFailedAttempt(d: D, ctx: Ctx, r: DReq): void {
  const cl = contigLock(d.cma.lockMode, currentArea(r));
  if (cl !== null && r.held.includes(cl)) unlock(d, ctx, requestOwner(r.id), cl);
  const lock = searchLock(d.cma.lockMode, currentArea(r));
  if (lock === null) return clearAttempt(d, ctx, r);
  waitFor(d, ctx, r, 'waiting-clear-lock', lock);
}

export function clearAttempt(d: D, ctx: Ctx, r: DReq): void {
  const a = areaOf(d, currentArea(r));
  const pfn = r.candidate!;
  if (allocatorOf(a).reserveAtSearch) unreserveIn(a, pfn, r.count);
  r.busy = addRun(r.busy, pfn, pfn + r.count);
  r.candidate = null;
  const lock = searchLock(d.cma.lockMode, a.name);
  if (lock !== null) unlock(d, ctx, requestOwner(r.id), lock);
  if (r.lastError !== ERRNO.EBUSY) return areaExhausted(d, ctx, r);
  r.retries++;
  trace(ctx, { type: 'trace.cma_alloc_busy_retry', task: taskOf(r), name: a.name, pfn, count: r.count, align: r.align, request: r.id });
  // mm/cma.c: "try again with a bit different memory target", forward only.
  r.cursor = r.candidateCursorNext;
  enterSearch(d, ctx, r);
}

/** This area's cma_alloc ends without a range: the last attempt's errno, or the profile's when none was made. */
function areaExhausted(d: D, ctx: Ctx, r: DReq): void {
  const errno = r.lastError ?? ERRNO[d.cma.kernel.noAttemptErrno];
  recordFailure(d, ctx, r, errno, true, true);
  nextArea(d, ctx, r, errno);
}

/** cma_alloc on the current area failed: trace and count it as asked. */
function recordFailure(d: D, ctx: Ctx, r: DReq, errno: number, traced: boolean, counted: boolean): void {
  const a = areaOf(d, currentArea(r));
  if (counted) {
    a.counters.allocPagesFail += r.count;
    d.cma.vmAllocFail++;
  }
  if (traced) trace(ctx, { type: 'trace.cma_alloc_finish', task: taskOf(r), name: a.name, pfn: -1, count: r.count, align: r.align, errorno: errno, request: r.id });
}

/** Fall through to the next area of the request's list; the request fails with `errno` when none is left. */
function nextArea(d: D, ctx: Ctx, r: DReq, errno: number): void {
  let last = errno;
  while (r.areaIndex + 1 < r.areas.length) {
    r.areaIndex++;
    r.lastError = null;
    if (startOnArea(d, ctx, r)) return beginSearch(d, ctx, r);
    last = ERRNO[d.cma.kernel.noAttemptErrno];
  }
  endRequest(d, ctx, r, last);
}
