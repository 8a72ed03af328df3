/**
 * The back half: alloc_contig_range on the candidate (reference §3) as timed steps, following
 * __alloc_contig_migrate_range of the kernel profile. Isolate the pageblocks and drain, migrate
 * the in-use pages batch by batch (clean page cache dropped when discardClean is on, writeback
 * waited for, pinned page cache retried, pinned anonymous pages never isolated; the 5th pass over
 * a batch that leaves pages gives -EBUSY, which goes on to test_pages_isolated), then take the
 * range and undo isolation.
 */
import type { CmaMigrationEvent } from '../../../events/index.ts';
import type { Ctx } from '../../context.ts';
import { isolateRange, migrateRange, migratetypeOf, takeRange, testPagesIsolated, undoIsolateRange } from '../../mm/contig.ts';
import { areaOf, allocatorOf, cmaOwnerTag, pageblocksCovering, reserveIn, taskOf, trace, type D, type DReq } from '../access.ts';
import { anonPagesIn, batchEnd } from '../batchEnd.ts';
import { cpuWall, workShare } from '../cpuWall.ts';
import { holdDrain, holdShared, withinPass } from '../../timing/sharedLocks.ts';
import { ERRNO } from '../request.ts';
import { endRequest } from './endRequest.ts';
import { setStatus } from './status.ts';

/** Passes over one batch that leave pages behind before -EBUSY (__alloc_contig_migrate_range: ++tries == 5). */
export const MAX_TRIES = 5;
/** Safety bound on passes over one batch while only waiting for writeback. */
const MAX_PASSES = 1000;

const rangeOf = (r: DReq): [number, number] => [r.candidate!, r.candidate! + r.count];

/**
 * The pageblocks alloc_contig_range isolates for the candidate: its own (5.19+), or before 5.19
 * the range widened to MAX_ORDER_NR_PAGES, max(MAX_ORDER_NR_PAGES, pageblock_nr_pages)
 * (pfn_max_align_down/up), kept inside the area (those kernels aligned areas to that size, so
 * the widened range never left one).
 */
function isolationOf(d: D, r: DReq): [number, number] {
  const [s, e] = rangeOf(r);
  if (d.cma.kernel.isolation === 'pageblock') return [s, e];
  const n = 2 ** Math.max(d.memory.config.maxOrder, d.memory.config.pageblockOrder);
  const a = areaOf(d, r.area!);
  return [Math.max(a.basePfn, s - (s % n)), Math.min(a.basePfn + a.count, Math.ceil(e / n) * n)];
}
const lastAttempt = (r: DReq) => r.attempts[r.attempts.length - 1];

/** Whether any pageblock covering [s, e) is MIGRATE_ISOLATE already. */
export function anyIsolated(d: D, s: number, e: number): boolean {
  return firstIsolated(d, s, e) !== null;
}

/** First pfn of the first MIGRATE_ISOLATE pageblock covering [s, e), or null. */
function firstIsolated(d: D, s: number, e: number): number | null {
  const n = 2 ** d.memory.config.pageblockOrder;
  for (let p = s - (s % n); p < e; p += n) if (migratetypeOf(d, p) === 'ISOLATE') return Math.max(p, s);
  return null;
}

export function startContig(d: D, ctx: Ctx, r: DReq): void {
  setStatus(r, 'isolating', ctx.now);
  const [s, e] = rangeOf(r);
  const [is, ie] = isolationOf(d, r);
  const c = d.cma.costs;
  // start_isolate_page_range fails with -EBUSY on a pageblock someone else isolated, after
  // isolating the pageblocks before it.
  const conflict = firstIsolated(d, is, ie);
  if (conflict !== null) return failAttempt(d, ctx, r, ERRNO.EBUSY, cpuWall(d, r, ctx.now, pageblocksCovering(d, is, conflict) * c.isolatePerPageblock), false);
  // Conditioned replay: the traced kernel found this candidate busy (a transient reference no trace records).
  const forced = r.forcedBusy.indexOf(s);
  if (forced >= 0) {
    r.forcedBusy.splice(forced, 1);
    trace(ctx, { type: 'trace.test_pages_isolated', task: taskOf(r), startPfn: s, endPfn: e, finPfn: s, ret: 'fail' });
    // The traced attempt isolated, drained, found the page busy at the test and undid isolation.
    const isolateNs = pageblocksCovering(d, is, ie) * c.isolatePerPageblock;
    const cost = isolateNs + pageblocksCovering(d, s, e) * c.testIsolatedPerPageblock;
    const wall = cpuWall(d, r, ctx.now, cost + c.drain);
    return failAttempt(d, ctx, r, ERRNO.EBUSY, wall + drainWait(d, r, ctx.now, wall, isolateNs, cost + c.drain), false);
  }
  isolateRange(d, is, ie);
  const isolateNs = pageblocksCovering(d, is, ie) * c.isolatePerPageblock;
  const wall = cpuWall(d, r, ctx.now, isolateNs + c.drain, 'isolation');
  ctx.schedule({ type: 'cma.isolated', request: r.id, pfn: s }, wall + drainWait(d, r, ctx.now, wall, isolateNs, isolateNs + c.drain));
}

