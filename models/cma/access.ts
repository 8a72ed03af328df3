/**
 * Small shared helpers for the CMA reducers: typed access to records in the draft, the allocator
 * of an area, taking and letting go of locks, and trace emission.
 */
import type { Draft } from 'immer';
import type { SimEvent, TraceTask } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import type { SimDraft } from '../state.ts';
import { type AreaGeometry, type CmaAllocator, type AllocatorState } from './allocators/allocator.ts';
import { getAllocator } from './allocators/registry.ts';
import { ownerTag, release, sameOwner, tryAcquire } from './locks.ts';
import { closeSpan } from './request/status.ts';
import type { AreaState, ChunkRecord, CmaRequest, LockOwner, ReleaseOp } from './state.ts';

export type D = SimDraft;
export type DReq = Draft<CmaRequest>;
export type DRelease = Draft<ReleaseOp>;

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

export function releaseOf(d: D, id: number): DRelease {
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

/**
 * Take `lock` for `owner`; when free the grant is an immediate cma.lock.acquired event, otherwise
 * the owner waits in FIFO order and is woken by unlock.
 */
export function acquire(d: D, ctx: Ctx, lock: string, owner: LockOwner): void {
  if (tryAcquire(d.cma.locks, lock, owner, ctx.now)) ctx.schedule({ type: 'cma.lock.acquired', owner: ownerTag(owner), lock, waitedNs: 0 }, 0);
}

/**
 * The one way a lock is let go: a request first closes its current span (so the span shows the
 * lock it held), the owner's `held` list loses the lock, and the next waiter is woken after the
 * hand-off cost.
 */
export function unlock(d: D, ctx: Ctx, owner: LockOwner, lock: string): void {
  if (owner.kind === 'request') closeSpan(reqOf(d, owner.id), ctx.now);
  const held = heldBy(d, owner);
  const i = held.indexOf(lock);
  if (i < 0) throw new Error(`cma: lock ${lock} is not held by ${ownerTag(owner)}`);
  held.splice(i, 1);
  const next = release(d.cma.locks, lock, owner, ctx.now);
  if (next !== null) {
    const delay = d.cma.costs.lockHandoff;
    ctx.schedule({ type: 'cma.lock.acquired', owner: ownerTag(next.owner), lock, waitedNs: ctx.now + delay - next.since }, delay);
  }
}

/** Let go of every lock `owner` holds, the last taken first. */
export function unlockAll(d: D, ctx: Ctx, owner: LockOwner): void {
  for (const lock of [...heldBy(d, owner)].reverse()) unlock(d, ctx, owner, lock);
}

/** Who an owner is in messages: `request 3`, `release of chunk 5`. */
export const nameOf = (o: LockOwner): string => (o.kind === 'request' ? `request ${o.id}` : `release of chunk ${o.id}`);

const recordOf = (d: D, owner: LockOwner): DReq | DRelease => (owner.kind === 'request' ? reqOf(d, owner.id) : releaseOf(d, owner.id));

/** The locks `owner` holds, by name, in the order taken. */
const heldBy = (d: D, owner: LockOwner): string[] => recordOf(d, owner).held;

/**
 * `owner` reduces its cma.lock.acquired: the lock acquire or unlock handed it now counts in its
 * `held`. A grant of a lock it was not handed is a bug.
 */
export function takeGranted(d: D, owner: LockOwner, lock: string): void {
  const x = recordOf(d, owner);
  if (!sameOwner(d.cma.locks[lock]?.holder ?? null, owner)) throw new Error(`cma: ${nameOf(owner)} (${x.status}) was not handed ${lock}`);
  x.held.push(lock);
}

/** The page owner a CMA area's allocated pages carry in memory. */
export const cmaOwnerTag = (area: string): string => `cma:${area}`;

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
