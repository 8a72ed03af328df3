import { childPath } from '../jsonPath.ts';
import { keysOf } from '../shape.ts';
import { BANK, MACHINE } from '../scenarioShape.ts';
import { array, boolean, int, knownKeys, object, oneOf, opt, req, ScenarioError, size, string, uniqueNames, type Obj } from '../check.ts';
import { CMA_FALLBACK_RULES, type CmaFallbackRule } from '../../../models/kernel/profile.ts';

/**
 * The `machine` section. Kept apart so it follows the memory model's MachineConfig as it changes:
 * `toSimConfig` is the only place that maps this onto it.
 */
export interface MachineSpec {
  readonly banks: readonly { readonly name: string; readonly base: number; readonly size: number; readonly zone?: string }[];
  readonly pageSize: number;
  readonly pageblockOrder: number;
  readonly maxOrder: number;
  /** null: the kernel profile's. */
  readonly cmaFallback: CmaFallbackRule | null;
  /** vm.min_free_kbytes; absent: the memory model's default (the kernel's formula). */
  readonly minFreeKbytes?: number;
  /** CPUs, background runnable threads, and the contention switch; absent: the CPU model's defaults. */
  readonly cpus?: number;
  readonly load?: number;
  readonly cpuContention?: boolean;
  /** CONFIG_HZ: schedule the allocating thread by timer ticks (models/timing/sched.ts); absent: the fair-share stretch. */
  readonly hz?: number;
}

const KEYS = keysOf(MACHINE);

export function checkMachine(v: unknown, path: string): MachineSpec {
  const o = object(v, path, 'a machine description (an object with banks or ram)');
  knownKeys(o, path, KEYS);
  const pageSize = opt(o, 'pageSize', path, size, 4096);
  // The kernel's page sizes run from 4K to 256K (hexagon, powerpc 44x); `&` needs < 2^31 anyway.
  if (pageSize < 4096 || pageSize > 256 * 1024 || (pageSize & (pageSize - 1)) !== 0) throw new ScenarioError(childPath(path, 'pageSize'), `expected a power of two in 4K..256K, got ${pageSize}`);
  const maxOrder = opt(o, 'maxOrder', path, (x, p) => int(x, p, 0, 20), 10);
  const pageblockOrder = opt(o, 'pageblockOrder', path, (x, p) => int(x, p, 0, maxOrder), Math.min(9, maxOrder));
  let banks: MachineSpec['banks'];
  if (o.banks !== undefined) {
    if (o.ram !== undefined) throw new ScenarioError(childPath(path, 'ram'), "give either 'banks' or 'ram', not both");
    const bp = childPath(path, 'banks');
    banks = array(o.banks, bp, 'a list of memory banks').map((b, i) => checkBank(b, childPath(bp, i), pageSize));
    if (banks.length === 0) throw new ScenarioError(bp, 'expected at least one bank');
    uniqueNames(banks, bp);
  } else {
    banks = [{ name: 'bank0', base: 0, size: req(o, 'ram', path, (x, p) => pageAligned(size(x, p), p, pageSize)) }];
  }
  return {
    banks, pageSize, pageblockOrder, maxOrder,
    cmaFallback: opt(o, 'cmaFallback', path, (x, p) => oneOf(x, p, CMA_FALLBACK_RULES), null),
    ...present('minFreeKbytes', opt(o, 'minFreeKbytes', path, (x, p) => int(x, p, 0, 2 ** 40), null)),
    ...present('cpus', opt(o, 'cpus', path, (x, p) => int(x, p, 1, 4096), null)),
    ...present('load', opt(o, 'load', path, (x, p) => int(x, p, 0, 1_000_000), null)),
    ...present('cpuContention', opt(o, 'cpuContention', path, boolean, null)),
    ...present('hz', opt(o, 'hz', path, (x, p) => int(x, p, 1, 100_000), null)),
  };
}

/** `{ [key]: v }`, or nothing when v is null, so specs without the knob stay as they were. */
function present<K extends string, V>(key: K, v: V | null): { [k in K]?: V } {
  return v === null ? {} : ({ [key]: v } as { [k in K]?: V });
}

function pageAligned(bytes: number, path: string, pageSize: number): number {
  if (bytes % pageSize !== 0) throw new ScenarioError(path, `expected a multiple of the page size (${pageSize}), got ${bytes}`);
  return bytes;
}

function checkBank(v: unknown, path: string, pageSize: number) {
  const o: Obj = object(v, path, 'a bank { name, base, size }');
  knownKeys(o, path, keysOf(BANK));
  return {
    name: req(o, 'name', path, string),
    base: opt(o, 'base', path, (x, p) => pageAligned(size(x, p), p, pageSize), 0),
    size: req(o, 'size', path, (x, p) => pageAligned(size(x, p), p, pageSize)),
    ...present('zone', opt(o, 'zone', path, string, null)),
  };
}
