import { ConfigError, parseMainlineCmdline, parseReservedMemoryDts, type DtArea, type MainlineArea } from '../config/index.ts';
import type { ScenarioInput } from './scenario.ts';
import type { MachineSpec } from './sections/machine.ts';

/**
 * What the kernel was booted with, as text: a command line (`cma=`, `hugetlb_cma=`,
 * `cma_pernuma=`, `numa_cma=`) and/or a device tree source whose /reserved-memory node declares
 * areas. The scenario's `cmdline` and `reservedMemory` fields and `run --cmdline/--dts` both use it.
 */
export interface BootText {
  readonly cmdline?: string;
  readonly dts?: string;
}

/** One area of a scenario as written (the scenario shape's own type). */
export type AreaInput = NonNullable<NonNullable<ScenarioInput['cma']>['areas']>[number];

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
 * The CMA areas the kernel declares from `boot` on this machine's page geometry and end of memory:
 * device-tree areas first (the kernel reserves them from the flattened tree before it parses
 * `cma=`), then the command line's in its order. A parser error is lib/config's one-line
 * ConfigError (column and token), prefixed by `where(source)` so the caller names its input.
 */
export function bootAreas(m: MachineSpec, boot: BootText, where: (source: 'cmdline' | 'dts') => string): AreaInput[] {
  const geometry = { pageSize: m.pageSize, pageblockOrder: m.pageblockOrder };
  const memoryEnd = Math.max(...m.banks.map((b) => b.base + b.size));
  const cmdlineCma = boot.cmdline !== undefined && /(^|\s)cma=/.test(boot.cmdline);
  const named = <T>(source: 'cmdline' | 'dts', parse: () => T): T => {
    try {
      return parse();
    } catch (e) {
      if (e instanceof ConfigError) throw new BootTextError(where(source), e.message);
      throw e;
    }
  };
  return [
    ...(boot.dts === undefined ? [] : named('dts', () => parseReservedMemoryDts(boot.dts!, { ...geometry, cmdlineCma })).filter((a) => a.kind === 'cma').map(fromDt)),
    ...(boot.cmdline === undefined ? [] : named('cmdline', () => parseMainlineCmdline(boot.cmdline!, { ...geometry, memoryEnd }).areas).map(fromMainline)),
  ];
}

/** A boot text the kernel's parsers refuse: `where` names the input, `problem` the column and token. */
export class BootTextError extends Error {
  constructor(readonly where: string, readonly problem: string) {
    super(`${where}: ${problem}`);
  }
}
