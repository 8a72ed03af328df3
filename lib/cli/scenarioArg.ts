import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import basic from '../../examples/basic.ts';
import { loadScenarioFile, ScenarioFileError } from '../scenario/loadScenario.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { InputError } from './errors.ts';

/** The scenario `cma-sim run` uses when none is given. */
export const DEFAULT_SCENARIO: Scenario = basic;
const DEFAULT_MODULE = fileURLToPath(new URL('../../examples/basic.ts', import.meta.url));

/** A scenario argument (file path) or the default; file problems become one-line input errors. */
export async function resolveScenario(arg: string | null): Promise<Scenario> {
  if (arg === null) return DEFAULT_SCENARIO;
  try {
    return await loadScenarioFile(arg);
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
  const mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  return mod.runnable !== undefined ? abs : null;
}
