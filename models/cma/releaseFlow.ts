/**
 * cma_release / cm_free: the pages go back to the page allocator (as MIGRATE_CMA for a shared
 * area) at a per-page cost, then the allocator's bits are cleared under the lock of the mode in
 * force. A pinned (or moving, or already releasing) chunk is refused with a warning and nothing
 * changes, as cm_free's WARN_ON did. The steps here are the rows of releaseTransitions.ts.
 */
import type { CmaReleaseEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import { releaseRange } from '../mm/contig.ts';
import { acquire, areaOf, releaseOf, taskOf, trace, unlockAll, unreserveIn, warn, type D, type DRelease } from './access.ts';
import { releaseLock, releaseOwner } from './locks.ts';
import type { ChunkRecord } from './state.ts';

/** The chunk holding the first page released: by id, or any chunk of the area containing pfn (cma_release takes any pfn). */
function findChunk(d: D, ev: CmaReleaseEvent): ChunkRecord | undefined {
  if (ev.chunk !== undefined) return d.cma.chunks[ev.chunk];
  for (const id of Object.keys(d.cma.chunks)) {
    const c = d.cma.chunks[id];
    if (c.area === ev.area && ev.pfn !== undefined && c.pfn <= ev.pfn && ev.pfn < c.pfn + c.count) return c;
  }
  return undefined;
}

/** The release `ev` asks for, in state (status `submitted`); undefined when it is refused with a warning. */
export function newRelease(d: D, ev: CmaReleaseEvent, ctx: Ctx): DRelease | undefined {
  const c = findChunk(d, ev);
  const ref = ev.chunk ?? -1;
  if (!c) return void warn(d, ctx, 'release-unknown', ref, `no live chunk ${ev.chunk ?? `at ${ev.area}:0x${(ev.pfn ?? 0).toString(16)}`}`);
  // cma_release frees exactly [pfn, pfn + count): the whole chunk, or part of it.
  const pfn = ev.chunk !== undefined ? c.pfn : ev.pfn!;
  const count = ev.count ?? c.pfn + c.count - pfn;
  if (count < 1 || pfn + count > c.pfn + c.count) {
    return void warn(d, ctx, 'release-count', c.id, `chunk holds [0x${c.pfn.toString(16)}, 0x${(c.pfn + c.count).toString(16)}), release asked for ${count} pages at 0x${pfn.toString(16)}`);
  }
  if (c.releasing) return void warn(d, ctx, 'release-twice', c.id, 'chunk is already being released');
  if (c.pins > 0 || c.pinWaiters > 0) return void warn(d, ctx, 'release-pinned', c.id, `chunk is pinned (${c.pins}); cm_free refused`);
  if (c.moving !== null) return void warn(d, ctx, 'release-moving', c.id, 'chunk is being moved by defragmentation');
  d.cma.chunks[c.id].releasing = true;
  d.cma.releases[c.id] = {
    chunk: c.id, area: c.area, pfn, count, requester: c.owner, pid: c.pid, cpu: 0, status: 'submitted',
    startedAt: ctx.now, held: [],
  };
  return releaseOf(d, c.id);
}

/** The series held its one mutex through all of cm_free; mainline frees the pages unlocked. */
export function startRelease(d: D, ctx: Ctx, op: DRelease): void {
  if (d.cma.lockMode !== 'series') return freePages(d, ctx, op);
  op.status = 'waiting-outer-lock';
  acquire(d, ctx, releaseLock('series', op.area), releaseOwner(op.chunk));
}

export function freePages(d: D, ctx: Ctx, op: DRelease): void {
  releaseRange(d, op.pfn, op.pfn + op.count);
  op.status = 'freeing';
  ctx.schedule({ type: 'cma.release.freed', chunk: op.chunk }, op.count * d.cma.costs.releasePerPage);
}

/** The pages are free: clear the bits, under the mode's release lock (the series already holds it). */
export function releaseFreed(d: D, ctx: Ctx, op: DRelease): void {
  const lock = releaseLock(d.cma.lockMode, op.area);
  if (op.held.includes(lock)) return clearBits(d, ctx, op);
  op.status = 'waiting-clear-lock';
  acquire(d, ctx, lock, releaseOwner(op.chunk));
}

export function clearBits(d: D, ctx: Ctx, op: DRelease): void {
  const a = areaOf(d, op.area);
  unreserveIn(a, op.pfn, op.count);
  a.counters.releasePagesSuccess += op.count;
  unlockAll(d, ctx, releaseOwner(op.chunk));
  const { chunk, area, pfn, count } = op;
  trace(ctx, { type: 'trace.cma_release', task: taskOf(op), name: area, pfn, count });
  keepRest(d, chunk, pfn, pfn + count);
  op.status = 'released';
  delete d.cma.releases[chunk];
  ctx.schedule({ type: 'cma.release.done', chunk, area, pfn, count }, 0);
  if (d.cma.defrag.mode === 'on-release') ctx.schedule({ type: 'cma.defrag', area }, 0);
}

/**
 * After a release of [s, e) from a chunk: what is left before it stays the chunk, what is left
 * after it becomes a chunk of its own, id -(e + 1) (no request has a negative id, and live chunks
 * never overlap, so the id is free); nothing left, the chunk is gone.
 */
function keepRest(d: D, chunk: number, s: number, e: number): void {
  const c = d.cma.chunks[chunk];
  const end = c.pfn + c.count;
  if (e < end && s > c.pfn) {
    const id = -(e + 1);
    d.cma.chunks[id] = { ...c, id, pfn: e, count: end - e, releasing: false };
  }
  if (s > c.pfn) c.count = s - c.pfn;
  else if (e < end) {
    c.pfn = e;
    c.count = end - e;
  } else {
    delete d.cma.chunks[chunk];
    return;
  }
  c.releasing = false;
}
