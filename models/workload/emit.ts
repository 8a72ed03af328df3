import { validateEvent, eventSchema, type SimEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import { shardGet } from '../memory/shardedMap.ts';
import type { MemoryState } from '../memory/state.ts';
import type { SimDraft } from '../state.ts';
import type { DeviceOpening } from './state.ts';
import { pidFor } from '../pidFor.ts';

/**
 * The one place that knows which model events a workload action becomes and what their fields
 * are called. Generators say what happens (allocate, fault, pin, open a device); this module
 * builds the events of the aggregates that own them. An action whose event type the model does
 * not (yet) know is counted in `workload.undeliverable` instead of crashing the run; an event of
 * a known type that fails its schema is a bug here and throws.
 */

export type Out = { readonly type: string } & Record<string, unknown>;

/** Where built events go: returns false when the event could not be delivered. */
export type Sink = (ev: Out, delay?: number) => boolean;

/** The sink handlers use: schedule into the engine, counting what the model cannot take yet. */
export function engineSink(draft: SimDraft, ctx: Ctx): Sink {
  return (ev, delay = 0) => deliver(draft, ctx, ev, delay);
}

function deliver(draft: SimDraft, ctx: Ctx, ev: Out, delay: number): boolean {
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

/** Bytes per page of the simulated machine (4 KiB when the state carries no memory configuration, as in unit tests). */
export function pageSizeOf(state: SimDraft): number {
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


export function emitAlloc(out: Sink, a: AllocAction): boolean {
  return out({
    type: 'cma.alloc.request', id: a.request, requester: a.requester, pid: pidFor(a.requester),
    ...(a.kind !== '' ? { kind: a.kind } : {}), ...(a.areas.length > 0 ? { areas: [...a.areas] } : {}),
    count: a.pages, align: a.align,
  });
}

/** Release the chunk a workload allocation produced (chunk id = request id). */
export function emitRelease(out: Sink, request: number): boolean {
  return out({ type: 'cma.release', chunk: request });
}

/** Where a workload allocation stands, read from the CMA model's request records. */
export function allocOutcome(d: SimDraft, request: number): 'pending' | 'done' | 'failed' | 'unknown' {
  const reqs = (d.cma as { requests?: Record<string, { status?: string }> }).requests;
  const r = reqs?.[String(request)];
  if (!r) return 'unknown';
  return r.status === 'done' ? 'done' : r.status === 'failed' ? 'failed' : 'pending';
}

export function emitFault(out: Sink, file: string, index: number, count: number): boolean {
  return out({ type: 'pagecache.fault', file, index, count });
}

export function emitDirty(out: Sink, file: string, index: number, count: number): boolean {
  return out({ type: 'pagecache.dirty', file, index, count });
}

/** Pin one cached file page (faulted in when absent); `id` names the pin for its unpin. */
export function emitPin(out: Sink, id: string, file: string, index: number, longterm: boolean): boolean {
  return out({ type: 'page.pin', id, file, index, ...(longterm ? { longterm } : {}) });
}

export function emitUnpin(out: Sink, id: string, delay: number): boolean {
  return out({ type: 'page.unpin', id }, delay);
}

/**
 * Open a device with the buffer set and work it is declared with: the event carries them, so the
 * log says what each open allocates. Fields at their defaults are left out (copied out of the
 * draft: the event outlives it).
 */
export function emitDeviceOpen(out: Sink, o: DeviceOpening): boolean {
  const buffers = o.buffers.map((b) => ({
    name: b.name, size: b.size, ...(b.align !== 0 ? { align: b.align } : {}), ...(b.kind !== '' ? { kind: b.kind } : {}),
    ...(b.shareWith.length > 0 ? { shareWith: [...b.shareWith] } : {}), ...(b.heap !== null ? { heap: b.heap } : {}), ...(b.region !== null ? { region: b.region } : {}),
  }));
  const w = o.work;
  const work = w === null ? {} : { work: { period: w.period, duration: w.duration, ...(w.buffers.length > 0 ? { buffers: [...w.buffers] } : {}) } };
  return out({ type: 'device.open', device: o.device, buffers, ...work });
}

export function emitDeviceClose(out: Sink, device: string): boolean {
  return out({ type: 'device.close', device });
}

/** `count`: that many order-0 allocations at once (ids `<id>.<k>`). */
export function emitMemoryAlloc(out: Sink, id: string, kind: string, order: number, owner: string, count?: number): boolean {
  return out({ type: 'memory.alloc', id, kind, order, owner, ...(count !== undefined ? { count } : {}) });
}

export function emitMemoryFree(out: Sink, id: string, count?: number): boolean {
  return out({ type: 'memory.free', id, ...(count !== undefined ? { count } : {}) });
}

/**
 * Whether the memory model holds a live allocation with this id, or with `count` the first of its
 * run (a failed memory.alloc leaves none; a run stops at its first failure).
 */
export function memoryAllocLive(d: SimDraft, id: string, count?: number): boolean {
  // Unit tests run the workload over a bare state with no memory model in it.
  const ids = (d.memory as Partial<MemoryState>).allocIds;
  return ids !== undefined && shardGet<number>(ids, count === undefined ? id : `${id}.0`) !== undefined;
}

/** The devices model's own use-case switch (exclusive cases close the others' devices first). */
export function emitUseCaseSwitch(out: Sink, to: string): boolean {
  return out({ type: 'usecase.switch', to });
}

/** A recorded event, emitted as it was recorded. */
export function emitRecorded(out: Sink, ev: Out): boolean {
  return out(ev);
}
