import type { Draft } from 'immer';
import { validateEvent, eventSchema, type SimEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import type { SimState } from '../state.ts';

/**
 * The one place that knows which model events a workload action becomes and what their fields
 * are called. Generators say what happens (allocate, fault, pin, open a device); this module
 * builds the events of the aggregates that own them. An action whose event type the model does
 * not (yet) know is counted in `workload.undeliverable` instead of crashing the run; an event of
 * a known type that fails its schema is a bug here and throws.
 */

type Out = { readonly type: string } & Record<string, unknown>;

function deliver(draft: Draft<SimState>, ctx: Ctx, ev: Out, delay = 0): boolean {
  const w = draft.workload;
  if (!Object.hasOwn(eventSchema, ev.type)) {
    w.undeliverable[ev.type] = (w.undeliverable[ev.type] ?? 0) + 1;
    return false;
  }
  const err = validateEvent(ev);
  if (err) throw new Error(`workload emitter built an invalid ${ev.type}: ${err}`);
  ctx.schedule(ev as unknown as SimEvent, delay);
  w.emitted[ev.type] = (w.emitted[ev.type] ?? 0) + 1;
  return true;
}

/** Bytes per page of the simulated machine (4 KiB until the memory model says otherwise). */
export function pageSizeOf(state: Draft<SimState>): number {
  const ps = (state.memory as { config?: { pageSize?: unknown } }).config?.pageSize;
  return typeof ps === 'number' && ps > 0 ? ps : 4096;
}

export interface AllocAction {
  readonly request: number;
  readonly requester: string;
  readonly kind: string;
  readonly areas: readonly string[];
  readonly pages: number;
  readonly align: number;
}

/** A stable pid per requester name (ftrace prints comm-pid), from a string hash: no randomness. */
export function pidFor(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return 1000 + (h % 30000);
}

export function emitAlloc(d: Draft<SimState>, ctx: Ctx, a: AllocAction): boolean {
  return deliver(d, ctx, {
    type: 'cma.alloc.request', id: a.request, requester: a.requester, pid: pidFor(a.requester),
    ...(a.kind !== '' ? { kind: a.kind } : {}), ...(a.areas.length > 0 ? { areas: [...a.areas] } : {}),
    count: a.pages, align: a.align,
  });
}

/** Release the chunk a workload allocation produced (chunk id = request id). */
export function emitRelease(d: Draft<SimState>, ctx: Ctx, request: number): boolean {
  return deliver(d, ctx, { type: 'cma.release', chunk: request });
}

/** Where a workload allocation stands, read from the CMA model's request records. */
export function allocOutcome(d: Draft<SimState>, request: number): 'pending' | 'done' | 'failed' | 'unknown' {
  const reqs = (d.cma as { requests?: Record<string, { status?: string }> }).requests;
  const r = reqs?.[String(request)];
  if (!r) return 'unknown';
  return r.status === 'done' ? 'done' : r.status === 'failed' ? 'failed' : 'pending';
}

export function emitFault(d: Draft<SimState>, ctx: Ctx, file: string, index: number, count: number): boolean {
  return deliver(d, ctx, { type: 'pagecache.fault', file, index, count });
}

export function emitDirty(d: Draft<SimState>, ctx: Ctx, file: string, index: number, count: number): boolean {
  return deliver(d, ctx, { type: 'pagecache.dirty', file, index, count });
}

export function emitPin(d: Draft<SimState>, ctx: Ctx, file: string, index: number, count: number, longterm: boolean): boolean {
  return deliver(d, ctx, { type: 'page.pin', file, index, count, longterm });
}

export function emitUnpin(d: Draft<SimState>, ctx: Ctx, file: string, index: number, count: number, delay: number): boolean {
  return deliver(d, ctx, { type: 'page.unpin', file, index, count }, delay);
}

export function emitDeviceOpen(d: Draft<SimState>, ctx: Ctx, device: string): boolean {
  return deliver(d, ctx, { type: 'device.open', device });
}

export function emitDeviceClose(d: Draft<SimState>, ctx: Ctx, device: string): boolean {
  return deliver(d, ctx, { type: 'device.close', device });
}

/** A recorded event, emitted as it was recorded. */
export function emitRecorded(d: Draft<SimState>, ctx: Ctx, ev: Out): boolean {
  return deliver(d, ctx, ev);
}
