/** The model's public API (package export `cma-sim/models`): the root model, its state, and its invariants. */
export { cmaSimModel, MODEL_VERSION } from './cmaSimModel.ts';
export type { SimState } from './state.ts';
export { createInitialState, type SimConfig } from './initialState.ts';
export { checkInvariants, formatViolation, INVARIANT_SUITES, type InvariantSuite, type Violation } from './invariants/index.ts';
export { allocatorNames, registerAllocator } from './cma/allocators/registry.ts';
