import type { Draft } from 'immer';

/** Simulated time: an integer count of nanoseconds since the start of the run. */
export type Nanos = number;

/** Every event is plain JSON data discriminated by `type`. */
export interface SimEventBase {
  readonly type: string;
}

/**
 * Where an injected event stands among events due at the same time and priority. Without one,
 * events due together run in the order they were queued, so an event injected up front runs
 * before the follow-ups reducers schedule for that instant. 'last': after every event due then
 * that is not 'last' itself (follow-ups included, whenever they are queued); among 'last' events,
 * in the order they were queued. The log records it, so replays, forks and checkpoints keep it.
 */
export type Tie = 'last';

/** A dispatched event, as the log records it. */
export interface Envelope<E extends SimEventBase = SimEventBase> {
  /** Dispatch position, 1-based and gap-free: the k-th dispatched event has seq k. */
  readonly seq: number;
  /** Integer nanoseconds. */
  readonly time: Nanos;
  /** Tie-breaker before scheduling order: lower runs first at equal time. */
  readonly priority: number;
  /** seq of the event whose reducer scheduled this one; null for events injected from outside. */
  readonly cause: number | null;
  readonly event: E;
  /** Present only on an injected event that declared its tie order (see Tie). */
  readonly tie?: Tie;
}

/** What a reducer may do besides changing its draft: schedule follow-ups and draw random numbers. */
export interface ReduceContext<E extends SimEventBase> {
  /** Time of the event being reduced. */
  readonly now: Nanos;
  /** seq of the event being reduced. */
  readonly seq: number;
  /** Schedule `event` at now + delay (integer ns, >= 0). Lower priority runs first at equal time. */
  schedule(event: E, delay?: Nanos, priority?: number): void;
  /** Uniform float in [0, 1) from the seeded generator whose state lives in the simulation state. */
  random(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  randomInt(lo: number, hi: number): number;
  /**
   * Run `fn` once, just before the draft holding this event's changes is finalised (at the end
   * of its batch, or of a replay). For models that build large plain objects in a batch: freezing
   * them there spares immer a walk over every element. `fn` must not change what the state holds.
   */
  onCommit(fn: () => void): void;
}

/** Reduces one event type `Ev` of the model's union `E`; follow-ups may be any event of `E`. */
export type Reducer<S, Ev extends SimEventBase, E extends SimEventBase = Ev> = (draft: Draft<S>, event: Ev, ctx: ReduceContext<E>) => void;

/** A model plugs into the engine: its state is opaque to the engine, its reducers are keyed by event type. */
export interface Model<S, E extends SimEventBase> {
  readonly name: string;
  readonly version: string;
  /** One reducer per event type; the engine refuses events with no reducer. */
  readonly reducers: { readonly [K in E['type']]: Reducer<S, Extract<E, { type: K }>, E> };
  /** Field-level check of an event read from outside (a log, a scenario); null when valid. */
  readonly validateEvent?: (event: unknown) => string | null;
  /**
   * The state as state hashes see it (lib/history modelHash): its meaning without the indexes and
   * layouts that only make it fast, so a change of representation keeps every recorded hash.
   * Absent: the state itself.
   */
  readonly canonical?: (state: S) => unknown;
}

/** The whole simulation state: the model's state plus the PRNG state, so a restored state continues identically. */
export interface World<S> {
  readonly rng: readonly [number, number, number, number];
  readonly model: S;
}

export type StopReason = 'until' | 'maxEvents' | 'stopWhen' | 'idle';

export interface RunBounds<S, E extends SimEventBase> {
  /** Dispatch events with time <= until, then stop. */
  until?: Nanos;
  /** Dispatch at most this many events in this call. */
  maxEvents?: number;
  /** Checked after each dispatch; `state()` commits and returns the immutable state. */
  stopWhen?: (env: Envelope<E>, state: () => World<S>) => boolean;
  /**
   * Exploration hook. When two or more events are candidates to run next, return the index of
   * the one to dispatch. Candidates are the events due at the same (time, priority) as the head
   * of the queue, or with `window` > 0 every event due within `window` ns of it, in default
   * order (index 0 is what the engine would do anyway). A later event chosen first runs at its
   * own time; the ones it overtook run afterwards at the clock's time (never backwards).
   */
  choose?: (candidates: readonly Choice<E>[], nextSeq: number) => number;
  window?: Nanos;
}

/** A candidate offered to `choose`. */
export interface Choice<E> {
  readonly time: Nanos;
  readonly priority: number;
  readonly event: E;
  /** seq of the scheduling event, or null if injected. */
  readonly cause: number | null;
}

export interface RunResult {
  readonly reason: StopReason;
  readonly dispatched: number;
  readonly now: Nanos;
  readonly lastSeq: number;
}
