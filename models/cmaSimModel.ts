import { validateEvent, type SimEvent } from '../events/index.ts';
import type { Handlers } from './context.ts';
import { cmaHandlers } from './cma/handlers.ts';
import { devicesHandlers } from './devices/handlers.ts';
import { memoryHandlers } from './memory/handlers.ts';
import { pagecacheHandlers } from './pagecache/handlers.ts';
import { traceHandlers } from './traceHandlers.ts';
import { workloadHandlers } from './workload/handlers.ts';

/** Bumped whenever a reducer's behaviour changes, so old logs are refused rather than replayed wrongly. */
export const MODEL_VERSION = '0.4.0';

const handlers: Handlers<SimEvent> = {
  ...memoryHandlers,
  ...pagecacheHandlers,
  ...cmaHandlers,
  ...devicesHandlers,
  ...workloadHandlers,
  ...traceHandlers,
};

/**
 * The root model: every event type of the closed union mapped to its aggregate's handler. It has
 * the shape lib/engine's Model expects, without importing it.
 */
export const cmaSimModel = {
  name: 'cma-sim',
  version: MODEL_VERSION,
  reducers: handlers,
  validateEvent,
} as const;