/**
 * The drain that follows isolation, under the global drain mutexes other allocations' drains
 * hold (timing/sharedLocks.ts holdDrain): it starts once the isolation work's share of `wall` is
 * done and lasts the drain's share. Returns the wait, recorded on the attempt.
 */
function drainWait(d: D, r: DReq, now: number, wall: number, isolateNs: number, workNs: number): number {
  const drainNs = d.cma.costs.drain;
  if (drainNs <= 0 || workNs <= 0) return 0;
  const drainWall = Math.round((wall * drainNs) / workNs);
  const waited = holdDrain(d.cma.sharedLocks, now, now + Math.round((wall * isolateNs) / workNs), drainWall);
  if (waited > 0) {
    const at = lastAttempt(r);
    at.drainLockWaitNs = (at.drainLockWaitNs ?? 0) + waited;
  }
  return waited;
}

export function isolated(d: D, ctx: Ctx, r: DReq): void {
  setStatus(r, 'migrating', ctx.now);
  r.migrateCursor = r.candidate!;
  r.tries = 0;
  runBatch(d, ctx, r, 1);
}

/** Migrate the next batch, or retry [migrateCursor, retryEnd) when a pass left pages behind. */
function runBatch(d: D, ctx: Ctx, r: DReq, pass: number, retryEnd?: number): void {
  const [, e] = rangeOf(r);
  const b = retryEnd !== undefined ? { end: retryEnd, inUse: 1 } : batchEnd(d, r.migrateCursor, e, d.cma.migrateBatch);
  if (b.inUse === 0) {
    r.migrateCursor = e;
    return testIsolated(d, ctx, r);
  }
  const out = migrateRange(d, r.migrateCursor, b.end, { discardClean: d.cma.discardClean, costs: d.cma.costs, ctx, now: ctx.now });
  trace(ctx, { type: 'trace.mm_migrate_pages_start', task: taskOf(r), mode: 'MIGRATE_SYNC', reason: 'contig_range' });
  // The pass's work (copies, drops, reclaim) is CPU-bound. MIGRATE_SYNC sleeps on pages locked
  // under read I/O (folio_lock) and on pages under writeback (folio_wait_writeback) until the
  // device has finished them: the pass ends when both its CPU work and the last awaited page's
  // I/O are done, and the next pass moves those pages. The wait is the writeback's as far as the
  // flusher explains it, the rest the page lock's.
  const cpu = cpuWall(d, r, ctx.now, out.durationNs, 'migration');
  // Direct reclaim's sleeps on a congested device (3.17) add to the pass before its I/O waits.
  const throttle = out.throttleNs;
  const cpuEnd = ctx.now + cpu + throttle;
  const wbWait = out.writeback > 0 ? Math.max(0, out.writebackDoneAt - cpuEnd) : 0;
  const lockWait = out.locked > 0 ? Math.max(0, out.lockedDoneAt - cpuEnd - wbWait) : 0;
  // The zone and LRU locks are shared with allocations in other areas: wait while one holds them.
  const c = d.cma.costs;
  const isolatedFromLru = out.migrated + out.dropped + out.busy + out.writeback + out.locked + out.failed;
  const [zoneNs, lruNs] = withinPass(cpu, (out.migrated + out.dropped) * c.zoneLockPerPage, isolatedFromLru * c.lruLockPerPage);
  const sharedWait = holdShared(d.cma.sharedLocks, ctx.now, zoneNs, lruNs);
  const at = lastAttempt(r);
  at.reclaimNs = (at.reclaimNs ?? 0) + workShare(d, out.reclaimNs);
  at.writebackWaitNs = (at.writebackWaitNs ?? 0) + wbWait;
  at.pageLockWaitNs = (at.pageLockWaitNs ?? 0) + lockWait;
  at.sharedLockWaitNs = (at.sharedLockWaitNs ?? 0) + sharedWait;
  if (throttle > 0) at.throttleWaitNs = (at.throttleWaitNs ?? 0) + throttle;
  const wait = throttle + wbWait + lockWait + sharedWait;
  ctx.schedule({
    type: 'cma.migration', request: r.id, start: r.migrateCursor, end: b.end, pass, migrated: out.migrated, dropped: out.dropped,
    busy: out.busy, writeback: out.writeback, locked: out.locked, failed: out.failed, remaining: out.remaining,
  }, cpu + wait);
}

