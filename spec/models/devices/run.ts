import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import { Sim } from '../../fixtures/sim.ts';

/** The shared harness (spec/fixtures/sim.ts) over the whole model booted from `cfg`, for tests that drive devices through events. */
export function engineFor(cfg: SimConfig, seed = 1): Sim {
  return new Sim(createInitialState(cfg), { seed, check: 'off' });
}

export const MS = 1_000_000;
