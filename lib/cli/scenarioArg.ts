import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, ScenarioFileError, type LoadedScenario } from '../scenario/loadScenario.ts';
import type { CheckOptions, Scenario } from '../scenario/scenario.ts';
import type { SimState } from '../../models/state.ts';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';
import { sourceExt } from './packageRoot.ts';
import { readStdin } from './stdin.ts';

/**
 * The scenario `cma-sim run` uses when none is given: example 1 of the original use cases (FIMC x3
 * + MFC on two banks), loaded by path like any scenario file, so the library never imports
 * examples/ (the build ships it beside lib/).
 */
export const DEFAULT_MODULE = fileURLToPath(new URL(`../../examples/01-fimc-mfc-two-banks${sourceExt}`, import.meta.url));

/** A scenario argument loaded once (lib/scenario's one loader): its scenario and, for a module, its exports. */
export interface ScenarioArg extends LoadedScenario {
  readonly scenario: Scenario;
}

/**
 * A scenario argument (file path, or `-`: JSON on standard input) or the default (null), loaded
 * once; file problems become one-line input errors.
 */
export async function resolveScenario(arg: string | null, io: Io, opts: CheckOptions = {}): Promise<ScenarioArg> {
  try {
    const l = await loadScenario(arg ?? DEFAULT_MODULE, { ...opts, stdin: () => readStdin(io) });
    if (l.scenario === null) throw new ScenarioFileError(l.file, null, 'expected a default export (or `scenario`) made with defineScenario');
    return { ...l, scenario: l.scenario };
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * The module a log can name as its source (`meta.source`) so `cma-sim debug log.jsonl` can rebuild
 * it: the scenario module itself when it also exports `runnable`; null for JSON scenarios.
 */
export function runnableSource(l: LoadedScenario): string | null {
  if (l.file === DEFAULT_MODULE) return DEFAULT_MODULE;
  return l.exports?.runnable !== undefined ? path.resolve(l.file) : null;
}

/** A section a TypeScript scenario adds to its text report (`export function reportSection(history)`). */
export type ReportSection = (history: { stateAtTime(t: number): { model: SimState }; stateAt(seq: number): { model: SimState }; lastSeq: number }) => string;

export function reportSectionOf(l: LoadedScenario): ReportSection | null {
  const f = l.exports?.reportSection;
  return typeof f === 'function' ? (f as ReportSection) : null;
}
