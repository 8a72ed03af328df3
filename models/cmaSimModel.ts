import { joinDisjoint, validateEvent, type SimEvent } from '../events/index.ts';
import { canonicalState } from './canonical.ts';
import type { Handlers } from './context.ts';
import { cmaHandlers } from './cma/handlers.ts';
import { devicesHandlers } from './devices/handlers.ts';
import { memoryHandlers } from './mm/memoryHandlers.ts';
import { pagecacheHandlers } from './pagecache/handlers.ts';
import { traceHandlers } from './traceHandlers.ts';
import { workloadHandlers } from './workload/handlers.ts';

/** Bumped whenever a reducer's behaviour changes, so old logs are refused rather than replayed wrongly. */
export const MODEL_VERSION = '0.7.0';

// Each aggregate's map is typed over its own slice of the union, so the compiler demands a handler
// for every event type; joinDisjoint refuses a type two aggregates both claim.
const handlers: Handlers<SimEvent> = joinDisjoint('handlers', {
  memory: memoryHandlers,
  pagecache: pagecacheHandlers,
  cma: cmaHandlers,
  devices: devicesHandlers,
  workload: workloadHandlers,
  trace: traceHandlers,
});

/**
 * The root model: every event type of the closed union mapped to its aggregate's handler. It has
 * the shape lib/engine's Model expects, without importing it.
 */
export const cmaSimModel = {
  name: 'cma-sim',
  version: MODEL_VERSION,
  reducers: handlers,
  validateEvent,
  canonical: canonicalState,
} as const;
