import { Engine, type Model } from '../../../lib/engine/index.ts';
import type { SimEvent } from '../../../events/index.ts';
import { cmaSimModel } from '../../../models/cmaSimModel.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import type { SimState } from '../../../models/state.ts';

const model = cmaSimModel as unknown as Model<SimState, SimEvent>;

/** A booted engine over the whole model, for tests that drive devices through events. */
export function engineFor(cfg: SimConfig, seed = 1): Engine<SimState, SimEvent> {
  return new Engine<SimState, SimEvent>(model, createInitialState(cfg), { seed });
}

export const MS = 1_000_000;
