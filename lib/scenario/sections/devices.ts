import type { DmaPolicy, HeapType } from '../../../models/devices/state.ts';
import { childPath } from '../jsonPath.ts';
import {
  array, boolean, duration, int, knownKeys, object, oneOf, opt, ref, req, ScenarioError, size, string, uniqueNames, type Obj,
} from '../check.ts';

/** The `devices` section: who allocates, which kinds of memory they ask for, their buffers and work. */
export interface DeviceSpec {
  readonly name: string;
  /** Kind of memory -> area, or ordered list of areas to fall back through (the early framework's map). '*' catches other kinds. */
  readonly kinds: Readonly<Record<string, string | readonly string[]>>;
  /** Addressable bits (DMA mask width). */
  readonly dmaBits: number;
  readonly iommu: boolean;
  /** The device's own area (mainline `dev->cma_area`). */
  readonly area: string | null;
  /** Buffers allocated at device.open (bytes; align as a page order). */
  readonly buffers: readonly BufferSpecIn[];
  /** While open: a hardware operation every `period` lasting `duration` (ns), pinning `buffers`. */
  readonly work: { readonly period: number; readonly duration: number; readonly buffers: readonly string[] } | null;
}

export interface BufferSpecIn {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly kind: string;
  readonly shareWith: readonly string[];
  readonly heap: string | null;
  readonly region: string | null;
}

/** The `dma` section: the DMA layer's policy and the device-side configuration around devices. */
export interface DmaSpec {
  readonly policy: DmaPolicy;
  readonly defaultArea: string | null;
  readonly heaps: readonly { readonly name: string; readonly type: HeapType; readonly area: string | null }[];
  readonly useCases: readonly { readonly name: string; readonly devices: readonly string[]; readonly exclusive: boolean }[];
  readonly zeroRegions: readonly string[];
  readonly zeroFallback: boolean;
  readonly deviceAreaFallback: boolean | null;
  readonly pollNs: number | null;
}

export function checkDevices(v: unknown, path: string, areas: readonly string[]): DeviceSpec[] {
  const list = array(v ?? [], path, 'a list of devices').map((d, i) => checkDevice(d, childPath(path, i), areas));
  uniqueNames(list, path);
  const names = list.map((d) => d.name);
  list.forEach((d, i) => d.buffers.forEach((b, j) => b.shareWith.forEach((u, k) => {
    ref(u, childPath(childPath(childPath(childPath(childPath(path, i), 'buffers'), j), 'shareWith'), k), 'a device name', names);
  })));
  return list;
}

const areaList = (areas: readonly string[]) => (x: unknown, p: string): string | readonly string[] =>
  Array.isArray(x) ? x.map((a, k) => ref(a, childPath(p, k), 'a region name', areas)) : ref(x, p, 'a region name', areas);

function checkDevice(v: unknown, path: string, areas: readonly string[]): DeviceSpec {
  const o = object(v, path, 'a device { name, kinds, ... }');
  knownKeys(o, path, ['name', 'kinds', 'dmaBits', 'iommu', 'area', 'buffers', 'work']);
  const kp = childPath(path, 'kinds');
  const kinds: Record<string, string | readonly string[]> = {};
  for (const [k, area] of Object.entries(object(o.kinds ?? {}, kp, 'an object mapping kinds to region names'))) kinds[k] = areaList(areas)(area, childPath(kp, k));
  const bp = childPath(path, 'buffers');
  const buffers = array(o.buffers ?? [], bp, 'a list of buffers').map((b, j) => checkBuffer(b, childPath(bp, j), areas));
  uniqueNames(buffers, bp);
  return {
    name: req(o, 'name', path, string),
    kinds,
    dmaBits: opt(o, 'dmaBits', path, (x, p) => int(x, p, 12, 64), 64),
    iommu: opt(o, 'iommu', path, boolean, false),
    area: opt(o, 'area', path, (x, p) => ref(x, p, 'a region name', areas), null),
    buffers,
    work: opt(o, 'work', path, (x, p) => {
      const w = object(x, p, 'work { period, duration, buffers }');
      knownKeys(w, p, ['period', 'duration', 'buffers']);
      const names = buffers.map((b) => b.name);
      return {
        period: req(w, 'period', p, duration), duration: req(w, 'duration', p, duration),
        buffers: opt(w, 'buffers', p, array, []).map((n, k) => ref(n, childPath(childPath(p, 'buffers'), k), 'a buffer name of this device', names)),
      };
    }, null),
  };
}

