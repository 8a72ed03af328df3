/**
 * The front half of cma_alloc / cm_alloc as a process in state: submission, the outer and search
 * locks, the allocator search (reserving before migration, reference §2 step 4), busy retries
 * from bitmap_no + mask + 1, falling through a list of areas, and the request's end.
 */
import type { Draft } from 'immer';
import type { CmaAllocRequestEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import { takeRange } from '../memory/contig.ts';
import type { AllocatorState } from './allocators/allocator.ts';
import {
  acquire, allocatorOf, areaOf, closeSpan, dropHeld, geoOf, handOff, reqOf, reqOwner, reserveIn, setStatus, taskOf, trace,
  unreserveIn, type D, type DReq,
} from './access.ts';
// contigFlow imports this module too; the cycle is safe because neither uses the other at load time.
import { cmaOwnerTag, startContig } from './contigFlow.ts';
import { cpuWall } from './cpuWall.ts';
import { addRun } from './extents.ts';
import { contigLock, outerLock, searchLock } from './locks.ts';
import { ERRNO } from './request.ts';
import type { CmaRequest } from './state.ts';

const currentArea = (r: DReq): string => r.areas[r.areaIndex];
/** include/linux/threads.h PID_MAX_LIMIT on 64-bit: pids of extra caller threads are offset by it. */
const PID_MAX_LIMIT = 4 * 1024 * 1024;

export function submitRequest(d: D, ev: CmaAllocRequestEvent, ctx: Ctx): void {
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
    count: ev.count, align: ev.align, status: 'waiting-lock', submittedAt: ctx.now, finishedAt: null,
    phases: { lockWait: 0, search: 0, isolation: 0, migration: 0, finishing: 0 }, attempts: [], retries: 0, pfn: null,
    errno: null, lockMode: cma.lockMode, stage: 'idle', areaIndex: 0, cursor: 0, busy: [], candidate: null,
    candidateCursorNext: 0, migrateCursor: 0, tries: 0, lastError: null, markAt: ctx.now, held: [], spans: [],
  };
  cma.requests[id] = r as Draft<CmaRequest>;
  const dr = cma.requests[id];
  // cma_alloc returns NULL at once, without tracing, for no area, an empty area or count 0.
  const bad = ev.count <= 0 || ev.align < 0 || areas.length === 0 || areas.some((a) => !Object.hasOwn(cma.areas, a) || cma.areas[a].count === 0);
  if (bad) {
    cma.vmAllocFail++; // the early exits of cma_alloc still reach its CMA_ALLOC_FAIL accounting
    endRequest(d, ctx, dr, ERRNO.EINVAL);
    return;
  }
  if (startOnArea(d, ctx, dr)) beginSearch(d, ctx, dr);
  else nextArea(d, ctx, dr, ERRNO[cma.kernel.noAttemptErrno]);
}

/** Take the outer lock of the mode (once per request), then search. */
function beginSearch(d: D, ctx: Ctx, r: DReq): void {
  const outer = outerLock(d.cma.lockMode);
  if (outer === null || r.held.includes(outer)) return enterSearch(d, ctx, r);
  r.stage = 'outer';
  acquire(d, ctx, outer, reqOwner(r.id));
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

/** A lock the request waited for was granted: continue where it stopped. */
export function requestGotLock(d: D, ctx: Ctx, id: number, lock: string): void {
  const r = reqOf(d, id);
  closeSpan(r, ctx.now);
  r.held.push(lock);
  switch (r.stage) {
    case 'outer': return enterSearch(d, ctx, r);
    case 'search': return startSearch(d, ctx, r);
    case 'contig': return startContig(d, ctx, r);
    case 'clear': return clearAttempt(d, ctx, r);
    default: throw new Error(`cma: request ${id} was granted ${lock} in stage ${r.stage}`);
  }
}

export function enterSearch(d: D, ctx: Ctx, r: DReq): void {
  const lock = searchLock(d.cma.lockMode, currentArea(r));
  if (lock === null) return startSearch(d, ctx, r);
  r.stage = 'search';
  setStatus(r, 'waiting-lock', ctx.now);
  acquire(d, ctx, lock, reqOwner(r.id));
}

function startSearch(d: D, ctx: Ctx, r: DReq): void {
  setStatus(r, 'searching', ctx.now);
  r.stage = 'idle';
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

export function searchDone(d: D, ctx: Ctx, id: number): void {
  const r = reqOf(d, id);
  const a = areaOf(d, currentArea(r));
  const lock = searchLock(d.cma.lockMode, a.name);
  if (lock !== null) {
    closeSpan(r, ctx.now);
    dropHeld(r.held, lock);
    handOff(d, ctx, lock, reqOwner(id));
  }
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
  r.stage = 'contig';
  setStatus(r, 'waiting-lock', ctx.now);
  acquire(d, ctx, cl, reqOwner(id));
}

/** After a failed attempt's cleanup: clear its bits under the search lock, then retry or stop. */
export function afterFailedAttempt(d: D, ctx: Ctx, r: DReq): void {
  const cl = contigLock(d.cma.lockMode, currentArea(r));
  if (cl !== null && r.held.includes(cl)) {
    closeSpan(r, ctx.now);
    dropHeld(r.held, cl);
    handOff(d, ctx, cl, reqOwner(r.id));
  }
  const lock = searchLock(d.cma.lockMode, currentArea(r));
  if (lock === null) return clearAttempt(d, ctx, r);
  r.stage = 'clear';
  setStatus(r, 'waiting-lock', ctx.now);
  acquire(d, ctx, lock, reqOwner(r.id));
}

function clearAttempt(d: D, ctx: Ctx, r: DReq): void {
  r.stage = 'idle';
  const a = areaOf(d, currentArea(r));
  const pfn = r.candidate!;
  if (allocatorOf(a).reserveAtSearch) unreserveIn(a, pfn, r.count);
  r.busy = addRun(r.busy, pfn, pfn + r.count);
  r.candidate = null;
  const lock = searchLock(d.cma.lockMode, a.name);
  if (lock !== null) {
    closeSpan(r, ctx.now);
    dropHeld(r.held, lock);
    handOff(d, ctx, lock, reqOwner(r.id));
  }
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

/** Terminal: release whatever the request still holds and announce the outcome. */
export function endRequest(d: D, ctx: Ctx, r: DReq, errno: number): void {
  delete d.cma.threads[r.tid];
  setStatus(r, errno === 0 ? 'done' : 'failed', ctx.now);
  r.stage = 'idle';
  r.errno = errno;
  r.finishedAt = ctx.now;
  for (const lock of [...r.held].reverse()) {
    closeSpan(r, ctx.now);
    dropHeld(r.held, lock);
    handOff(d, ctx, lock, reqOwner(r.id));
  }
  ctx.schedule({ type: 'cma.alloc.done', request: r.id, requester: r.requester, pfn: errno === 0 ? r.pfn! : -1, count: r.count, errno }, 0);
}
