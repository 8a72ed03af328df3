import { readFileSync } from 'node:fs';
import { ConfigError, parseMainlineCmdline, parseReservedMemoryDts, type DtArea, type MainlineArea } from '../config/index.ts';
import { ScenarioError } from '../scenario/check.ts';
import { checkScenario, type Scenario, type ScenarioInput } from '../scenario/scenario.ts';
import { InputError } from './errors.ts';

/** What the kernel was booted with: a command line (`cma=`, `hugetlb_cma=`, `cma_pernuma=`, `numa_cma=`) and/or a device tree. */
export interface BootSources {
  readonly cmdline?: string;
  /** Path of a .dts whose /reserved-memory node declares areas. */
  readonly dts?: string;
}

/** One area of a scenario as written (the scenario shape's own type). */
type AreaInput = NonNullable<NonNullable<ScenarioInput['cma']>['areas']>[number];

/** A mainline area as a scenario area: fixed areas keep their base, others their placement window. */
function fromMainline(a: MainlineArea): AreaInput {
  return {
    name: a.name, size: a.size, alignment: a.alignment, orderPerBit: a.orderPerBit, default: a.source === 'cma',
    ...(a.fixed ? { base: a.base } : a.base !== undefined || a.limit !== undefined ? { range: [a.base ?? 0, a.limit ?? Number.MAX_SAFE_INTEGER] as const } : {}),
  };
}

/** A reserved-memory CMA node (reusable shared-dma-pool) as a scenario area. */
function fromDt(a: DtArea): AreaInput {
  const r = a.allocRanges?.[0];
  return {
    name: a.name, size: a.size, default: a.default,
    ...(a.base !== undefined ? { base: a.base } : {}),
    ...(a.alignment !== undefined ? { alignment: a.alignment } : {}),
    ...(r ? { range: [r.base, r.base + r.size] as const } : {}),
  };
}

/**
 * The scenario with its CMA areas replaced by those the kernel would declare from `boot`, with the
 * scenario machine's page geometry and end of memory: device-tree areas first (the kernel reserves
 * them from the flattened tree before it parses `cma=`), then the command line's in its order.
 */
export function withBootAreas(s: Scenario, boot: BootSources): ScenarioInput {
  if (boot.cmdline === undefined && boot.dts === undefined) return s.source;
  const m = s.machine;
  const geometry = { pageSize: m.pageSize, pageblockOrder: m.pageblockOrder };
  const memoryEnd = Math.max(...m.banks.map((b) => b.base + b.size));
  const areas: AreaInput[] = [];
  if (boot.dts !== undefined) {
    let text: string;
    try {
      text = readFileSync(boot.dts, 'utf8');
    } catch (e) {
      throw new InputError(`--dts ${boot.dts}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const cmdlineCma = boot.cmdline !== undefined && /(^|\s)cma=/.test(boot.cmdline);
    areas.push(...configured(`--dts ${boot.dts}`, () => parseReservedMemoryDts(text, { ...geometry, cmdlineCma })).filter((a) => a.kind === 'cma').map(fromDt));
  }
  if (boot.cmdline !== undefined) {
    areas.push(...configured('--cmdline', () => parseMainlineCmdline(boot.cmdline!, { ...geometry, memoryEnd }).areas).map(fromMainline));
  }
  return { ...s.source, cma: { ...(s.source.cma ?? {}), areas } };
}

/** The checked scenario booted from `boot` (itself when `boot` names nothing); areas the scenario cannot hold are one-line input errors. */
export function applyBootAreas(s: Scenario, boot: BootSources): Scenario {
  if (boot.cmdline === undefined && boot.dts === undefined) return s;
  try {
    return checkScenario(withBootAreas(s, boot));
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(`${boot.cmdline !== undefined ? '--cmdline' : '--dts'}: the scenario does not accept these areas: ${e.message}`);
    throw e;
  }
}

function configured<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(`${what}: ${e.message}`);
    throw e;
  }
}
