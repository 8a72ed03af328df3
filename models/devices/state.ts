/**
 * Devices, their drivers' buffers and the DMA layer's choices, as plain data. A buffer in flight
 * is a record whose `step` walks an ordered plan of memory sources (see dmaPlan.ts), so "where
 * did buffer 7 come from and what was tried first" is a state query.
 */

import type { BestFitState } from '../cma/allocators/bestFit.ts';

/** A buffer a driver asks for. Sizes in bytes; `align` is a page order (the kernel's `align`). */
export interface BufferSpec {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  /** Kind of memory (the original framework's `type`, e.g. 'a'/'b' for two banks); '' = common. */
  readonly kind: string;
  /** Other devices that use this buffer too (a shared buffer must satisfy all of them). */
  readonly shareWith: readonly string[];
  /** Allocate through this Ion/dma-buf style heap instead of the DMA layer. */
  readonly heap: string | null;
  /** Allocate from this private region the driver registered (viafb). */
  readonly region: string | null;
}

/** Periodic hardware operations while the device is open: pin, run for `duration`, unpin. */
export interface WorkSpec {
  /** Integer ns between the starts of two operations. */
  readonly period: number;
  /** Integer ns an operation holds its pins. */
  readonly duration: number;
  /** Buffers pinned per operation (by name); empty = all of the device's buffers. */
  readonly buffers: readonly string[];
}

export interface DeviceDef {
  readonly name: string;
  /** Kind -> regions to try in order (the original framework's map, already resolved). '*' = any other kind. */
  readonly kinds: Readonly<Record<string, readonly string[]>>;
  /** DMA mask width in bits: the device addresses [0, 2^dmaBits). */
  readonly dmaBits: number;
  /** Behind an IOMMU: needs no physical contiguity and no physical address limit. */
  readonly iommu: boolean;
  /** Its own CMA area (mainline dev->cma_area). */
  readonly area: string | null;
  /** The buffer set `device.open` allocates. */
  readonly buffers: readonly BufferSpec[];
  readonly work: WorkSpec | null;
}

/** Where memory can come from, one step of a plan. */
export type SourceStep =
  | { readonly from: 'cma'; readonly area: string; readonly why: string }
  /** Contiguous pages from the page allocator (dma-direct's alloc_pages fallback), at most MAX_ORDER. */
  | { readonly from: 'buddy'; readonly why: string }
  /** Discontiguous pages (IOMMU, system heap, size-0 region fallback). */
  | { readonly from: 'scatter'; readonly why: string }
  | { readonly from: 'private'; readonly region: string; readonly why: string };

/** Where a buffer landed. */
export type Placement =
  /** `pfn` as allocated; defragmentation may move the chunk since (cma.chunks[request].pfn is current). */
  | { readonly from: 'cma'; readonly area: string; readonly pfn: number; readonly request: number }
  | { readonly from: 'buddy' | 'scatter'; readonly pfns: readonly number[]; readonly allocs: readonly string[] }
  | { readonly from: 'private'; readonly region: string; readonly pfn: number };

export type BufferStatus = 'allocating' | 'ready' | 'failed' | 'freed';

/** One try of one plan step. */
export interface StepOutcome {
  readonly from: SourceStep['from'];
  readonly target: string;
  /** 0 on success, negative errno otherwise. */
  readonly errno: number;
  readonly note: string;
}

export interface BufferRecord {
  readonly id: number;
  /** Device that allocated it (its owner). */
  readonly owner: string;
  readonly users: readonly string[];
  readonly name: string;
  readonly kind: string;
  readonly pages: number;
  readonly align: number;
  readonly contiguous: boolean;
  /** The tightest DMA limit among the users that need physical addresses. */
  readonly limitPfn: number;
  readonly status: BufferStatus;
  readonly steps: readonly SourceStep[];
  /** Index of the step being tried (or that succeeded). */
  readonly step: number;
  readonly tried: readonly StepOutcome[];
  /** CMA request in flight or holding the buffer. */
  readonly request: number | null;
  readonly where: Placement | null;
  /** Nested hardware pins in force. */
  readonly pins: number;
  /** Why it failed: names the constraint or the last errno. */
  readonly error: string | null;
  /** Integer ns. */
  readonly requestedAt: number;
  readonly readyAt: number | null;
  /** Open session of the owner it belongs to. */
  readonly session: number;
}

