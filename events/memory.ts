/**
 * Page-allocator events. Injected by workloads and devices (or scenarios) to create memory
 * pressure; the memory model reduces them (models/mm/memoryHandlers.ts).
 */
import type { SchemaFor } from './schema.ts';

/** Mobility of an allocation: which free lists it uses (reference §4). */
export type AllocKindName = 'unmovable' | 'reclaimable' | 'movable';

/**
 * Allocate 2^order contiguous pages. 'unmovable' (kernel data, page tables) and 'reclaimable'
 * (slab caches) never use CMA pageblocks; 'movable' is anonymous memory (a folio, migrated as a
 * unit) and may. Reclaims clean page cache when below the watermarks; when nothing can be
 * reclaimed it fails with a 'memory.alloc.failed' event. `id` must be unique among live allocations.
 * With `count`, `count` order-0 allocations at once, as that many page faults make a process's
 * anonymous memory (each page its own folio, migrated alone): ids `<id>.0` .. `<id>.<count-1>`,
 * stopping at the first that fails.
 */
export interface MemoryAllocEvent {
  readonly type: 'memory.alloc';
  readonly id: string;
  readonly kind: AllocKindName;
  /** Buddy order, 0..maxOrder (default 0). */
  readonly order?: number;
  /** Who allocated (free-form tag shown in reports, e.g. 'slab', 'proc:42'). */
  readonly owner?: string;
  /** Order-0 allocations to make at once (order must be 0), named `<id>.<k>`. */
  readonly count?: number;
}

/** Free the allocation `id` (refused while one of its pages is pinned); with `count`, those of `<id>.0` .. `<id>.<count-1>` that are live. */
export interface MemoryFreeEvent {
  readonly type: 'memory.free';
  readonly id: string;
  readonly count?: number;
}

/** Emitted by the model when an allocation cannot be satisfied even after reclaim. */
export interface MemoryAllocFailedEvent {
  readonly type: 'memory.alloc.failed';
  readonly id: string;
  readonly kind: AllocKindName;
  readonly order: number;
  readonly owner: string;
  readonly reason: string;
}

/**
 * Pin one page, as get_user_pages / O_DIRECT (short-term) or FOLL_LONGTERM (long-term) would:
 * a pinned page cannot be migrated or reclaimed. The page is a cached file page (`file`, `index`;
 * faulted in when absent) or page `index` (default 0) of allocation `alloc`. A long-term pin first
 * migrates the page out of CMA (reference §4). Pins nest by id: each `page.pin` id is unpinned once.
 */
export interface PagePinEvent {
  readonly type: 'page.pin';
  readonly id: string;
  readonly file?: string;
  readonly alloc?: string;
  readonly index?: number;
  /** FOLL_LONGTERM. */
  readonly longterm?: boolean;
}

export interface PageUnpinEvent {
  readonly type: 'page.unpin';
  readonly id: string;
}

/** Emitted when a pin cannot be taken (no page, or a long-term pin whose page cannot leave CMA). */
export interface PagePinFailedEvent {
  readonly type: 'page.pin.failed';
  readonly id: string;
  readonly reason: string;
}

export type MemoryEvent =
  | MemoryAllocEvent
  | MemoryFreeEvent
  | MemoryAllocFailedEvent
  | PagePinEvent
  | PageUnpinEvent
  | PagePinFailedEvent;

export const memoryEventSchema: SchemaFor<MemoryEvent> = {
  'memory.alloc': { id: 'string', kind: 'string', order: '?int', owner: '?string', count: '?count' },
  'memory.free': { id: 'string', count: '?count' },
  'memory.alloc.failed': { id: 'string', kind: 'string', order: 'int', owner: 'string', reason: 'string' },
  'page.pin': { id: 'string', file: '?string', alloc: '?string', index: '?index', longterm: '?boolean' },
  'page.unpin': { id: 'string' },
  'page.pin.failed': { id: 'string', reason: 'string' },
};
