import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, ScenarioFileError, scenarioFromJson } from '../scenario/loadScenario.ts';
import type { CheckOptions, Scenario } from '../scenario/scenario.ts';
import type { SimState } from '../../models/state.ts';
import { importModule } from '../io/importModule.ts';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';
import { sourceExt } from './packageRoot.ts';
import { readStdin, STDIN } from './stdin.ts';

/**
 * The scenario `cma-sim run` uses when none is given: example 1 of the original use cases (FIMC x3
 * + MFC on two banks), loaded by path like any scenario file, so the library never imports
 * examples/ (the build ships it beside lib/).
 */
export const DEFAULT_MODULE = fileURLToPath(new URL(`../../examples/01-fimc-mfc-two-banks${sourceExt}`, import.meta.url));

/**
 * A scenario argument (file path, or `-`: JSON on standard input) or the default; file problems
 * become one-line input errors.
 */
export async function resolveScenario(arg: string | null, io: Io, opts: CheckOptions = {}): Promise<Scenario> {
  try {
    if (arg === null) return await loadScenarioFile(DEFAULT_MODULE, opts);
    return arg === STDIN ? scenarioFromJson(await readStdin(io), '<stdin>', opts) : await loadScenarioFile(arg, opts);
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * The module a log can name as its source (`meta.source`) so `cma-sim debug log.jsonl` can rebuild
 * it: the scenario module itself when it also exports `runnable`; null for JSON scenarios.
 */
export async function runnableSource(arg: string | null): Promise<string | null> {
  if (arg === null) return DEFAULT_MODULE;
  if (!/\.(m?ts|m?js)$/i.test(arg)) return null;
  const abs = path.resolve(arg);
  const mod = await importModule(abs);
  return mod.runnable !== undefined ? abs : null;
}

/** A section a TypeScript scenario adds to its text report (`export function reportSection(history)`). */
export type ReportSection = (history: { stateAtTime(t: number): { model: SimState }; stateAt(seq: number): { model: SimState }; lastSeq: number }) => string;

export async function reportSectionFor(arg: string | null): Promise<ReportSection | null> {
  if (arg !== null && !/\.(m?ts|m?js)$/i.test(arg)) return null;
  const mod = await importModule(arg ?? DEFAULT_MODULE);
  return typeof mod.reportSection === 'function' ? (mod.reportSection as ReportSection) : null;
}
