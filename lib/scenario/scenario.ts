import type { GeneratorSpec } from '../../models/workload/state.ts';
import { array, duration, int, knownKeys, object, opt, plainData, record, req, ScenarioError, string } from './check.ts';
import { checkAssertions, type AssertionSpec } from './sections/assertions.ts';
import { checkCma, type CmaSpec } from './sections/cma.ts';
import { checkKernel } from './sections/kernel.ts';
import type { KernelSetting } from '../../models/kernel/profile.ts';
import { checkCosts } from './sections/costs.ts';
import type { DeviceDef } from '../../models/devices/state.ts';
import { applyCmaMap, kindsUsed } from './sections/cmaMap.ts';
import { checkDevices } from './sections/devices.ts';
import { checkDma, checkUseCaseDevices, checkZeroRegions, type DmaSpec } from './sections/dma.ts';
import { checkMachine, type MachineSpec } from './sections/machine.ts';
import { checkMemoryBudget, DEFAULT_MAX_MEMORY } from './memoryBudget.ts';
import { checkWorkload } from './sections/workload.ts';
import { keysOf } from './shape.ts';
import { PAGECACHE, SCENARIO, type ScenarioShapeInput } from './scenarioShape.ts';
import { bootAreas, BootTextError } from './bootAreas.ts';

/**
 * A scenario as written (TypeScript object or JSON file): sizes may be "64M", durations "12.5ms".
 * It must be plain JSON data: it is stored in logs and sent to sweep workers as is. Its type is
 * the format's declaration (scenarioShape.ts), so a typo is a compile error in a `.ts` scenario.
 */
export type ScenarioInput = ScenarioShapeInput;

/** The `pagecache` section: writeback timing (models/pagecache's configuration). */
export interface PageCacheSpec {
  /** ns after dirtying that writeback starts; null: only reclaim writes back. */
  readonly dirtyExpireNs: number | null;
  /** ns to write one page back; null: the model's default. */
  readonly writebackPerPageNs: number | null;
  /** ns to read one page in; null: the model's default. */
  readonly readPerPageNs: number | null;
}

/** A checked scenario: every size in bytes, every duration in integer ns, every reference resolved. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  /** End of the run, ns. */
  readonly until: number;
  /** Kernel profile setting as written; null: the default profile. */
  readonly kernel: KernelSetting | null;
  readonly machine: MachineSpec;
  readonly cma: CmaSpec;
  /** The devices model's definitions: kinds resolved to region lists (explicit `kinds`, then `cma.map`). */
  readonly devices: readonly DeviceDef[];
  readonly dma: DmaSpec;
  readonly pagecache: PageCacheSpec;
  readonly workload: readonly GeneratorSpec[];
  readonly costs: Readonly<Record<string, number>>;
  readonly assertions: readonly AssertionSpec[];
  /** The input it was checked from (what logs store and `--set` edits). */
  readonly source: ScenarioInput;
}

export const SCENARIO_KEYS = keysOf(SCENARIO);
export const DEFAULT_UNTIL_NS = 10e9;

/** Limits a scenario is checked against besides its own fields. */
export interface CheckOptions {
  /** Bytes of model state the machine may need (estimated per page); DEFAULT_MAX_MEMORY when absent. */
  readonly maxMemory?: number;
}

/**
 * The `cma` section with the areas the scenario's `reservedMemory` and `cmdline` declare appended
 * to `cma.areas`, as the kernel adds them to the platform's (lib/scenario/bootAreas.ts).
 */
function withBootText(o: Readonly<Record<string, unknown>>, machine: MachineSpec): unknown {
  if (o.cmdline === undefined && o.reservedMemory === undefined) return o.cma;
  const boot = {
    ...(o.cmdline !== undefined ? { cmdline: string(o.cmdline, 'cmdline') } : {}),
    ...(o.reservedMemory !== undefined ? { dts: string(o.reservedMemory, 'reservedMemory') } : {}),
  };
  let added;
  try {
    added = bootAreas(machine, boot, (source) => (source === 'dts' ? 'reservedMemory' : 'cmdline'));
  } catch (e) {
    if (e instanceof BootTextError) throw new ScenarioError(e.where, e.problem);
    throw e;
  }
  const cma = o.cma === undefined ? {} : object(o.cma, 'cma');
  const areas = cma.areas === undefined ? [] : array(cma.areas, 'cma.areas');
  return { ...cma, areas: [...areas, ...added] };
}

