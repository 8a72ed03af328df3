import type { SchemaFor } from './schema.ts';

/**
 * Devices and their drivers. Inputs come from scenarios and workload generators (open, close,
 * work, use-case switches, single dma_alloc/dma_free calls, a driver registering its own memory);
 * `device.poll` and `device.work.done` are follow-ups the devices reducers schedule themselves.
 */

/** A buffer as a driver asks for it (sizes in bytes, `align` a page order). */
export interface DeviceBufferInput {
  readonly name: string;
  readonly size: number;
  readonly align?: number;
  readonly kind?: string;
  /** Other devices that use the buffer too. */
  readonly shareWith?: readonly string[];
  /** Ion/dma-buf heap to allocate from instead of the DMA layer. */
  readonly heap?: string;
  /** Private region (registered by this driver) to allocate from. */
  readonly region?: string;
}

/** Periodic hardware operations (ns): pin `buffers` (default all) for `duration` every `period`. */
export interface DeviceWorkInput {
  readonly period: number;
  readonly duration: number;
  readonly buffers?: readonly string[];
}

/**
 * The driver's open(): allocate its buffer set and start its periodic work (the configured ones
 * unless the event gives them, which lets a scenario describe a use case's buffers inline).
 */
export interface DeviceOpenEvent {
  readonly type: 'device.open';
  readonly device: string;
  readonly buffers?: readonly DeviceBufferInput[];
  readonly work?: DeviceWorkInput;
}

/** The driver's release(): end any operation, free every buffer. */
export interface DeviceCloseEvent {
  readonly type: 'device.close';
  readonly device: string;
}

/**
 * One hardware operation: pin the buffers, run `duration` ns, unpin. Events the model schedules
 * itself carry the open `session` and repeat every configured period; an injected one runs once.
 */
export interface DeviceWorkEvent {
  readonly type: 'device.work';
  readonly device: string;
  readonly session?: number;
  readonly duration?: number;
  /** Buffer names to pin; default: the configured work buffers, else all. */
  readonly buffers?: readonly string[];
}

/** The operation ended: unpin what it pinned. */
export interface DeviceWorkDoneEvent {
  readonly type: 'device.work.done';
  readonly device: string;
  readonly session: number;
}

/** Look again at buffer `buffer`'s CMA request in flight. */
export interface DevicePollEvent {
  readonly type: 'device.poll';
  readonly buffer: number;
}

/** Switch use case: an exclusive case closes the other exclusive cases' devices first. */
export interface UseCaseSwitchEvent {
  readonly type: 'usecase.switch';
  readonly to: string;
}

/** A single dma_alloc_coherent / cma_alloc by a driver, outside its open-time set. */
export interface DmaAllocEvent extends DeviceBufferInput {
  readonly type: 'dma.alloc';
  readonly device: string;
}

export interface DmaFreeEvent {
  readonly type: 'dma.free';
  readonly device: string;
  readonly name: string;
}

/** A driver registers memory it owns (bytes) as a private region only it allocates from (viafb). */
export interface DeviceRegionRegisterEvent {
  readonly type: 'device.region.register';
  readonly device: string;
  readonly region: string;
  readonly base: number;
  readonly size: number;
}

export type DeviceEvent =
  | DeviceOpenEvent
  | DeviceCloseEvent
  | DeviceWorkEvent
  | DeviceWorkDoneEvent
  | DevicePollEvent
  | UseCaseSwitchEvent
  | DmaAllocEvent
  | DmaFreeEvent
  | DeviceRegionRegisterEvent;

const bufferFields = { name: 'string', size: 'uint', align: '?order', kind: '?string', shareWith: '?string[]', heap: '?string', region: '?string' } as const;

export const devicesEventSchema: SchemaFor<DeviceEvent> = {
  'device.open': { device: 'string', buffers: '?array', work: '?object' },
  'device.close': { device: 'string' },
  'device.work': { device: 'string', session: '?uint', duration: '?uint', buffers: '?string[]' },
  'device.work.done': { device: 'string', session: 'int' },
  'device.poll': { buffer: 'int' },
  'usecase.switch': { to: 'string' },
  'dma.alloc': { device: 'string', ...bufferFields },
  'dma.free': { device: 'string', name: 'string' },
  'device.region.register': { device: 'string', region: 'string', base: 'uint', size: 'uint' },
};
