import type { TraceEvent } from '../events/index.ts';
import type { Handlers } from './context.ts';

// Trace events only mark what the kernel would print; the state they describe was already changed
// by the event that emitted them.
const noop = (): void => {};
export const traceHandlers: Handlers<TraceEvent> = {
  'trace.cma_alloc_start': noop,
  'trace.cma_alloc_finish': noop,
  'trace.cma_alloc_busy_retry': noop,
  'trace.cma_release': noop,
  'trace.mm_migrate_pages_start': noop,
  'trace.mm_migrate_pages': noop,
  'trace.test_pages_isolated': noop,
};
