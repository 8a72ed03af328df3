/**
 * cma_release / cm_free: the pages go back to the page allocator (as MIGRATE_CMA for a shared
 * area) at a per-page cost, then the allocator's bits are cleared under the lock of the mode in
 * force. A pinned (or moving, or already releasing) chunk is refused with a warning and nothing
 * changes, as cm_free's WARN_ON did.
 */
import type { CmaReleaseEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import { releaseRange } from '../memory/contig.ts';
import { acquire, areaOf, releaseOf, taskOf, trace, unlockAll, unreserveIn, warn, type D } from './access.ts';
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

export function startRelease(d: D, ev: CmaReleaseEvent, ctx: Ctx): void {
  const c = findChunk(d, ev);
  const ref = ev.chunk ?? -1;
  if (!c) return warn(d, ctx, 'release-unknown', ref, `no live chunk ${ev.chunk ?? `at ${ev.area}:0x${(ev.pfn ?? 0).toString(16)}`}`);
  // cma_release frees exactly [pfn, pfn + count): the whole chunk, or part of it.
  const pfn = ev.chunk !== undefined ? c.pfn : ev.pfn!;
  const count = ev.count ?? c.pfn + c.count - pfn;
  if (count < 1 || pfn + count > c.pfn + c.count) {
    return warn(d, ctx, 'release-count', c.id, `chunk holds [0x${c.pfn.toString(16)}, 0x${(c.pfn + c.count).toString(16)}), release asked for ${count} pages at 0x${pfn.toString(16)}`);
  }
  if (c.releasing) return warn(d, ctx, 'release-twice', c.id, 'chunk is already being released');
  if (c.pins > 0 || c.pinWaiters > 0) return warn(d, ctx, 'release-pinned', c.id, `chunk is pinned (${c.pins}); cm_free refused`);
  if (c.moving !== null) return warn(d, ctx, 'release-moving', c.id, 'chunk is being moved by defragmentation');
  const dc = d.cma.chunks[c.id];
  dc.releasing = true;
  d.cma.releases[c.id] = {
    chunk: c.id, area: c.area, pfn, count, requester: c.owner, pid: c.pid, cpu: 0, stage: 'outer',
    startedAt: ctx.now, held: [],
  };
  // The series held its one mutex through all of cm_free; mainline frees the pages unlocked.
  if (d.cma.lockMode === 'series') acquire(d, ctx, releaseLock('series', c.area), releaseOwner(c.id));
  else freePages(d, ctx, c.id);
}

function freePages(d: D, ctx: Ctx, chunk: number): void {
  const op = releaseOf(d, chunk);
  releaseRange(d, op.pfn, op.pfn + op.count);
  op.stage = 'clear';
  ctx.schedule({ type: 'cma.release.freed', chunk }, op.count * d.cma.costs.releasePerPage);
}

export function releaseFreed(d: D, chunk: number, ctx: Ctx): void {
  const op = releaseOf(d, chunk);
  const lock = releaseLock(d.cma.lockMode, op.area);
  if (op.held.includes(lock)) return clearBits(d, ctx, chunk);
  acquire(d, ctx, lock, releaseOwner(chunk));
}

export function releaseGotLock(d: D, ctx: Ctx, chunk: number, lock: string): void {
  const op = releaseOf(d, chunk);
  op.held.push(lock);
  if (op.stage === 'outer') freePages(d, ctx, chunk);
  else clearBits(d, ctx, chunk);
}

function clearBits(d: D, ctx: Ctx, chunk: number): void {
  const op = releaseOf(d, chunk);
  const a = areaOf(d, op.area);
  unreserveIn(a, op.pfn, op.count);
  a.counters.releasePagesSuccess += op.count;
  unlockAll(d, ctx, releaseOwner(chunk));
  const { area, pfn, count } = op;
  trace(ctx, { type: 'trace.cma_release', task: taskOf(op), name: area, pfn, count });
  keepRest(d, chunk, pfn, pfn + count);
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
