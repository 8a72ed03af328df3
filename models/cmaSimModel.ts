import { joinDisjoint, validateEvent, type SimEvent } from '../events/index.ts';
import { canonicalState } from './canonical.ts';
import type { Handler, Handlers } from './context.ts';
import { cmaHandlers } from './cma/handlers.ts';
import { devicesHandlers } from './devices/handlers.ts';
import { memoryHandlers } from './mm/memoryHandlers.ts';
import { closeBatch, openBatch } from './overlay/sealAtCommit.ts';
import { pagecacheHandlers } from './pagecache/handlers.ts';
import { afterEvent } from './pagecache/kswapd.ts';
import { traceHandlers } from './traceHandlers.ts';
import { workloadHandlers } from './workload/handlers.ts';

/** Bumped whenever a reducer's behaviour changes, so old logs are refused rather than replayed wrongly. */
export const MODEL_VERSION = '0.8.0';

// Each aggregate's map is typed over its own slice of the union, so the compiler demands a handler
// for every event type; joinDisjoint refuses a type two aggregates both claim.
const joined: Handlers<SimEvent> = joinDisjoint('handlers', {
  memory: memoryHandlers,
  pagecache: pagecacheHandlers,
  cma: cmaHandlers,
  devices: devicesHandlers,
  workload: workloadHandlers,
  trace: traceHandlers,
});

/**
 * A handler run with its batch open, so every copy the overlays make while it runs is frozen at
 * the batch's commit (models/overlay/sealAtCommit.ts). It keeps the handler's name, which error
 * messages quote.
 */
function sealingCopies<E>(h: Handler<E>): Handler<E> {
  const run: Handler<E> = (d, e, ctx) => {
    const outer = openBatch(ctx);
    try {
      h(d, e, ctx);
      // A kswapd thread woken by an allocation in this event gets its CPU and first batch scheduled.
      afterEvent(d, ctx);
    } finally {
      closeBatch(outer);
    }
  };
  Object.defineProperty(run, 'name', { value: h.name });
  return run;
}

const handlers = Object.fromEntries(
  Object.entries(joined).map(([type, h]) => [type, sealingCopies(h as Handler<SimEvent>)]),
) as unknown as Handlers<SimEvent>;

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
