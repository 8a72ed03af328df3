import type { SimEvent } from '../../events/index.ts';
import type { SimState } from '../../models/state.ts';
import type { Model } from '../engine/index.ts';
import { checkInvariants } from './invariants.ts';
import { simModel } from './runScenario.ts';
import type { Scenario } from './scenario.ts';
import { bootScenario } from './toSimConfig.ts';

/**
 * A scenario as the Runnable the debugger and the explorer load (lib/explore/runnable.ts, matched
 * structurally): model, booted state, seed, the `workload.start` injection and the end time. A
 * scenario module that also does `export const runnable = scenarioRunnable(scenario)` opens in
 * `cma-sim debug` and `cma-sim explore`.
 */
export interface ScenarioRunnable {
  readonly name: string;
  readonly model: Model<SimState, SimEvent>;
  readonly initial: SimState;
  readonly seed: number;
  readonly inject: readonly { readonly event: SimEvent; readonly time: number }[];
  readonly until: number;
  readonly plugin: { readonly invariants: (s: SimState, opts?: { readonly prev?: SimState; readonly full?: boolean }) => readonly string[] };
}

export function scenarioRunnable(s: Scenario, opts: { seed?: number; until?: number } = {}): ScenarioRunnable {
  return {
    name: s.name,
    model: simModel,
    initial: bootScenario(s),
    seed: opts.seed ?? s.seed,
    inject: [{ event: { type: 'workload.start' }, time: 0 }],
    until: opts.until ?? s.until,
    plugin: { invariants: (st, o) => checkInvariants(st, o?.prev, undefined, o?.full) },
  };
}
