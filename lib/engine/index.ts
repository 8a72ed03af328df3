export * from './types.ts';
export { Engine, SimulationError, DEFAULT_THINNING, strideAt, type EngineOptions, type SnapshotNotice, type Thinning } from './engine.ts';
export { EventLog } from './eventLog.ts';
export { seedRng, Rng, type RngState } from './prng.ts';
export { replayEvents, type LoggedEvent } from './replay.ts';
export { Scheduler, scheduledAfter, originOfInjection, type Pending } from './scheduler.ts';
export { UnknownEventError, reducerName } from './reduceContext.ts';
