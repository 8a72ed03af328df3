import { InputError } from '../io/inputError.ts';
import type { Runnable } from '../run/runnable.ts';
import { loadScenario, runnableOf, ScenarioFileError } from '../scenario/loadScenario.ts';
import type { Scenario } from '../scenario/scenario.ts';

export interface LoadedRunnable {
  readonly runnable: Runnable<any, any>;
  /** The module's scenario, whose assertions the explorer checks. */
  readonly scenario: Scenario | null;
  /** Whether `runnable` is exactly `scenario` booted, so the scenario (data) can stand for it. */
  readonly fromScenario: boolean;
}

/**
 * What the debugger and the explorer run from a file, through lib/scenario's one loader: a
 * module's own Runnable (races, examples, test fixtures), else its scenario (JSON, or a module
 * made with defineScenario) booted, with its assertions.
 */
export async function loadRunnable(file: string): Promise<LoadedRunnable> {
  try {
    const l = await loadScenario(file);
    return { ...runnableOf(l), scenario: l.scenario };
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new InputError(e.message);
    throw e;
  }
}