export interface DeviceCounters {
  readonly opens: number;
  readonly closes: number;
  readonly allocs: number;
  readonly failures: number;
  readonly operations: number;
  /** Operations skipped because a buffer was not ready. */
  readonly stalled: number;
  /** Sum over ready buffers of (readyAt - requestedAt), ns. */
  readonly allocNs: number;
}

export interface DeviceState {
  readonly def: DeviceDef;
  readonly open: boolean;
  /** Bumped at each open, so follow-ups of an earlier session are ignored. */
  readonly session: number;
  /** Live buffer ids (allocating or ready) in allocation order. */
  readonly buffers: readonly number[];
  /** Pins of the operation in flight (buffer ids), empty when idle. */
  readonly working: readonly number[];
  readonly counters: DeviceCounters;
  /** Work of the open session (the configured one, or the one device.open gave). */
  readonly work: WorkSpec | null;
}

export type HeapType = 'carveout' | 'cma' | 'system';

export interface HeapDef {
  readonly name: string;
  readonly type: HeapType;
  /** CMA area backing a carve-out (a private area) or a CMA heap. */
  readonly area: string | null;
}

/** A region a driver registered after boot and allocates from alone (viafb): its own memory, CMA's algorithm. */
export interface PrivateRegion {
  readonly name: string;
  readonly owner: string;
  readonly basePfn: number;
  readonly count: number;
  /** The series' default allocator's state (best-fit holes, absolute pfns). */
  readonly alloc: BestFitState;
}

export interface UseCaseDef {
  readonly name: string;
  readonly devices: readonly string[];
  /** Mutually exclusive cases close each other on a switch; concurrent ones open alongside. */
  readonly exclusive: boolean;
}

/** 'auto': devices with `kinds` follow the original framework's map, the others mainline. */
export type DmaPolicy = 'mainline' | 'original' | 'auto';

export interface DevicesSettings {
  readonly policy: DmaPolicy;
  readonly defaultArea: string | null;
  /** Regions of size 0 in the original map syntax. */
  readonly zeroRegions: readonly string[];
  /** Whether a size-0 region falls back to the normal allocator (proposed in the original review). */
  readonly zeroFallback: boolean;
  /** Try the default area after the device's own area fails (a 2024 proposal; mainline does not). */
  readonly deviceAreaFallback: boolean;
  /** Integer ns between looks at a CMA request in flight. */
  readonly pollNs: number;
}

export interface DevicesCounters {
  readonly buffers: number;
  readonly failures: number;
  /** Failures by the constraint or errno that stopped them. */
  readonly failuresBy: Readonly<Record<string, number>>;
  /** Ready buffers by the source they came from. */
  readonly placedBy: Readonly<Record<string, number>>;
  readonly switches: number;
  /** Events that name a model event type this build does not have (counted, not fatal). */
  readonly undeliverable: Readonly<Record<string, number>>;
}

export interface DevicesState {
  readonly settings: DevicesSettings;
  readonly devices: Readonly<Record<string, DeviceState>>;
  readonly heaps: Readonly<Record<string, HeapDef>>;
  readonly useCases: Readonly<Record<string, UseCaseDef>>;
  /** Use cases open now, in the order they were opened. */
  readonly activeUseCases: readonly string[];
  readonly regions: Readonly<Record<string, PrivateRegion>>;
  /** Buffers by id, live ones and the last few finished ones (see KEEP_FINISHED). */
  readonly buffers: Readonly<Record<string, BufferRecord>>;
  /** Ids of finished (freed or failed) buffers still kept, oldest first. */
  readonly finished: readonly number[];
  readonly nextBuffer: number;
  /** CMA request id -> buffer id. */
  readonly requests: Readonly<Record<string, number>>;
  readonly counters: DevicesCounters;
}

/** limitPfn of a buffer no physical mask constrains (JSON has no Infinity). */
export const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Finished buffer records kept for inspection; older ones are dropped so state stays bounded. */
export const KEEP_FINISHED = 256;