/** Check a scenario field by field; throws ScenarioError naming the JSON path of the first problem. */
export function checkScenario(input: unknown, opts: CheckOptions = {}): Scenario {
  const o = object(input, '', 'a scenario object');
  plainData(o, '');
  knownKeys(o, '', SCENARIO_KEYS);
  const machine = req(o, 'machine', '', checkMachine);
  checkMemoryBudget(machine, object(o.machine, 'machine'), opts.maxMemory ?? DEFAULT_MAX_MEMORY);
  // Size-0 regions are names the map and device kinds may use without an area behind them.
  const zero = checkZeroRegions(o.dma, 'dma');
  const cma = checkCma(withBootText(o, machine), 'cma', machine, zero);
  const areas = cma.areas.map((a) => a.name);
  const dma = checkDma(o.dma, 'dma', cma.areas);
  const bufferRefs = { heaps: dma.heaps.map((h) => h.name), privateRegions: registeredRegions(o.workload) };
  const declared = checkDevices(o.devices, 'devices', { areas, regions: [...areas, ...zero], ...bufferRefs });
  checkUseCaseDevices(dma.useCases, 'dma.useCases', declared.map((d) => d.name));
  const workload = checkWorkload(o.workload, 'workload', {
    devices: declared, areas, useCases: dma.useCases.map((u) => u.name), ...bufferRefs, pageSize: machine.pageSize, maxOrder: machine.maxOrder,
  });
  const devices = applyCmaMap(declared, cma.map, kindsUsed(declared, workload));
  const until = opt(o, 'until', '', duration, DEFAULT_UNTIL_NS);
  if (until === 0) throw new ScenarioError('until', 'expected a duration > 0');
  return {
    name: opt(o, 'name', '', string, 'scenario'),
    description: opt(o, 'description', '', (x, p) => (typeof x === 'string' ? x : string(x, p)), ''),
    seed: opt(o, 'seed', '', (x, p) => int(x, p, 0, 2 ** 32 - 1), 1),
    until, kernel: opt(o, 'kernel', '', checkKernel, null), machine, cma, devices, dma, workload,
    pagecache: checkPagecache(o.pagecache, 'pagecache'),
    costs: checkCosts(o.costs, 'costs'),
    assertions: checkAssertions(o.assertions, 'assertions', cma.areas.map((a) => a.name)),
    source: jsonCopy(input as ScenarioInput),
  };
}

/**
 * Private regions each device registers in a replay workload (device.region.register): the only
 * regions its buffers may name. Read before the workload is checked (which reports bad events).
 */
function registeredRegions(workload: unknown): Record<string, string[]> {
  const out = record<string[]>();
  const list = Array.isArray(workload) ? workload : [];
  for (const g of list as { events?: unknown }[]) {
    if (!Array.isArray(g?.events)) continue;
    for (const r of g.events as { event?: { type?: unknown; device?: unknown; region?: unknown } }[]) {
      const e = r?.event;
      if (e?.type === 'device.region.register' && typeof e.device === 'string' && typeof e.region === 'string') (out[e.device] ??= []).push(e.region);
    }
  }
  return out;
}

function checkPagecache(v: unknown, path: string): PageCacheSpec {
  const o = object(v ?? {}, path, 'page-cache settings { dirtyExpire, writebackPerPage, readPerPage }');
  knownKeys(o, path, keysOf(PAGECACHE));
  return {
    dirtyExpireNs: opt(o, 'dirtyExpire', path, duration, null), writebackPerPageNs: opt(o, 'writebackPerPage', path, duration, null),
    readPerPageNs: opt(o, 'readPerPage', path, duration, null),
  };
}

/** The TypeScript form: same checks as JSON, so both forms mean the same thing. */
export function defineScenario(input: ScenarioInput): Scenario {
  return checkScenario(input);
}

function jsonCopy(input: ScenarioInput): ScenarioInput {
  const text = JSON.stringify(input, (_k, v: unknown) => {
    if (typeof v === 'function' || typeof v === 'bigint' || typeof v === 'symbol') throw new ScenarioError('', `expected plain JSON data, got a ${typeof v}`);
    return v;
  });
  return JSON.parse(text) as ScenarioInput;
}
