import type { SchemaFor } from './schema.ts';

/**
 * Workload generators are driven by their own events: `workload.start` (injected once by the
 * scenario runner) schedules each generator's first tick; each `workload.tick` emits the model
 * events the generator stands for (allocations, faults, pins, device open/close, replayed events)
 * and schedules the next tick; `workload.release` / `workload.free` end the hold of a workload
 * CMA / memory allocation.
 */
export interface WorkloadStartEvent {
  readonly type: 'workload.start';
}

export interface WorkloadTickEvent {
  readonly type: 'workload.tick';
  /** Generator name (unique in the scenario). */
  readonly generator: string;
}

export interface WorkloadReleaseEvent {
  readonly type: 'workload.release';
  readonly generator: string;
  /** Request id the allocation was issued with. */
  readonly request: number;
}

/** The hold of a workload memory allocation is over: free it if it was granted. */
export interface WorkloadFreeEvent {
  readonly type: 'workload.free';
  readonly generator: string;
  /** The memory.alloc id. */
  readonly id: string;
  /** The run's page count, for a run of order-0 pages (memory.alloc `count`). */
  readonly count?: number;
}

export type WorkloadEvent = WorkloadStartEvent | WorkloadTickEvent | WorkloadReleaseEvent | WorkloadFreeEvent;

export const workloadEventSchema: SchemaFor<WorkloadEvent> = {
  'workload.start': {},
  'workload.tick': { generator: 'string' },
  'workload.release': { generator: 'string', request: 'int' },
  'workload.free': { generator: 'string', id: 'string', count: '?count' },
};
