import type { Envelope, Nanos, SimEventBase } from '../engine/types.ts';
import type { EventFootprint as Footprint } from '../../models/footprint.ts';
import type { Runnable } from '../run/runnable.ts';

/**
 * A resource an event touches: a named thing (`area:video`, `lock:cma_mutex`, `req:7`) or a
 * range [lo, hi) of a numbered space (`pfn`). Two touches conflict when the keys are equal and
 * the ranges (absent = the whole key) overlap. The explorer is generic; the shapes are the ones
 * models declare (models/footprint.ts).
 */
export type { FootprintRes as Res, EventFootprint as Footprint } from '../../models/footprint.ts';

/** An event's footprint, derived from the event and the state it would run in. */
export type FootprintFn<S, E> = (event: E, state: S) => Footprint;

/**
 * - `invariant`, `always`: must hold after every event of every run;
 * - `eventually`: must hold after some event of every run (checked up to the end);
 * - `sometimes`: must hold after some event of at least one explored run;
 * - `final`: must hold in the final state of every run (a scenario's `when: 'end'` assertion).
 */
export type CheckKind = 'invariant' | 'always' | 'eventually' | 'sometimes' | 'final';

/** Where a check is evaluated: after the event with this seq, at this time (ns). */
export interface CheckAt {
  readonly seq: number;
  readonly time: Nanos;
}

export interface Check<S> {
  readonly name: string;
  readonly kind: CheckKind;
  /**
   * null when the property holds in `state`, else a one-line reason. `prev` is the state before
   * the last event (null at the start and at the end-of-run check), for step properties such as
   * "an isolated pageblock never hands out a page".
   */
  test(state: S, prev: S | null, at?: CheckAt): string | null;
}

/** A Runnable plus what exploration needs: checks, an outcome key, footprints. */
export interface ExploreScenario<S, E extends SimEventBase> extends Runnable<S, E> {
  readonly checks: readonly Check<S>[];
  /** A short key naming the final outcome (`'-EBUSY then retry'`); default: hash of the final state. */
  readonly outcome?: (state: S) => string;
  /** Footprints for partial-order reduction; without one every pair of events is dependent. */
  readonly footprint?: FootprintFn<S, E>;
  /**
   * Named faults the explorer may inject, each at one of its instants or not at all (a page
   * pinned at the worst moment, a device releasing late): every combination is explored and a
   * failure's trace names the faults it needed.
   */
  readonly faults?: readonly Fault<E>[];
  /**
   * Timings the swarm strategy may vary, each within its bounds (migration cost, I/O completion,
   * lock hand-off): every swarm run sets a random subset of them to random values in bounds.
   */
  readonly perturbations?: readonly Perturbation<S>[];
  /** What this scenario demonstrates and which result is expected (printed by `explore`). */
  readonly description?: string;
}

/** A timing of the scenario that may vary: a named cost, integer ns within [min, max]. */
export interface Perturbation<S> {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** The boot state with this timing set to `value`. */
  apply(state: S, value: number): S;
}

/** A timing a run set away from the scenario's own: its name and value (ns). */
export interface PerturbPick {
  readonly name: string;
  readonly value: number;
}

export interface Fault<E> {
  readonly name: string;
  readonly event: E;
  /** Instants (integer ns) it may be injected at. */
  readonly at: readonly Nanos[];
}

/** A fault injected in a run: its name and instant. */
export interface FaultPick {
  readonly name: string;
  readonly time: Nanos;
}

/** One non-default decision: at dispatch position `seq`, candidate `pick` of `of` ran first. */
export interface ChoiceRecord {
  readonly seq: number;
  readonly pick: number;
  readonly of: number;
  /** Type of the chosen event, checked on replay so a stale trace is refused. */
  readonly type: string;
}

export interface Failure {
  readonly check: string;
  readonly kind: CheckKind;
  readonly message: string;
  /** seq of the event after which it failed (the last event for `eventually`). */
  readonly seq: number;
  readonly time: Nanos;
}

/** The result of one run. */
export interface RunReport<S, E extends SimEventBase> {
  readonly choices: readonly ChoiceRecord[];
  readonly failure: Failure | null;
  readonly outcome: string;
  readonly final: S;
  readonly lastSeq: number;
  /** Events this run dispatched itself (a run resumed from a snapshot skips the shared prefix). */
  readonly dispatched: number;
  /** Names of `sometimes` checks that held at some point of this run. */
  readonly sometimes: readonly string[];
  readonly lastEvent: Envelope<E> | null;
}

/** The file `explore` writes per failure and `replay --choices` reads. */
export interface ChoiceTrace {
  readonly format: 'cma-sim-choices';
  readonly version: 1;
  readonly scenario: string;
  readonly scenarioHash: string;
  readonly seed: number;
  readonly window: Nanos;
  readonly choices: readonly ChoiceRecord[];
  /** Faults injected in the run (absent: none). */
  readonly faults?: readonly FaultPick[];
  /** Timings the run changed (swarm; absent: none). */
  readonly perturb?: readonly PerturbPick[];
  readonly failure: Failure | null;
  readonly outcome: string;
}
