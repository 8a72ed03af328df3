/**
 * Hardware operations: a driver pins its buffers for the length of an operation and unpins them
 * afterwards (the series' cm_pin/cm_unpin; a pinned CMA chunk is never moved by defragmentation).
 * A buffer not ready yet stalls the operation: the hardware cannot start without it.
 */
import type { DeviceWorkEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import type { SimDraft } from '../state.ts';
import { pinCma, unpinCma } from './cmaBackend.ts';

type D = SimDraft;

export function startWork(d: D, ctx: Ctx, e: DeviceWorkEvent): void {
  const dev = d.devices.devices[e.device];
  if (dev === undefined) throw new RangeError(`device.work: no device named '${e.device}'`);
  const periodic = e.session !== undefined;
  if (periodic && (e.session !== dev.session || !dev.open)) return; // a closed session's follow-up
  const spec = dev.work;
  if (periodic && spec !== null) ctx.schedule({ type: 'device.work', device: e.device, session: dev.session }, spec.period);
  if (!dev.open || dev.working.length > 0) return;
  const names = e.buffers ?? (spec !== null && spec.buffers.length > 0 ? spec.buffers : null);
  const ids = dev.buffers.filter((id) => names === null || names.includes(d.devices.buffers[id].name));
  if (ids.length === 0 || ids.some((id) => d.devices.buffers[id].status !== 'ready')) {
    dev.counters.stalled++;
    return;
  }
  for (const id of ids) {
    const b = d.devices.buffers[id];
    b.pins++;
    if (b.where?.from === 'cma') pinCma(ctx, b.where.request);
  }
  dev.working = ids;
  dev.counters.operations++;
  const duration = e.duration ?? spec?.duration ?? 0;
  ctx.schedule({ type: 'device.work.done', device: e.device, session: dev.session }, duration);
}

/** Unpin what the operation in flight pinned (nothing when idle). */
export function endWork(d: D, ctx: Ctx, device: string): void {
  const dev = d.devices.devices[device];
  for (const id of dev.working) {
    const b = d.devices.buffers[id];
    if (b === undefined || b.pins === 0) continue;
    b.pins--;
    if (b.where?.from === 'cma') unpinCma(ctx, b.where.request);
  }
  dev.working = [];
}
