/**
 * The machinery of a CMA transition table (request/transitions.ts, releaseTransitions.ts): for
 * each status of a record, the events it accepts, the statuses the record may be in once the
 * event is reduced, and the step that takes it there. A step may pass through several statuses
 * inside one event but ends in one of `to`. Any other event, or any other end, is a bug and
 * throws; the engine turns it into a SimulationError naming the seq and the event.
 */
import type { Ctx } from '../context.ts';
import type { D } from './access.ts';

export type Step<X, E> = (d: D, ctx: Ctx, x: X, e: E) => void;

export interface Transition<X, S extends string, E> {
  readonly to: readonly S[];
  readonly step: Step<X, E>;
}

/** Per status, per event type it accepts, the transition; a status absent from an event's row does not take it. */
export type Table<X, S extends string, E extends { type: string }> = Readonly<Record<S, {
  readonly [T in E['type']]?: Transition<X, S, Extract<E, { type: T }>>;
}>>;

/** Reduce `e` for the record `x` (`name` says which in messages: `request 3`, `release of chunk 5`) by `table`. */
export function advance<X extends { status: S }, S extends string, E extends { type: string }>(
  table: Table<X, S, E>, name: string, d: D, ctx: Ctx, x: X, e: E,
): void {
  const from = x.status;
  const t = (table[from] as Record<string, Transition<X, S, E> | undefined>)[e.type];
  if (t === undefined) throw new Error(`cma: ${name} is ${from}: ${e.type} is not a transition of that status`);
  t.step(d, ctx, x, e);
  if (!t.to.includes(x.status)) throw new Error(`cma: ${name} went from ${from} to ${x.status} on ${e.type}; the table allows ${t.to.join(', ')}`);
}
