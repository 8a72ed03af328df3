import type { Nanos, Tie, World } from './types.ts';

/** A queued event as seen from outside the engine. */
export interface PendingEvent<E> {
  readonly time: Nanos;
  readonly priority: number;
  readonly event: E;
  /** seq of the event whose reducer scheduled it; null when it was injected from outside. */
  readonly cause: number | null;
  /** How many events had been dispatched when it was queued (its cause's seq when it has one). */
  readonly after: number;
  /** Present only when its injection declared one (see Tie). */
  readonly tie?: Tie;
}

/**
 * Everything a run needs to go on as if it had never stopped: the world, the clock, the seq of
 * the last dispatched event and the pending queue in dispatch order. `Engine.checkpoint()` saves
 * one, `Engine.resume()` starts an engine from one; forks, the explorer's choice points and log
 * replay all go through it.
 */
export interface Checkpoint<S, E> {
  readonly world: World<S>;
  readonly now: Nanos;
  readonly seq: number;
  readonly pending: readonly PendingEvent<E>[];
}

/*
 * Inside the engine (scheduler and log) when an event was queued is one integer, its origin: the
 * causing seq (>= 0), or -(dispatched + 2) for an injection. Only this file encodes and decodes it.
 */

export function originOf(cause: number | null, after: number): number {
  return cause !== null ? cause : -(after + 2);
}

export function causeOf(origin: number): number | null {
  return origin >= 0 ? origin : null;
}

export function afterOf(origin: number): number {
  return origin >= 0 ? origin : -origin - 2;
}

/**
 * The queue as a log file stores it: `origin` is the engine's one-integer form of `cause` and
 * `after`. Logs written before checkpoints existed hold exactly this, so it is kept byte for byte.
 */
export interface StoredPending<E> {
  readonly time: Nanos;
  readonly priority: number;
  readonly origin: number;
  readonly event: E;
  /** Absent unless declared, so logs without ties keep their bytes. */
  readonly tie?: Tie;
}

export function storePending<E>(p: PendingEvent<E>): StoredPending<E> {
  const s = { time: p.time, priority: p.priority, origin: originOf(p.cause, p.after), event: p.event };
  return p.tie === undefined ? s : { ...s, tie: p.tie };
}

export function loadPending<E>(p: StoredPending<E>): PendingEvent<E> {
  return withTie({ time: p.time, priority: p.priority, event: p.event, cause: causeOf(p.origin), after: afterOf(p.origin) }, p.tie);
}

/** `x` with `tie` when there is one: a declared tie is a field, an undeclared one no field at all. */
export function withTie<T extends object>(x: T, tie: Tie | undefined): T & { tie?: Tie } {
  return tie === undefined ? x : { ...x, tie };
}

/** Why a stored origin cannot belong to a log of `count` events (null when it can). */
export function badStoredOrigin(origin: number, count: number): string | null {
  const ok = (origin >= 1 && origin <= count) || (origin <= -2 && origin >= -(count + 2));
  return ok ? null : `a seq in [1, ${count}] or an injection mark in [${-(count + 2)}, -2]`;
}
