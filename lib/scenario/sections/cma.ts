import { childPath } from '../jsonPath.ts';
import { array, boolean, int, namesOf, knownKeys, object, oneOf, opt, ref, req, ScenarioError, size, string, uniqueNames } from '../check.ts';
import { MAX_EVENT_PAGES } from '../../../events/schema.ts';
import { allocatorNames } from '../../../models/cma/allocators/registry.ts';
import type { MapRule } from '../../config/index.ts';
import { checkCmaMap } from './cmaMap.ts';
import { keysOf } from '../shape.ts';
import { AREA, CMA, DEFRAG, DEFRAG_MODES, LOCK_MODES } from '../scenarioShape.ts';
import type { MachineSpec } from './machine.ts';
import { MAX_ORDER_PER_BIT } from '../../../models/cma/createCmaState.ts';


function checkDefrag(v: unknown, path: string): CmaSpec['defrag'] {
  if (typeof v === 'string') return oneOf(v, path, DEFRAG_MODES);
  const o = object(v, path, "a defrag mode ('off', 'manual', 'on-release') or { mode, variant }");
  knownKeys(o, path, keysOf(DEFRAG));
  return { mode: req(o, 'mode', path, (x, p) => oneOf(x, p, DEFRAG_MODES)), variant: req(o, 'variant', path, (x, p) => oneOf(x, p, ['defrag-ignores-pins'] as const)) };
}

/** The `cma` section: areas reserved at boot and the lock mode. Mapped onto CmaConfig by toSimConfig. */
export interface AreaSpec {
  readonly name: string;
  readonly size: number;
  /** Fixed base address; null: placed at boot (within `range`, aligned to `alignment`). */
  readonly base: number | null;
  readonly alignment: number;
  readonly range: readonly [number, number] | null;
  readonly orderPerBit: number;
  readonly bank: string | null;
  /** Private areas are never lent to the page allocator (the series' @private). */
  readonly private: boolean;
  /** null: the kernel profile's default allocator (best-fit for the series, bitmap for mainline). */
  readonly allocator: string | null;
  readonly allocatorParams: Readonly<Record<string, unknown>> | null;
  /** Mainline's default area (`cma=` / `linux,cma-default`). */
  readonly default: boolean;
}

export interface CmaSpec {
  /** null: the kernel profile's. */
  readonly lockMode: 'global' | 'split' | 'per-area' | 'series' | null;
  readonly areas: readonly AreaSpec[];
  /** Early-framework mapping rules, written in `cma_map` syntax (parsed by lib/config); empty: none. */
  readonly map: readonly MapRule[];
  /** null: the kernel profile's. */
  readonly discardClean: boolean | null;
  /** CONFIG_CMA_AREAS. */
  readonly areasMax: number;
  readonly defrag: 'off' | 'manual' | 'on-release' | { readonly mode: 'off' | 'manual' | 'on-release'; readonly variant: 'defrag-ignores-pins' };
  /** Pages per migration batch. */
  readonly migrateBatch: number;
}


/** `zeroRegions`: size-0 region names (dma.zeroRegions) the map may name besides the areas. */
export function checkCma(v: unknown, path: string, machine: MachineSpec, zeroRegions: readonly string[] = []): CmaSpec {
  const o = object(v ?? {}, path);
  knownKeys(o, path, keysOf(CMA));
  const ap = childPath(path, 'areas');
  const areas = array(o.areas ?? [], ap, 'a list of areas').map((a, i) => checkArea(a, childPath(ap, i), machine));
  uniqueNames(areas, ap);
  if (areas.filter((a) => a.default).length > 1) throw new ScenarioError(ap, 'expected at most one area with default: true');
  return {
    lockMode: opt(o, 'lockMode', path, (x, p) => oneOf(x, p, LOCK_MODES), null),
    areas,
    map: opt(o, 'map', path, (x, p) => checkCmaMap(x, p, [...areas.map((a) => a.name), ...zeroRegions]), []),
    discardClean: opt(o, 'discardClean', path, boolean, null),
    areasMax: opt(o, 'areasMax', path, (x, p) => int(x, p, 1, 64), 8),
    defrag: opt(o, 'defrag', path, checkDefrag, 'off'),
    migrateBatch: opt(o, 'migrateBatch', path, (x, p) => int(x, p, 1, MAX_EVENT_PAGES), 32),
  };
}

function checkArea(v: unknown, path: string, machine: MachineSpec): AreaSpec {
  const o = object(v, path, 'an area { name, size, ... }');
  knownKeys(o, path, keysOf(AREA));
  const block = machine.pageSize * 2 ** machine.pageblockOrder;
  const aligned = (x: unknown, p: string): number => {
    const b = size(x, p);
    if (b % block !== 0) throw new ScenarioError(p, `expected a multiple of the pageblock size (${block} bytes), got ${b}`);
    return b;
  };
  const rangeOf = (x: unknown, p: string): readonly [number, number] => {
    const r = array(x, p, 'a [start, end] address pair');
    if (r.length !== 2) throw new ScenarioError(p, `expected a [start, end] address pair, got ${r.length} values`);
    const lo = size(r[0], childPath(p, 0)), hi = size(r[1], childPath(p, 1));
    if (hi <= lo) throw new ScenarioError(p, 'expected start < end');
    return [lo, hi];
  };
  return {
    name: req(o, 'name', path, string),
    size: req(o, 'size', path, aligned),
    base: opt(o, 'base', path, aligned, null),
    alignment: opt(o, 'alignment', path, size, block),
    range: opt(o, 'range', path, rangeOf, null),
    orderPerBit: opt(o, 'orderPerBit', path, (x, p) => int(x, p, 0, MAX_ORDER_PER_BIT), 0),
    bank: opt(o, 'bank', path, (x, p) => ref(x, p, 'a bank name', namesOf(machine.banks)), null),
    private: opt(o, 'private', path, boolean, false),
    allocator: opt<string | null>(o, 'allocator', path, (x, p) => oneOf(x, p, allocatorNames()), null),
    allocatorParams: opt(o, 'allocatorParams', path, (x, p) => object(x, p), null),
    default: opt(o, 'default', path, boolean, false),
  };
}
