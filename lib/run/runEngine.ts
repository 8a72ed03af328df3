import type { Engine } from '../engine/engine.ts';
import type { Choice, Envelope, Nanos, RunResult, SimEventBase, World } from '../engine/types.ts';

/** How far a run has got, for progress bars and explorers' "at event N" lines. */
export interface RunProgress {
  /** The engine's clock (ns). */
  readonly now: number;
  /** seq of the last dispatched event. */
  readonly seq: number;
  /** Events dispatched by this call so far. */
  readonly dispatched: number;
}

export interface RunLoopOptions<S, E extends SimEventBase> {
  /** Dispatch events with time <= until, then stop. */
  readonly until?: Nanos;
  /** Most events this call dispatches. Every run is bounded: the default is DEFAULT_MAX_EVENTS. */
  readonly maxEvents?: number;
  /**
   * The per-event check: called after every dispatched event; returning true stops the run (stop
   * reason 'stopWhen'). `state()` commits and returns the frozen world; an event that does not
   * call it costs nothing.
   */
  readonly check?: (env: Envelope<E>, state: () => World<S>) => boolean;
  /** Tie-breaks among events due together (the explorer, a regression's recorded order). */
  readonly choose?: (candidates: readonly Choice<E>[], nextSeq: number) => number;
  readonly window?: Nanos;
  /** Called every `progressEvery` events while the run goes on (not after its last event). */
  readonly progress?: (p: RunProgress) => void;
  readonly progressEvery?: number;
}

/** Default bound on the events of one run. */
export const DEFAULT_MAX_EVENTS = 50_000_000;

/** Events between progress calls: often enough for a bar to move while slow events run. */
export const PROGRESS_EVERY = 1_000;

/**
 * The one run loop: every simulation (the CLI's runs and sweeps, trace replay, the debugger's
 * targets and forks, the explorer, the tests) dispatches its events here. It stops at the first
 * bound (until, maxEvents, the check, or an empty queue) and says which; listeners of the
 * engine's `events$` stream see every event as it is dispatched.
 */
export function runEngine<S, E extends SimEventBase>(engine: Engine<S, E>, o: RunLoopOptions<S, E> = {}): RunResult {
  const maxEvents = o.maxEvents ?? DEFAULT_MAX_EVENTS;
  const bounds = { until: o.until, stopWhen: o.check, choose: o.choose, window: o.window };
  if (o.progress === undefined) return engine.run({ ...bounds, maxEvents });
  const every = o.progressEvery ?? PROGRESS_EVERY;
  let dispatched = 0;
  for (;;) {
    const r = engine.run({ ...bounds, maxEvents: Math.min(every, maxEvents - dispatched) });
    dispatched += r.dispatched;
    if (r.reason !== 'maxEvents' || dispatched >= maxEvents) return { ...r, dispatched };
    o.progress({ now: r.now, seq: r.lastSeq, dispatched });
  }
}
