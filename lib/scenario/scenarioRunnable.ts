import type { SimEvent } from '../../events/index.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import type { SimState } from '../../models/state.ts';
import type { Runnable } from '../run/runnable.ts';
import { checkInvariants } from './invariants.ts';
import type { Scenario } from './scenario.ts';
import { bootScenario } from './toSimConfig.ts';

/**
 * A scenario as a Runnable (lib/run): model, booted state, seed, the `workload.start` injection
 * and the end time. Every run of a scenario (cma-sim run, sweep, replay-trace, debug, explore)
 * starts from this. A scenario module that also does `export const runnable =
 * scenarioRunnable(scenario)` opens in `cma-sim debug` and `cma-sim explore`.
 */
export interface ScenarioRunnable extends Runnable<SimState, SimEvent> {
  readonly until: number;
  readonly plugin: { readonly invariants: (s: SimState, opts?: { readonly prev?: SimState; readonly full?: boolean }) => readonly string[] };
}

export function scenarioRunnable(s: Scenario, opts: { seed?: number; until?: number } = {}): ScenarioRunnable {
  return {
    name: s.name,
    model: cmaSimModel,
    initial: bootScenario(s),
    seed: opts.seed ?? s.seed,
    inject: [{ event: { type: 'workload.start' }, time: 0 }],
    until: opts.until ?? s.until,
    plugin: { invariants: (st, o) => checkInvariants(st, o?.prev, undefined, o?.full) },
  };
}
