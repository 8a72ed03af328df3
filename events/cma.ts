/**
 * CMA events. Inputs come from devices or scenarios (alloc request, release, pin, unpin, defrag);
 * the rest are progress events the CMA reducers schedule for themselves, each marking the end of
 * a modelled duration, so a request's life is visible event by event.
 */
import type { SchemaFor } from './schema.ts';

/** cma_alloc / cm_alloc: `count` pages aligned to 2^align pages from `area` or the first of `areas` that succeeds. */
export interface CmaAllocRequestEvent {
  readonly type: 'cma.alloc.request';
  /** Request id; must be unused. Defaults to the next free id. */
  readonly id?: number;
  readonly area?: string;
  readonly areas?: readonly string[];
  readonly count: number;
  readonly align: number;
  readonly requester: string;
  readonly pid: number;
  /** Kind of memory asked for (series' cma_alloc(dev, kind, ...)); '' or absent for mainline. */
  readonly kind?: string;
  readonly cpu?: number;
  /**
   * First pfns of candidates a traced kernel found busy (replay-trace --follow-busy): an attempt
   * at one of them fails with -EBUSY, once, as it did in the trace.
   */
  readonly busy?: readonly number[];
}

/** cma_release / cm_free of a chunk (by id, or by area + pfn + count as cma_release takes it). */
export interface CmaReleaseEvent {
  readonly type: 'cma.release';
  readonly chunk?: number;
  readonly area?: string;
  readonly pfn?: number;
  readonly count?: number;
}

export interface CmaPinEvent {
  readonly type: 'cma.pin';
  readonly chunk: number;
}

export interface CmaUnpinEvent {
  readonly type: 'cma.unpin';
  readonly chunk: number;
}

/** Run one defragmentation pass over an area (policy permitting). */
export interface CmaDefragEvent {
  readonly type: 'cma.defrag';
  readonly area: string;
}

/** A waiter was handed a lock (or an uncontended lock was taken). `owner`: a<request id> or r<chunk id> (models/cma/locks.ts ownerTag). */
export interface CmaLockAcquiredEvent {
  readonly type: 'cma.lock.acquired';
  readonly owner: string;
  readonly lock: string;
  readonly waitedNs: number;
}

/** The bitmap/hole search under the search lock completed. */
export interface CmaSearchDoneEvent {
  readonly type: 'cma.search.done';
  readonly request: number;
}

/** Isolation (and the per-CPU drain) of the candidate's pageblocks completed. */
export interface CmaIsolatedEvent {
  readonly type: 'cma.isolated';
  readonly request: number;
  readonly pfn: number;
}

/** One migration pass over one batch of the candidate range completed. */
export interface CmaMigrationEvent {
  readonly type: 'cma.migration';
  readonly request: number;
  readonly start: number;
  readonly end: number;
  readonly pass: number;
  readonly migrated: number;
  readonly dropped: number;
  readonly busy: number;
  readonly writeback: number;
  /** Pages locked under read I/O the pass waited for. */
  readonly locked: number;
  readonly failed: number;
  readonly remaining: number;
}

/** test_pages_isolated passed and the range was taken; the finishing work completed. */
export interface CmaFinishedEvent {
  readonly type: 'cma.finished';
  readonly request: number;
}

/** An attempt failed (-EBUSY, -ENOMEM); its cleanup (undo isolation, retry overhead) completed. */
export interface CmaAttemptFailedEvent {
  readonly type: 'cma.attempt.failed';
  readonly request: number;
  readonly pfn: number;
  readonly errno: number;
}

/** A request ended (notification; pfn -1 on failure). */
export interface CmaAllocDoneEvent {
  readonly type: 'cma.alloc.done';
  readonly request: number;
  readonly requester: string;
  readonly pfn: number;
  readonly count: number;
  readonly errno: number;
}

/** The pages of a release went back to the page allocator (after the per-page cost). */
export interface CmaReleaseFreedEvent {
  readonly type: 'cma.release.freed';
  readonly chunk: number;
}

/** A release completed (notification). */
export interface CmaReleaseDoneEvent {
  readonly type: 'cma.release.done';
  readonly chunk: number;
  readonly area: string;
  readonly pfn: number;
  readonly count: number;
}

/** cm_pin returned: the owner sees `pfn` (the current address) while pinned. */
export interface CmaPinnedEvent {
  readonly type: 'cma.pinned';
  readonly chunk: number;
  readonly pfn: number;
  readonly pins: number;
}

/** Defragmentation started copying a chunk from `from` to `to`. */
export interface CmaMoveStartEvent {
  readonly type: 'cma.defrag.move';
  readonly area: string;
  readonly chunk: number;
  readonly from: number;
  readonly to: number;
}

/** The copy completed; the chunk now lives at `to`. */
export interface CmaMoveDoneEvent {
  readonly type: 'cma.defrag.moved';
  readonly area: string;
  readonly chunk: number;
  readonly from: number;
  readonly to: number;
}

/** A kernel-style WARN: refused release, unbalanced unpin, unknown chunk... Nothing changes. */
export interface CmaWarningEvent {
  readonly type: 'cma.warning';
  readonly what: string;
  readonly chunk: number;
  readonly detail: string;
}

export type CmaEvent =
  | CmaAllocRequestEvent
  | CmaReleaseEvent
  | CmaPinEvent
  | CmaUnpinEvent
  | CmaDefragEvent
  | CmaLockAcquiredEvent
  | CmaSearchDoneEvent
  | CmaIsolatedEvent
  | CmaMigrationEvent
  | CmaFinishedEvent
  | CmaAttemptFailedEvent
  | CmaAllocDoneEvent
  | CmaReleaseFreedEvent
  | CmaReleaseDoneEvent
  | CmaPinnedEvent
  | CmaMoveStartEvent
  | CmaMoveDoneEvent
  | CmaWarningEvent;

export const cmaEventSchema: SchemaFor<CmaEvent> = {
  'cma.alloc.request': { id: '?uint', area: '?string', areas: '?string[]', count: 'int', align: 'order', requester: 'string', pid: 'int', kind: '?string', cpu: '?uint', busy: '?int[]' },
  'cma.release': { chunk: '?uint', area: '?string', pfn: '?uint', count: '?uint' },
  'cma.pin': { chunk: 'int' },
  'cma.unpin': { chunk: 'int' },
  'cma.defrag': { area: 'string' },
  'cma.lock.acquired': { owner: 'string', lock: 'string', waitedNs: 'int' },
  'cma.search.done': { request: 'int' },
  'cma.isolated': { request: 'int', pfn: 'int' },
  'cma.migration': {
    request: 'int', start: 'int', end: 'int', pass: 'int', migrated: 'int', dropped: 'int', busy: 'int',
    writeback: 'int', locked: 'int', failed: 'int', remaining: 'int',
  },
  'cma.finished': { request: 'int' },
  'cma.attempt.failed': { request: 'int', pfn: 'int', errno: 'int' },
  'cma.alloc.done': { request: 'int', requester: 'string', pfn: 'int', count: 'int', errno: 'int' },
  'cma.release.freed': { chunk: 'int' },
  'cma.release.done': { chunk: 'int', area: 'string', pfn: 'int', count: 'int' },
  'cma.pinned': { chunk: 'int', pfn: 'int', pins: 'int' },
  'cma.defrag.move': { area: 'string', chunk: 'int', from: 'int', to: 'int' },
  'cma.defrag.moved': { area: 'string', chunk: 'int', from: 'int', to: 'int' },
  'cma.warning': { what: 'string', chunk: 'int', detail: 'string' },
};
