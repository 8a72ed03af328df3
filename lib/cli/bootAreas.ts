import { readFileSync } from 'node:fs';
import { bootAreas, BootTextError } from '../scenario/bootAreas.ts';
import { ScenarioError } from '../scenario/check.ts';
import { checkScenario, type CheckOptions, type Scenario, type ScenarioInput } from '../scenario/scenario.ts';
import { InputError } from './errors.ts';
import { cannotRead } from '../io/cannotRead.ts';

/** `run --cmdline "…"` and `--dts FILE`: what the kernel was booted with. */
export interface BootSources {
  readonly cmdline?: string;
  /** Path of a .dts whose /reserved-memory node declares areas. */
  readonly dts?: string;
}

/** The scenario with its CMA areas replaced by those the kernel would declare from `boot` (lib/scenario/bootAreas.ts). */
export function withBootAreas(s: Scenario, boot: BootSources): ScenarioInput {
  if (boot.cmdline === undefined && boot.dts === undefined) return s.source;
  let dts: string | undefined;
  if (boot.dts !== undefined) {
    try {
      dts = readFileSync(boot.dts, 'utf8');
    } catch (e) {
      throw new InputError(`--dts ${boot.dts}: ${cannotRead(e)}`);
    }
  }
  let areas;
  try {
    areas = bootAreas(s.machine, { cmdline: boot.cmdline, dts }, (source) => (source === 'dts' ? `--dts ${boot.dts}` : '--cmdline'));
  } catch (e) {
    if (e instanceof BootTextError) throw new InputError(e.message);
    throw e;
  }
  return { ...s.source, cma: { ...(s.source.cma ?? {}), areas } };
}

/** The checked scenario booted from `boot` (itself when `boot` names nothing); areas the scenario cannot hold are one-line input errors. */
export function applyBootAreas(s: Scenario, boot: BootSources, opts: CheckOptions = {}): Scenario {
  if (boot.cmdline === undefined && boot.dts === undefined) return s;
  try {
    return checkScenario(withBootAreas(s, boot), opts);
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(`${boot.cmdline !== undefined ? '--cmdline' : '--dts'}: the scenario does not accept these areas: ${e.message}`);
    throw e;
  }
}