export function migrationDone(d: D, ctx: Ctx, r: DReq, ev: CmaMigrationEvent): void {
  const at = lastAttempt(r);
  at.migrated += ev.migrated;
  at.dropped += ev.dropped;
  at.busy += ev.busy;
  at.waitedWriteback += ev.writeback;
  at.waitedLocked = (at.waitedLocked ?? 0) + ev.locked;
  at.failed += ev.failed;
  at.passes++;
  trace(ctx, {
    type: 'trace.mm_migrate_pages', task: taskOf(r), nrSucceeded: ev.migrated, nrFailed: ev.busy + ev.failed,
    nrThpSucceeded: 0, nrThpFailed: 0, nrThpSplit: 0, nrSplit: 0, mode: 'MIGRATE_SYNC', reason: 'contig_range',
  });
  const k = d.cma.kernel;
  // migrate_pages' -ENOMEM (no page to migrate into) ends the loop at once since 5.15.
  if (ev.failed > 0 && k.enomemStops) return failAttempt(d, ctx, r, ERRNO.ENOMEM, 0);
  // Pinned anonymous pages were never isolated (isolate_migratepages_block): nothing to retry for them.
  const neverIsolated = k.skipPinnedAnon && ev.failed === 0 ? anonPagesIn(d, r.migrateCursor, ev.end) : 0;
  const left = ev.busy + ev.failed - neverIsolated;
  if (left === 0 && ev.writeback === 0 && ev.locked === 0) {
    r.tries = 0; // the next batch is isolated afresh
    r.migrateCursor = ev.end;
    if (ev.end < r.candidate! + r.count) return runBatch(d, ctx, r, 1);
    return testIsolated(d, ctx, r);
  }
  if (left > 0 && ++r.tries === MAX_TRIES) {
    // ++tries == 5: -EBUSY (5.10 and older: the last migrate_pages error if negative).
    const errno = !k.enomemStops && ev.failed > 0 ? ERRNO.ENOMEM : ERRNO.EBUSY;
    // alloc_contig_range goes on to test_pages_isolated on -EBUSY, which fails on the pages left (not 3.5).
    if (errno === ERRNO.EBUSY && k.busyFallsThrough) return testIsolated(d, ctx, r);
    return failAttempt(d, ctx, r, errno, 0);
  }
  // MIGRATE_SYNC waits for writeback and page locks inside migrate_pages: waiting is not a try.
  if (ev.pass >= MAX_PASSES) return failAttempt(d, ctx, r, ERRNO.EBUSY, 0);
  runBatch(d, ctx, r, ev.pass + 1, ev.end);
}

function testIsolated(d: D, ctx: Ctx, r: DReq): void {
  const [s, e] = rangeOf(r);
  const t = testPagesIsolated(d, s, e);
  trace(ctx, { type: 'trace.test_pages_isolated', task: taskOf(r), startPfn: s, endPfn: e, finPfn: t.finPfn, ret: t.ok ? 'success' : 'fail' });
  const c = d.cma.costs;
  const nPb = pageblocksCovering(d, s, e);
  if (!t.ok) return failAttempt(d, ctx, r, ERRNO.EBUSY, cpuWall(d, r, ctx.now, nPb * c.testIsolatedPerPageblock));
  setStatus(r, 'finishing', ctx.now);
  takeRange(d, s, e, cmaOwnerTag(r.area!));
  undoIsolateRange(d, ...isolationOf(d, r));
  ctx.schedule({ type: 'cma.finished', request: r.id }, cpuWall(d, r, ctx.now, nPb * (c.testIsolatedPerPageblock + c.takePerPageblock), 'finishing'));
}

/**
 * The attempt failed: undo isolation now, then clear and retry after `delay`, the modelled work
 * of the failed step. Nothing is added on top: the field figure of "tens of µs" per failed
 * attempt (reference §7) is what isolation, drain, migration passes and the test add up to, so a
 * fixed overhead would count that work twice.
 */
function failAttempt(d: D, ctx: Ctx, r: DReq, errno: number, delay: number, isolatedByUs = true): void {
  const [s] = rangeOf(r);
  if (isolatedByUs) undoIsolateRange(d, ...isolationOf(d, r));
  const at = lastAttempt(r);
  at.result = errno;
  at.endedAt = ctx.now;
  r.lastError = errno;
  ctx.schedule({ type: 'cma.attempt.failed', request: r.id, pfn: s, errno }, delay);
}

/** The range is ours: record the chunk, count it, end the request (cma_alloc_finish errorno 0). */
export function finished(d: D, ctx: Ctx, r: DReq): void {
  const id = r.id;
  const a = areaOf(d, r.area!);
  const pfn = r.candidate!;
  if (!allocatorOf(a).reserveAtSearch) reserveIn(a, pfn, r.count);
  const at = lastAttempt(r);
  at.result = 0;
  at.endedAt = ctx.now;
  d.cma.chunks[id] = {
    id, area: a.name, pfn, count: r.count, align: r.align, owner: r.requester, pid: r.pid, pins: 0, pinWaiters: 0,
    moving: null, releasing: false, moves: 0,
  };
  a.counters.allocPagesSuccess += r.count;
  d.cma.vmAllocSuccess++;
  r.pfn = pfn;
  r.candidate = null;
  trace(ctx, { type: 'trace.cma_alloc_finish', task: taskOf(r), name: a.name, pfn, count: r.count, align: r.align, errorno: 0, request: id });
  endRequest(d, ctx, r, 0);
}
