import {
  type BufferSpec, type DeviceDef, type DevicesState, type DmaPolicy, type HeapDef, type HeapType, type UseCaseDef, type WorkSpec,
} from './state.ts';

/** A buffer as a scenario writes it: size in bytes, optional fields default as in BufferSpec. */
export interface BufferInput {
  readonly name: string;
  readonly size: number;
  readonly align?: number;
  readonly kind?: string;
  readonly shareWith?: readonly string[];
  readonly heap?: string | null;
  readonly region?: string | null;
}

export interface DeviceInput {
  readonly name: string;
  /** Kind -> region or ordered region list (the original map resolved per device); '*' catches the rest. */
  readonly kinds?: Readonly<Record<string, string | readonly string[]>>;
  /** DMA mask width; default 64 (or 32 when `dma32`). */
  readonly dmaBits?: number;
  readonly iommu?: boolean;
  readonly area?: string | null;
  readonly buffers?: readonly BufferInput[];
  readonly work?: { readonly period: number; readonly duration: number; readonly buffers?: readonly string[] } | null;
}

export interface DevicesConfig {
  readonly devices?: readonly DeviceInput[];
  readonly policy?: DmaPolicy;
  /** Mainline's default area (`cma=` or `linux,cma-default`). */
  readonly defaultArea?: string | null;
  readonly heaps?: readonly { readonly name: string; readonly type: HeapType; readonly area?: string | null }[];
  readonly useCases?: readonly { readonly name: string; readonly devices: readonly string[]; readonly exclusive?: boolean }[];
  readonly zeroRegions?: readonly string[];
  readonly zeroFallback?: boolean;
  readonly deviceAreaFallback?: boolean;
  /** Integer ns between looks at a CMA request in flight; default 50 µs. */
  readonly pollNs?: number;
}

/** A bad devices configuration: one line naming the path (`devices[1].buffers[0].size`) and what was expected. */
export class DevicesConfigError extends Error {}

function bad(path: string, expected: string, got: unknown): never {
  throw new DevicesConfigError(`${path}: expected ${expected}, got ${JSON.stringify(got)}`);
}

function intIn(v: unknown, path: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) bad(path, `an integer in [${lo}, ${hi}]`, v);
  return v as number;
}

function nameOf(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') bad(path, 'a non-empty name', v);
  return v as string;
}

export function bufferSpec(b: BufferInput, path: string): BufferSpec {
  return {
    name: nameOf(b.name, `${path}.name`),
    size: intIn(b.size, `${path}.size`, 1, Number.MAX_SAFE_INTEGER),
    align: b.align === undefined ? 0 : intIn(b.align, `${path}.align`, 0, 30),
    kind: b.kind ?? '',
    shareWith: [...(b.shareWith ?? [])],
    heap: b.heap ?? null,
    region: b.region ?? null,
  };
}

export function workSpec(w: NonNullable<DeviceInput['work']>, path: string): WorkSpec {
  return {
    period: intIn(w.period, `${path}.period`, 1, Number.MAX_SAFE_INTEGER),
    duration: intIn(w.duration, `${path}.duration`, 1, Number.MAX_SAFE_INTEGER),
    buffers: [...(w.buffers ?? [])],
  };
}

export function deviceDef(d: DeviceInput, path: string): DeviceDef {
  const dmaBits = d.dmaBits === undefined ? 64 : intIn(d.dmaBits, `${path}.dmaBits`, 12, 64);
  const kinds: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(d.kinds ?? {})) kinds[k] = typeof v === 'string' ? [v] : [...v];
  const buffers = (d.buffers ?? []).map((b, i) => bufferSpec(b, `${path}.buffers[${i}]`));
  const seen = new Set<string>();
  buffers.forEach((b, i) => {
    if (seen.has(b.name)) bad(`${path}.buffers[${i}].name`, 'a name unique within the device', b.name);
    seen.add(b.name);
  });
  return {
    name: nameOf(d.name, `${path}.name`), kinds, dmaBits, iommu: d.iommu ?? false, area: d.area ?? null,
    buffers, work: d.work ? workSpec(d.work, `${path}.work`) : null,
  };
}

/** Boot: devices registered, no buffer yet. */
export function createDevicesState(cfg: DevicesConfig): DevicesState {
  const devices: Record<string, DevicesState['devices'][string]> = {};
  (cfg.devices ?? []).forEach((d, i) => {
    const def = deviceDef(d, `devices[${i}]`);
    if (Object.hasOwn(devices, def.name)) bad(`devices[${i}].name`, 'a unique device name', def.name);
    devices[def.name] = {
      def, open: false, session: 0, buffers: [], working: [], work: null,
      counters: { opens: 0, closes: 0, allocs: 0, failures: 0, operations: 0, stalled: 0, allocNs: 0 },
    };
  });
  for (const [name, d] of Object.entries(devices)) {
    d.def.buffers.forEach((b, j) => b.shareWith.forEach((u, k) => {
      if (!Object.hasOwn(devices, u)) bad(`devices[${Object.keys(devices).indexOf(name)}].buffers[${j}].shareWith[${k}]`, 'a device name', u);
    }));
  }
  const heaps: Record<string, HeapDef> = {};
  (cfg.heaps ?? []).forEach((h, i) => {
    if (!['carveout', 'cma', 'system'].includes(h.type)) bad(`heaps[${i}].type`, "'carveout', 'cma' or 'system'", h.type);
    if (h.type !== 'system' && !h.area) bad(`heaps[${i}].area`, `an area for a ${h.type} heap`, h.area);
    heaps[nameOf(h.name, `heaps[${i}].name`)] = { name: h.name, type: h.type, area: h.area ?? null };
  });
  const useCases: Record<string, UseCaseDef> = {};
  (cfg.useCases ?? []).forEach((u, i) => {
    u.devices.forEach((d, k) => { if (!Object.hasOwn(devices, d)) bad(`useCases[${i}].devices[${k}]`, 'a device name', d); });
    useCases[nameOf(u.name, `useCases[${i}].name`)] = { name: u.name, devices: [...u.devices], exclusive: u.exclusive ?? true };
  });
  return {
    settings: {
      policy: cfg.policy ?? 'auto',
      defaultArea: cfg.defaultArea ?? null,
      zeroRegions: [...(cfg.zeroRegions ?? [])],
      zeroFallback: cfg.zeroFallback ?? false,
      deviceAreaFallback: cfg.deviceAreaFallback ?? false,
      pollNs: cfg.pollNs === undefined ? 50_000 : intIn(cfg.pollNs, 'pollNs', 1, 1e12),
    },
    devices, heaps, useCases, activeUseCases: [], regions: {}, buffers: {}, finished: [],
    nextBuffer: 1,
    requests: {},
    counters: { buffers: 0, failures: 0, failuresBy: {}, placedBy: {}, switches: 0, undeliverable: {} },
  };
}
