export * from './types.ts';
export { Engine, SimulationError, DEFAULT_THINNING, strideAt, type EngineOptions, type SnapshotNotice, type Thinning } from './engine.ts';
export { EventLog } from './eventLog.ts';
export { seedRng, Rng, type RngState } from './prng.ts';
export { replayEvents, type LoggedEvent } from './replay.ts';
export { Scheduler, type Pending } from './scheduler.ts';
export { loadPending, storePending, badStoredOrigin, withTie, type Checkpoint, type PendingEvent, type StoredPending } from './checkpoint.ts';
export { UnknownEventError, reducerName } from './reduceContext.ts';