function checkBuffer(v: unknown, path: string, areas: readonly string[]): BufferSpecIn {
  const o: Obj = object(v, path, 'a buffer { name, size, ... }');
  knownKeys(o, path, ['name', 'size', 'align', 'kind', 'shareWith', 'heap', 'region']);
  const sz = req(o, 'size', path, size);
  if (sz === 0) throw new ScenarioError(childPath(path, 'size'), 'expected a size > 0');
  return {
    name: req(o, 'name', path, string),
    size: sz,
    align: opt(o, 'align', path, (x, p) => int(x, p, 0, 30), 0),
    kind: opt(o, 'kind', path, string, ''),
    shareWith: opt(o, 'shareWith', path, array, []).map((x, k) => string(x, childPath(childPath(path, 'shareWith'), k))),
    heap: opt(o, 'heap', path, string, null),
    region: opt(o, 'region', path, (x, p) => ref(x, p, 'a region name', areas), null),
  };
}

export function checkDma(v: unknown, path: string, areas: readonly string[], devices: readonly string[], defaultArea: string | null): DmaSpec {
  const o = object(v ?? {}, path, 'the DMA layer settings { policy, heaps, useCases, ... }');
  knownKeys(o, path, ['policy', 'defaultArea', 'heaps', 'useCases', 'zeroRegions', 'zeroFallback', 'deviceAreaFallback', 'pollNs']);
  const region = (x: unknown, p: string) => ref(x, p, 'a region name', areas);
  const hp = childPath(path, 'heaps');
  const heaps = array(o.heaps ?? [], hp, 'a list of heaps').map((h, i) => {
    const p = childPath(hp, i);
    const ho = object(h, p, 'a heap { name, type, area }');
    knownKeys(ho, p, ['name', 'type', 'area']);
    return { name: req(ho, 'name', p, string), type: req(ho, 'type', p, (x, q) => oneOf(x, q, ['carveout', 'cma', 'system'] as const)), area: opt(ho, 'area', p, region, null) };
  });
  uniqueNames(heaps, hp);
  const up = childPath(path, 'useCases');
  const useCases = array(o.useCases ?? [], up, 'a list of use cases').map((u, i) => {
    const p = childPath(up, i);
    const uo = object(u, p, 'a use case { name, devices, exclusive }');
    knownKeys(uo, p, ['name', 'devices', 'exclusive']);
    return {
      name: req(uo, 'name', p, string),
      devices: req(uo, 'devices', p, array).map((d, k) => ref(d, childPath(childPath(p, 'devices'), k), 'a device name', devices)),
      exclusive: opt(uo, 'exclusive', p, boolean, true),
    };
  });
  uniqueNames(useCases, up);
  return {
    policy: opt(o, 'policy', path, (x, p) => oneOf(x, p, ['mainline', 'original', 'auto'] as const), 'auto'),
    defaultArea: opt(o, 'defaultArea', path, region, defaultArea),
    heaps, useCases,
    zeroRegions: opt(o, 'zeroRegions', path, array, []).map((x, k) => string(x, childPath(childPath(path, 'zeroRegions'), k))),
    zeroFallback: opt(o, 'zeroFallback', path, boolean, false),
    deviceAreaFallback: opt(o, 'deviceAreaFallback', path, boolean, null),
    pollNs: opt(o, 'pollNs', path, duration, null),
  };
}
