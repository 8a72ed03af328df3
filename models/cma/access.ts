/**
 * Small shared helpers for the CMA reducers: typed access to records in the draft, the allocator
 * of an area, lock hand-offs, phase accounting and trace emission.
 */
import type { Draft } from 'immer';
import type { SimEvent, TraceTask } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import type { SimState } from '../state.ts';
import { type AreaGeometry, type CmaAllocator, type AllocatorState } from './allocators/allocator.ts';
import { getAllocator } from './allocators/registry.ts';
import { release, tryAcquire } from './locks.ts';
import type { RequestStatus } from './request.ts';
import type { AreaState, ChunkRecord, CmaRequest, ReleaseOp } from './state.ts';

export type D = Draft<SimState>;
export type DReq = Draft<CmaRequest>;

export function reqOf(d: D, id: number): DReq {
  const r = d.cma.requests[id];
  if (!r) throw new Error(`cma: no request ${id}`);
  return r;
}

export function areaOf(d: D, name: string): Draft<AreaState> {
  const a = d.cma.areas[name];
  if (!a) throw new Error(`cma: no area '${name}'`);
  return a;
}

export function chunkOf(d: D, id: number): Draft<ChunkRecord> | undefined {
  return d.cma.chunks[id];
}

export function releaseOf(d: D, id: number): Draft<ReleaseOp> {
  const r = d.cma.releases[id];
  if (!r) throw new Error(`cma: no release in flight for chunk ${id}`);
  return r;
}

export function geoOf(a: AreaState | Draft<AreaState>): AreaGeometry {
  return { name: a.name, basePfn: a.basePfn, count: a.count, orderPerBit: a.orderPerBit };
}

export function allocatorOf(a: AreaState | Draft<AreaState>): CmaAllocator<AllocatorState> {
  return getAllocator(a.allocator);
}

/** Mark [pfn, pfn + count) allocated in the area's allocator and its available count. */
export function reserveIn(a: Draft<AreaState>, pfn: number, count: number): void {
  const al = allocatorOf(a);
  a.alloc = al.reserve(a.alloc as AllocatorState, geoOf(a), pfn, count) as Draft<AllocatorState>;
  a.available -= count;
}

export function unreserveIn(a: Draft<AreaState>, pfn: number, count: number): void {
  const al = allocatorOf(a);
  a.alloc = al.unreserve(a.alloc as AllocatorState, geoOf(a), pfn, count) as Draft<AllocatorState>;
  a.available += count;
}

const BUCKET: Record<RequestStatus, keyof CmaRequest['phases'] | null> = {
  'waiting-lock': 'lockWait', searching: 'search', isolating: 'isolation', migrating: 'migration', finishing: 'finishing',
  done: null, failed: null,
};

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
  const b = BUCKET[r.status];
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

export const reqOwner = (id: number): string => `a${id}`;
export const relOwner = (chunk: number): string => `r${chunk}`;

/**
 * Take `lock` for `owner`; when free the grant is an immediate cma.lock.acquired event, otherwise
 * the owner waits in FIFO order and is woken by handOff.
 */
export function acquire(d: D, ctx: Ctx, lock: string, owner: string): void {
  if (tryAcquire(d.cma.locks, lock, owner, ctx.now)) ctx.schedule({ type: 'cma.lock.acquired', owner, lock, waitedNs: 0 }, 0);
}

/** Drop `lock`; the next waiter is woken after the hand-off cost. */
export function handOff(d: D, ctx: Ctx, lock: string, owner: string): void {
  const next = release(d.cma.locks, lock, owner, ctx.now);
  if (next !== null) {
    const delay = d.cma.costs.lockHandoff;
    ctx.schedule({ type: 'cma.lock.acquired', owner: next.owner, lock, waitedNs: ctx.now + delay - next.since }, delay);
  }
}

export function dropHeld(held: string[], lock: string): void {
  const i = held.indexOf(lock);
  if (i < 0) throw new Error(`cma: lock ${lock} is not held`);
  held.splice(i, 1);
}

/** The task a trace line names: a request's own thread (`tid`), or the releaser's pid. */
export function taskOf(x: { requester: string; pid: number; cpu: number; tid?: number }): TraceTask {
  return { comm: x.requester, pid: x.tid ?? x.pid, cpu: x.cpu };
}

/** Trace-equivalent events fire at the instant of the state change they describe. */
export function trace(ctx: Ctx, e: SimEvent): void {
  ctx.schedule(e, 0);
}

/** Page-frame ranges of pageblocks covering [s, e). */
export function pageblocksCovering(d: D, s: number, e: number): number {
  const n = 2 ** d.memory.config.pageblockOrder;
  return Math.ceil(e / n) - Math.floor(s / n);
}

/** A kernel-style WARN: counted, announced as cma.warning, and nothing else changes. */
export function warn(d: D, ctx: Ctx, what: string, chunk: number, detail: string): void {
  d.cma.warnings++;
  ctx.schedule({ type: 'cma.warning', what, chunk, detail }, 0);
}
