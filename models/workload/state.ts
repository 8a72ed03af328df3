/**
 * Workload generators are data in state: each one's spec and progress live here and every tick
 * is an event, so a run's randomness all comes from the engine's seeded PRNG and a generator
 * can be inspected (or forked) at any seq like the rest of the model.
 */

import type { BufferSpec, WorkSpec } from '../devices/state.ts';

/** Inclusive [low, high]; a fixed value has low === high. */
export type Range = readonly [number, number];

/** When a generator fires. Times are integer ns. */
export type Arrival =
  | { readonly process: 'periodic'; readonly period: number; /** Uniform extra delay in [0, jitter]. */ readonly jitter: number }
  | { readonly process: 'poisson'; /** Events per simulated second (exponential gaps). */ readonly rate: number }
  | { readonly process: 'burst'; readonly every: number; readonly size: number; readonly spacing: number };

interface GeneratorBase {
  readonly name: string;
  /** First tick (ns). */
  readonly start: number;
  /** No tick after this time (ns); null: until the run ends. */
  readonly stop: number | null;
  /** At most this many ticks; null: no limit. */
  readonly count: number | null;
}

/** Direct CMA allocations (as a driver or a test module would call cma_alloc), freed after `hold`. */
export interface AllocGenerator extends GeneratorBase {
  readonly kind: 'alloc';
  readonly arrival: Arrival;
  /** Requester (device name or task); also the ftrace comm. */
  readonly requester: string;
  /** Kind of memory (original framework); '' for mainline requests. */
  readonly memKind: string;
  /** Areas to try in order; empty: let the model resolve (device's area, map rules, default). */
  readonly areas: readonly string[];
  /** Bytes, drawn uniformly then rounded up to whole pages by the emitter. */
  readonly size: Range;
  /** Alignment as a page order. */
  readonly align: number;
  /** How long a successful buffer is kept before cma_release; null: never released. */
  readonly hold: Range | null;
}

/** Page-cache pressure: reads (with readahead) spread over a set of files. */
export interface PageCacheGenerator extends GeneratorBase {
  readonly kind: 'pagecache';
  readonly arrival: Arrival;
  readonly files: number;
  /** Pages per file. */
  readonly filePages: number;
  /** Pages read per fault (readahead window). */
  readonly readahead: Range;
  /** Probability that a fault also dirties what it read (later written back). */
  readonly dirty: number;
}

/** Pin churn: short-term pins (get_user_pages, O_DIRECT) on page-cache pages, released after `hold`. */
export interface PinGenerator extends GeneratorBase {
  readonly kind: 'pins';
  readonly arrival: Arrival;
  /** Pages pinned per tick (consecutive pages of one file). */
  readonly pages: Range;
  readonly hold: Range;
  /** Probability a pin is long-term (FOLL_LONGTERM: the page first leaves CMA). */
  readonly longterm: number;
  /** Files the pins land in (the page-cache generator's files are named file0..). */
  readonly files: number;
  readonly filePages: number;
}

/**
 * Memory churn outside the page cache: anonymous (movable) memory, slab (reclaimable) or kernel
 * (unmovable) allocations of 2^order pages, or runs of `pages` order-0 pages (a process faulting
 * its heap in, each page its own folio), freed after `hold`.
 */
export interface MemoryGenerator extends GeneratorBase {
  readonly kind: 'memory';
  readonly arrival: Arrival;
  readonly memKind: 'movable' | 'unmovable' | 'reclaimable';
  /** Buddy order, drawn uniformly. */
  readonly order: Range;
  /** Order-0 pages per tick, drawn uniformly, allocated and freed together (memory.alloc `count`); null: one 2^order block. */
  readonly pages: Range | null;
  /** null: never freed. */
  readonly hold: Range | null;
  /** Owner tag shown by the memory model. */
  readonly owner: string;
}

/** A device a use case opens, with the buffer set and periodic work it opens it with. */
export interface DeviceOpening {
  readonly device: string;
  readonly buffers: readonly BufferSpec[];
  readonly work: WorkSpec | null;
}

/**
 * Use cases: named device sets; a switch closes what the next case does not use (or opens with
 * another buffer set) and opens what it adds. With `cases` null the sets are the devices model's
 * own use cases (`usecase.switch`), opened with the devices' configured buffer sets.
 */
export interface UseCaseGenerator extends GeneratorBase {
  readonly kind: 'usecase';
  /** Case name -> devices open in it, in the order they are opened; null: the devices model's use cases. */
  readonly cases: Readonly<Record<string, readonly DeviceOpening[]>> | null;
  /** Names of the cases, in declaration order. */
  readonly caseNames: readonly string[];
  /** Fixed switches (absolute ns, ascending); when empty, `dwell` drives random switching. */
  readonly switches: readonly { readonly at: number; readonly to: string }[];
  /** Random switching: time spent in a case before switching to another, chosen uniformly. */
  readonly dwell: Range | null;
  /** Case open at start (random switching). */
  readonly initial: string | null;
}

/** Replay of a recorded event list at the recorded times (relative to `start`). */
export interface ReplayGenerator extends GeneratorBase {
  readonly kind: 'replay';
  /** Ascending by `at`; events are model events, already validated. */
  readonly events: readonly { readonly at: number; readonly event: { readonly type: string } & Readonly<Record<string, unknown>> }[];
}

export type GeneratorSpec = AllocGenerator | PageCacheGenerator | PinGenerator | MemoryGenerator | UseCaseGenerator | ReplayGenerator;

export interface GeneratorProgress {
  readonly spec: GeneratorSpec;
  /** Ticks fired so far. */
  readonly fired: number;
  /** Events emitted so far. */
  readonly emitted: number;
  /** Position in a burst (burst arrivals), in `switches`/`events` (use cases, replay). */
  readonly cursor: number;
  /** Open use case (use cases only). */
  readonly current: string | null;
  readonly done: boolean;
}

export interface WorkloadState {
  /** In scenario order. */
  readonly generators: Readonly<Record<string, GeneratorProgress>>;
  /** Allocations issued by workload generators that still await their release: request id -> generator. */
  readonly held: Readonly<Record<string, string>>;
  /** Events emitted, by type. */
  readonly emitted: Readonly<Record<string, number>>;
  /** Events a generator meant to emit but the model has no such event type yet (by type). */
  readonly undeliverable: Readonly<Record<string, number>>;
}
