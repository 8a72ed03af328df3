/**
 * Optional defragmentation (the reason cm_pin/cm_unpin existed in the 2011 rework): move unpinned
 * chunks of an area down into the lowest free range that fits below them, one move at a time,
 * at a copy cost per page, so free holes merge towards the end of the area. A shared area's
 * destination must be free in the page allocator (no page cache to migrate first); otherwise the
 * chunk is left where it is. The `defrag-ignores-pins` variant is a deliberately broken teaching
 * aid: it moves pinned chunks too, which the invariants report.
 */
import type { Ctx } from '../context.ts';
import { isolateRange, releaseRange, takeRange, undoIsolateRange } from '../mm/contig.ts';
import type { AllocatorState } from './allocators/allocator.ts';
import { allocatorOf, areaOf, cmaOwnerTag, geoOf, reserveIn, unreserveIn, warn, type D } from './access.ts';
import { batchEnd } from './batchEnd.ts';
import { anyIsolated } from './request/contig.ts';
import { grantWaitingPins } from './pins.ts';

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Lowest start >= lo, aligned to `a` absolutely and to the granule `g` relative to `base`. */
function alignedStart(lo: number, a: number, g: number, base: number): number {
  let s = lo;
  for (let i = 0; i < 8; i++) {
    const t = base + alignUp(alignUp(s, a) - base, g);
    if (t === s) return s;
    s = t;
  }
  return s;
}

export function defragPass(d: D, areaName: string, ctx: Ctx): void {
  const policy = d.cma.defrag;
  if (policy.mode === 'off') return warn(d, ctx, 'defrag-off', -1, `defragmentation is off (area '${areaName}')`);
  const a = areaOf(d, areaName);
  const chunks = Object.values(d.cma.chunks).filter((c) => c.area === areaName);
  if (chunks.some((c) => c.moving !== null)) return; // one move at a time; the move schedules the next pass
  const movable = chunks
    .filter((c) => !c.releasing && (policy.ignorePins || (c.pins === 0 && c.pinWaiters === 0)))
    .sort((x, y) => x.pfn - y.pfn);
  const al = allocatorOf(a);
  const g = al.granule(a.alloc as AllocatorState);
  const runs = al.freeRuns(a.alloc as AllocatorState, geoOf(a));
  for (const c of movable) {
    for (let i = 0; i < runs.length && runs[i] < c.pfn; i += 2) {
      const s = alignedStart(runs[i], 2 ** c.align, g, a.basePfn);
      const e = s + c.count;
      if (e > Math.min(runs[i + 1], c.pfn)) continue;
      if (a.shared && (batchEnd(d, s, e, 1).inUse > 0 || anyIsolated(d, s, e))) continue;
      reserveIn(a, s, c.count);
      if (a.shared) isolateRange(d, s, e);
      takeRange(d, s, e, cmaOwnerTag(areaName));
      if (a.shared) undoIsolateRange(d, s, e);
      d.cma.chunks[c.id].moving = { to: s };
      ctx.schedule({ type: 'cma.defrag.move', area: areaName, chunk: c.id, from: c.pfn, to: s }, 0);
      ctx.schedule({ type: 'cma.defrag.moved', area: areaName, chunk: c.id, from: c.pfn, to: s }, c.count * d.cma.costs.copyPerPage);
      return;
    }
  }
}

export function moveDone(d: D, chunk: number, ctx: Ctx): void {
  const c = d.cma.chunks[chunk];
  if (!c || c.moving === null) throw new Error(`cma: chunk ${chunk} is not being moved`);
  const a = areaOf(d, c.area);
  const from = c.pfn;
  releaseRange(d, from, from + c.count);
  unreserveIn(a, from, c.count);
  c.pfn = c.moving.to;
  c.moving = null;
  // The owner's handle is the request record: it sees the new address (attempts keep the old one).
  const r = d.cma.requests[chunk];
  if (r) r.pfn = c.pfn;
  c.moves++;
  grantWaitingPins(d, chunk, ctx);
  ctx.schedule({ type: 'cma.defrag', area: c.area }, 0);
}
