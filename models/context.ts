import type { SimEvent } from '../events/index.ts';
import type { SimDraft } from './state.ts';

/**
 * What a reducer may do besides editing its draft. The engine's ReduceContext satisfies this
 * structurally; models declare it themselves so they never import from lib/.
 */
export interface Ctx {
  /** Integer nanoseconds: the time of the event being reduced. */
  readonly now: number;
  readonly seq: number;
  schedule(event: SimEvent, delay?: number, priority?: number): void;
  random(): number;
  randomInt(lo: number, hi: number): number;
  /** Run `fn` just before the batch holding this event's changes is frozen (see lib/engine ReduceContext). */
  onCommit(fn: () => void): void;
}

/** A reducer over the whole simulation state for one event type. */
export type Handler<E> = (draft: SimDraft, event: E, ctx: Ctx) => void;

/** One handler per event type of an aggregate's slice of the union. */
export type Handlers<E extends { type: string }> = { readonly [K in E['type']]: Handler<Extract<E, { type: K }>> };
