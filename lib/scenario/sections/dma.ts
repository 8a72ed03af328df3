import type { DmaPolicy, HeapDef, UseCaseDef } from '../../../models/devices/state.ts';
import { childPath } from '../jsonPath.ts';
import { keysOf } from '../shape.ts';
import { DMA, HEAP, USE_CASE } from '../scenarioShape.ts';
import { array, boolean, duration, hasName, namesOf, knownKeys, object, oneOf, opt, ref, req, ScenarioError, string, uniqueNames, type Obj } from '../check.ts';
import type { AreaSpec } from './cma.ts';

/**
 * The `dma` section: the devices model's settings around the devices (DevicesConfig minus the
 * device list): the DMA layer's policy, Ion/dma-buf heaps, use cases and size-0 regions.
 */
export interface DmaSpec {
  readonly policy: DmaPolicy;
  /** Overrides the area marked `default: true` in `cma.areas`; null: the devices model takes that one. */
  readonly defaultArea: string | null;
  readonly heaps: readonly HeapDef[];
  readonly useCases: readonly UseCaseDef[];
  readonly zeroRegions: readonly string[];
  readonly zeroFallback: boolean;
  readonly deviceAreaFallback: boolean;
  /** Integer ns between looks at a CMA request in flight; null: the model's default. */
  readonly pollNs: number | null;
}


const section = (v: unknown, path: string): Obj => object(v ?? {}, path, 'the DMA layer settings { policy, heaps, useCases, zeroRegions, ... }');

/**
 * Size-0 regions: names the original map may point at with no memory behind them. Read before
 * the rest of the section because `cma.map` and device kinds may name them.
 */
export function checkZeroRegions(v: unknown, path: string): string[] {
  const o = section(v, path);
  const zp = childPath(path, 'zeroRegions');
  const names = opt(o, 'zeroRegions', path, (x, p) => array(x, p, 'a list of region names'), []).map((x, k) => string(x, childPath(zp, k), 'a region name'));
  const seen = new Set<string>();
  names.forEach((n, k) => {
    if (seen.has(n)) throw new ScenarioError(childPath(zp, k), `duplicate name ${JSON.stringify(n)}`);
    seen.add(n);
  });
  return names;
}

/** Use cases are checked against the devices separately (see checkUseCaseDevices). */
export function checkDma(v: unknown, path: string, areas: readonly AreaSpec[]): DmaSpec {
  const o = section(v, path);
  knownKeys(o, path, keysOf(DMA));
  const names = namesOf(areas);
  const zeroRegions = checkZeroRegions(v, path);
  zeroRegions.forEach((z, k) => {
    if (hasName(names, z)) throw new ScenarioError(childPath(childPath(path, 'zeroRegions'), k), `expected a name that is not a CMA area, got ${JSON.stringify(z)}`);
  });
  const hp = childPath(path, 'heaps');
  const heaps = array(o.heaps ?? [], hp, 'a list of heaps').map((h, i) => checkHeap(h, childPath(hp, i), areas));
  uniqueNames(heaps, hp);
  const up = childPath(path, 'useCases');
  const useCases = array(o.useCases ?? [], up, 'a list of use cases').map((u, i): UseCaseDef => {
    const p = childPath(up, i);
    const uo = object(u, p, 'a use case { name, devices, exclusive }');
    knownKeys(uo, p, keysOf(USE_CASE));
    const dp = childPath(p, 'devices');
    return {
      name: req(uo, 'name', p, string),
      devices: req(uo, 'devices', p, (x, q) => array(x, q, 'a list of device names')).map((d, k) => string(d, childPath(dp, k), 'a device name')),
      exclusive: opt(uo, 'exclusive', p, boolean, true),
    };
  });
  uniqueNames(useCases, up);
  const pollNs = opt(o, 'pollNs', path, duration, null);
  if (pollNs === 0) throw new ScenarioError(childPath(path, 'pollNs'), 'expected a duration > 0');
  return {
    policy: opt(o, 'policy', path, (x, p) => oneOf(x, p, ['mainline', 'original', 'auto'] as const), 'auto'),
    defaultArea: opt(o, 'defaultArea', path, (x, p) => ref(x, p, 'a CMA area name', names), null),
    heaps, useCases, zeroRegions,
    zeroFallback: opt(o, 'zeroFallback', path, boolean, false),
    deviceAreaFallback: opt(o, 'deviceAreaFallback', path, boolean, false),
    pollNs,
  };
}

/** Carve-out and CMA heaps sit on an area; a carve-out's is private (reserved, never lent). */
function checkHeap(v: unknown, path: string, areas: readonly AreaSpec[]): HeapDef {
  const o = object(v, path, 'a heap { name, type, area }');
  knownKeys(o, path, keysOf(HEAP));
  const name = req(o, 'name', path, string);
  const type = req(o, 'type', path, (x, p) => oneOf(x, p, ['carveout', 'cma', 'system'] as const));
  const area = opt(o, 'area', path, (x, p) => ref(x, p, 'a CMA area name', namesOf(areas)), null);
  const ap = childPath(path, 'area');
  if (type === 'system' && area !== null) throw new ScenarioError(ap, 'expected no area for a system heap (it takes discontiguous pages)');
  if (type !== 'system' && area === null) throw new ScenarioError(ap, `missing required field (a ${type} heap sits on a CMA area)`);
  if (type === 'carveout' && !areas.find((a) => a.name === area)!.private) {
    throw new ScenarioError(ap, `expected a private area for a carve-out heap (one with private: true), got ${JSON.stringify(area)}`);
  }
  return { name, type, area };
}

/** Every device a use case names exists. */
export function checkUseCaseDevices(useCases: readonly UseCaseDef[], path: string, devices: readonly string[]): void {
  useCases.forEach((u, i) => u.devices.forEach((d, k) => {
    ref(d, childPath(childPath(childPath(path, i), 'devices'), k), 'a device name', devices);
  }));
}
