import type { BufferSpec, DeviceDef, WorkSpec } from '../../../models/devices/state.ts';
import { childPath } from '../jsonPath.ts';
import { keysOf } from '../shape.ts';
import { BUFFER, DEVICE, WORK } from '../scenarioShape.ts';
import { array, boolean, hasName, record, duration, int, knownKeys, object, opt, ref, req, ScenarioError, size, string, uniqueNames } from '../check.ts';

/**
 * The `devices` section: who allocates, the kinds of memory they ask for, their buffer set and
 * their periodic work. Checked devices are the devices model's own `DeviceDef`s (kinds resolved
 * to ordered region lists), so the scenario and the model cannot disagree on what a device is.
 */

/** What device fields may name. */
export interface DeviceRefs extends Omit<BufferRefs, 'devices'> {
  /** CMA areas (a device's own `area`). */
  readonly areas: readonly string[];
  /** CMA areas and size-0 regions (what `kinds` may map to). */
  readonly regions: readonly string[];
}

/** What a buffer may name besides its own fields. */
export interface BufferRefs {
  readonly devices: readonly string[];
  /** Heaps declared in `dma.heaps`. */
  readonly heaps: readonly string[];
  /** Private regions each device registers (device.region.register events in replay workloads). */
  readonly privateRegions: Readonly<Record<string, readonly string[]>>;
}


export function checkDevices(v: unknown, path: string, refs: DeviceRefs): DeviceDef[] {
  const list = array(v ?? [], path, 'a list of devices').map((d, i) => checkDevice(d, childPath(path, i), refs));
  uniqueNames(list, path);
  const names = list.map((d) => d.name);
  list.forEach((d, i) => checkBufferRefs(d.buffers, childPath(childPath(path, i), 'buffers'), d.name, { ...refs, devices: names }));
  return list;
}

function checkDevice(v: unknown, path: string, refs: DeviceRefs): DeviceDef {
  const o = object(v, path, 'a device { name, kinds, dmaBits, iommu, area, buffers, work }');
  knownKeys(o, path, keysOf(DEVICE));
  const name = req(o, 'name', path, string);
  const kp = childPath(path, 'kinds');
  const kinds = record<readonly string[]>();
  for (const [k, r] of Object.entries(object(o.kinds ?? {}, kp, 'an object mapping kinds to region names'))) kinds[k] = regionList(r, childPath(kp, k), refs.regions);
  const buffers = checkBuffers(o.buffers ?? [], childPath(path, 'buffers'));
  return {
    name, kinds,
    dmaBits: opt(o, 'dmaBits', path, (x, p) => int(x, p, 12, 64), 64),
    iommu: opt(o, 'iommu', path, boolean, false),
    area: opt(o, 'area', path, (x, p) => ref(x, p, 'a CMA area name', refs.areas), null),
    buffers,
    work: opt(o, 'work', path, (x, p) => checkWork(x, p, buffers), null),
  };
}

/** A region name, or an ordered list of them to fall back through (the original framework's map). */
function regionList(x: unknown, p: string, regions: readonly string[]): readonly string[] {
  if (!Array.isArray(x)) return [ref(x, p, 'a region name', regions)];
  if (x.length === 0) throw new ScenarioError(p, 'expected a region name or a non-empty list of them, got an empty list');
  return x.map((r, k) => ref(r, childPath(p, k), 'a region name', regions));
}

/** A buffer set: unique names; references to other devices are checked by the caller. */
export function checkBuffers(v: unknown, path: string): BufferSpec[] {
  const list = array(v, path, 'a list of buffers').map((b, j) => checkBuffer(b, childPath(path, j)));
  uniqueNames(list, path);
  return list;
}

function checkBuffer(v: unknown, path: string): BufferSpec {
  const o = object(v, path, 'a buffer { name, size, align, kind, shareWith, heap, region }');
  knownKeys(o, path, keysOf(BUFFER));
  const name = req(o, 'name', path, string);
  const sz = req(o, 'size', path, size);
  if (sz === 0) throw new ScenarioError(childPath(path, 'size'), 'expected a size > 0');
  const sp = childPath(path, 'shareWith');
  const heap = opt(o, 'heap', path, string, null);
  const region = opt(o, 'region', path, string, null);
  if (heap !== null && region !== null) throw new ScenarioError(path, "expected at most one of 'heap' and 'region'");
  return {
    name, size: sz,
    align: opt(o, 'align', path, (x, p) => int(x, p, 0, 30), 0),
    kind: opt(o, 'kind', path, (x, p) => (typeof x === 'string' ? x : string(x, p, 'a kind name')), ''),
    shareWith: opt(o, 'shareWith', path, (x, p) => array(x, p, 'a list of device names'), []).map((x, k) => string(x, childPath(sp, k), 'a device name')),
    heap, region,
  };
}

/**
 * What `owner`'s buffers name exists: devices they are shared with (other than the owner), the
 * heap, the private region (one the owner registers: only it may allocate there).
 */
export function checkBufferRefs(buffers: readonly BufferSpec[], path: string, owner: string, refs: BufferRefs): void {
  buffers.forEach((b, j) => {
    const p = childPath(path, j);
    b.shareWith.forEach((u, k) => {
      const q = childPath(childPath(p, 'shareWith'), k);
      if (u === owner || !hasName(refs.devices, u)) ref(u, q, 'another device name', refs.devices.filter((n) => n !== owner));
    });
    if (b.heap !== null) ref(b.heap, childPath(p, 'heap'), 'a heap name from dma.heaps', refs.heaps);
    if (b.region !== null) ref(b.region, childPath(p, 'region'), `a private region ${owner} registers (device.region.register in a replay workload)`, refs.privateRegions[owner] ?? []);
  });
}

/** Periodic hardware operations; the buffers they pin are names from `buffers` (none listed: all). */
export function checkWork(v: unknown, path: string, buffers: readonly BufferSpec[]): WorkSpec {
  const w = object(v, path, 'work { period, duration, buffers }');
  knownKeys(w, path, keysOf(WORK));
  const positive = (x: unknown, p: string): number => {
    const ns = duration(x, p);
    if (ns <= 0) throw new ScenarioError(p, 'expected a duration > 0');
    return ns;
  };
  const period = req(w, 'period', path, positive);
  const busy = req(w, 'duration', path, positive);
  const names = buffers.map((b) => b.name);
  const bp = childPath(path, 'buffers');
  return {
    period, duration: busy,
    buffers: opt(w, 'buffers', path, (x, p) => array(x, p, 'a list of buffer names'), []).map((n, k) => ref(n, childPath(bp, k), 'a buffer name of this set', names)),
  };
}
