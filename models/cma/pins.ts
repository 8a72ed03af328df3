/**
 * cm_pin / cm_unpin of the 2011 rework: nested; a pinned chunk keeps its address. A pin that
 * arrives while defragmentation moves the chunk waits for the move and then sees the new address.
 */
import type { Ctx } from '../context.ts';
import { warn, type D } from './access.ts';

export function pin(d: D, chunk: number, ctx: Ctx): void {
  const c = d.cma.chunks[chunk];
  if (!c || c.releasing) return warn(d, ctx, 'pin-unknown', chunk, c ? 'chunk is being released' : 'no live chunk');
  if (c.moving !== null) {
    c.pinWaiters++;
    return;
  }
  c.pins++;
  ctx.schedule({ type: 'cma.pinned', chunk, pfn: c.pfn, pins: c.pins }, 0);
}

export function unpin(d: D, chunk: number, ctx: Ctx): void {
  const c = d.cma.chunks[chunk];
  if (!c) return warn(d, ctx, 'unpin-unknown', chunk, 'no live chunk');
  // cm_unpin: WARN_ON(!atomic_add_unless(&cm->pinned, -1, 0)).
  if (c.pins === 0) return warn(d, ctx, 'unpin-unbalanced', chunk, 'chunk is not pinned');
  c.pins--;
}

/** The move finished: waiting pins are granted at the new address. */
export function grantWaitingPins(d: D, chunk: number, ctx: Ctx): void {
  const c = d.cma.chunks[chunk];
  if (c.pinWaiters === 0) return;
  c.pins += c.pinWaiters;
  c.pinWaiters = 0;
  ctx.schedule({ type: 'cma.pinned', chunk, pfn: c.pfn, pins: c.pins }, 0);
}
