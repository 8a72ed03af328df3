/**
 * The closed vocabulary of cma-sim: one discriminated union keyed on `type`. Each aggregate
 * declares its events (and their field schema) in its own file; this file is the only place they
 * are joined.
 */
import type { CmaEvent } from './cma.ts';
import { cmaEventSchema } from './cma.ts';
import type { DeviceEvent } from './devices.ts';
import { devicesEventSchema } from './devices.ts';
import type { MemoryEvent } from './memory.ts';
import { memoryEventSchema } from './memory.ts';
import type { PageCacheEvent } from './pagecache.ts';
import { pagecacheEventSchema } from './pagecache.ts';
import { joinDisjoint } from './joinDisjoint.ts';
import { checkEvent, type SchemaFor } from './schema.ts';
import type { TraceEvent } from './trace.ts';
import { traceEventSchema } from './traceSchema.ts';
import type { WorkloadEvent } from './workload.ts';
import { workloadEventSchema } from './workload.ts';

export type SimEvent = MemoryEvent | PageCacheEvent | CmaEvent | DeviceEvent | WorkloadEvent | TraceEvent;
export type SimEventType = SimEvent['type'];

export const eventSchema: SchemaFor<SimEvent> = joinDisjoint('event schema', {
  memory: memoryEventSchema,
  pagecache: pagecacheEventSchema,
  cma: cmaEventSchema,
  devices: devicesEventSchema,
  workload: workloadEventSchema,
  trace: traceEventSchema,
});

/** null when `e` is a well-formed SimEvent; otherwise a one-line reason naming the field. */
export function validateEvent(e: unknown): string | null {
  const why = checkEvent(eventSchema, e);
  if (why !== null) return why;
  // A cross-field rule the per-field schema cannot say; the reducer checks it too, for injected events.
  const a = e as { type: string; count?: number; order?: number };
  if (a.type === 'memory.alloc' && a.count !== undefined && (a.order ?? 0) !== 0) return `memory.alloc: field 'count' needs order 0, got order ${a.order}`;
  return null;
}

export type * from './trace.ts';
export type * from './memory.ts';
export type * from './pagecache.ts';
export type * from './cma.ts';
export type * from './devices.ts';
export type * from './workload.ts';
export { TRACE_EVENT_TYPES } from './trace.ts';
export { checkEvent, type EventSchema, type FieldKind, type SchemaFor } from './schema.ts';
export { joinDisjoint } from './joinDisjoint.ts';
