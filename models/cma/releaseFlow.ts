/**
 * cma_release / cm_free: the pages go back to the page allocator (as MIGRATE_CMA for a shared
 * area) at a per-page cost, then the allocator's bits are cleared under the lock of the mode in
 * force. A pinned (or moving, or already releasing) chunk is refused with a warning and nothing
 * changes, as cm_free's WARN_ON did.
 */
import type { CmaReleaseEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import { releaseRange } from '../memory/contig.ts';
import { acquire, areaOf, dropHeld, handOff, relOwner, releaseOf, taskOf, trace, unreserveIn, warn, type D } from './access.ts';
import { releaseLock } from './locks.ts';
import type { ChunkRecord } from './state.ts';

function findChunk(d: D, ev: CmaReleaseEvent): ChunkRecord | undefined {
  if (ev.chunk !== undefined) return d.cma.chunks[ev.chunk];
  for (const id of Object.keys(d.cma.chunks)) {
    const c = d.cma.chunks[id];
    if (c.area === ev.area && c.pfn === ev.pfn) return c;
  }
  return undefined;
}

export function startRelease(d: D, ev: CmaReleaseEvent, ctx: Ctx): void {
  const c = findChunk(d, ev);
  const ref = ev.chunk ?? -1;
  if (!c) return warn(d, ctx, 'release-unknown', ref, `no live chunk ${ev.chunk ?? `at ${ev.area}:0x${(ev.pfn ?? 0).toString(16)}`}`);
  if (ev.count !== undefined && ev.count !== c.count) return warn(d, ctx, 'release-count', c.id, `chunk has ${c.count} pages, release asked for ${ev.count}`);
  if (c.releasing) return warn(d, ctx, 'release-twice', c.id, 'chunk is already being released');
  if (c.pins > 0 || c.pinWaiters > 0) return warn(d, ctx, 'release-pinned', c.id, `chunk is pinned (${c.pins}); cm_free refused`);
  if (c.moving !== null) return warn(d, ctx, 'release-moving', c.id, 'chunk is being moved by defragmentation');
  const dc = d.cma.chunks[c.id];
  dc.releasing = true;
  d.cma.releases[c.id] = {
    chunk: c.id, area: c.area, pfn: c.pfn, count: c.count, requester: c.owner, pid: c.pid, cpu: 0, stage: 'outer',
    startedAt: ctx.now, held: [],
  };
  // The series held its one mutex through all of cm_free; mainline frees the pages unlocked.
  if (d.cma.lockMode === 'series') acquire(d, ctx, releaseLock('series', c.area), relOwner(c.id));
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
  acquire(d, ctx, lock, relOwner(chunk));
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
  for (const lock of [...op.held].reverse()) {
    dropHeld(op.held, lock);
    handOff(d, ctx, lock, relOwner(chunk));
  }
  const { area, pfn, count } = op;
  trace(ctx, { type: 'trace.cma_release', task: taskOf(op), name: area, pfn, count });
  delete d.cma.chunks[chunk];
  delete d.cma.releases[chunk];
  ctx.schedule({ type: 'cma.release.done', chunk, area, pfn, count }, 0);
  if (d.cma.defrag.mode === 'on-release') ctx.schedule({ type: 'cma.defrag', area }, 0);
}
