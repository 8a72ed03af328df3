import basic from '../../examples/basic.ts';
import { loadScenarioFile, ScenarioFileError } from '../scenario/loadScenario.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { InputError } from './errors.ts';

/** The scenario `cma-sim run` uses when none is given. */
export const DEFAULT_SCENARIO: Scenario = basic;

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
