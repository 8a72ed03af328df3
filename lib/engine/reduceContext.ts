import { current, type Draft } from 'immer';
import { Rng, type RngState } from './prng.ts';
import type { Model, Nanos, ReduceContext, Reducer, SimEventBase, World } from './types.ts';

/**
 * The context handed to reducers. Follow-ups are buffered, not pushed, so a reducer that throws
 * leaves the queue as it was. One instance is reused for a whole batch to keep the hot loop free
 * of allocation.
 */
export class BatchContext<E extends SimEventBase> implements ReduceContext<E> {
  now: Nanos = 0;
  seq = 0;
  /**
   * Follow-ups of the event being reduced: the first `fuCount` slots of flat parallel arrays,
   * reused from event to event (no object per follow-up, no array resizing in the hot loop).
   */
  readonly fuEvents: E[] = [];
  readonly fuDelays: number[] = [];
  readonly fuPriorities: number[] = [];
  fuCount = 0;
  readonly rng: Rng;
  private readonly commitFns: (() => void)[] = [];

  constructor(rng: RngState, private readonly recordFollowUps: boolean) {
    this.rng = new Rng(rng);
  }

  schedule(event: E, delay: Nanos = 0, priority = 0): void {
    if (!Number.isInteger(delay) || delay < 0) {
      throw new RangeError(`schedule(${event.type}): delay must be a non-negative integer of nanoseconds, got ${delay}`);
    }
    if (!Number.isInteger(priority)) throw new RangeError(`schedule(${event.type}): priority must be an integer, got ${priority}`);
    if (this.recordFollowUps) {
      const i = this.fuCount++;
      this.fuEvents[i] = detach(event);
      this.fuDelays[i] = delay;
      this.fuPriorities[i] = priority;
    }
  }

  /** Forget the follow-ups (their slots are overwritten by the next event's). */
  clearFollowUps(): void {
    this.fuCount = 0;
  }

  onCommit(fn: () => void): void {
    this.commitFns.push(fn);
  }

  /** Run (and forget) the onCommit functions, in registration order; the caller then finalises the draft. */
  runCommitHooks(): void {
    const fns = this.commitFns;
    for (let i = 0; i < fns.length; i++) fns[i]();
    fns.length = 0;
  }

  random(): number {
    return this.rng.next();
  }

  randomInt(lo: number, hi: number): number {
    return this.rng.int(lo, hi);
  }
}

export function reducerFor<S, E extends SimEventBase>(model: Model<S, E>, type: string): Reducer<S, E> | undefined {
  const r = (model.reducers as unknown as Record<string, Reducer<S, E> | undefined>)[type];
  return typeof r === 'function' ? r : undefined;
}

export function reducerName<S, E extends SimEventBase>(model: Model<S, E>, type: string): string {
  const r = reducerFor(model, type);
  const fn = r?.name && r.name !== type ? ` (${r.name})` : '';
  return `${model.name}.reducers['${type}']${fn}`;
}

/** Apply one event to a draft with the given context; shared by live dispatch and replay. */
export function applyEvent<S, E extends SimEventBase>(model: Model<S, E>, draftModel: Draft<S>, event: E, ctx: BatchContext<E>): void {
  const r = reducerFor(model, event.type);
  if (!r) throw new UnknownEventError(event.type);
  r(draftModel, event, ctx);
}

export class UnknownEventError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown event type '${eventType}'`);
  }
}

/** Store the generator's state in the draft, only when it moved (so diffs stay quiet otherwise). */
export function writeBackRng<S, E extends SimEventBase>(draft: Draft<World<S>>, ctx: BatchContext<E>): void {
  const st = ctx.rng.state();
  const cur = draft.rng;
  if (cur[0] !== st[0] || cur[1] !== st[1] || cur[2] !== st[2] || cur[3] !== st[3]) {
    (draft as { rng: unknown }).rng = st;
  }
}

/**
 * Events outlive the draft they came from: a reducer that schedules an event stored in its state
 * (a recorded workload, say) would log a proxy that immer revokes when the batch commits. Only
 * the event itself is checked, which costs one property read; models must not nest drafts inside
 * new event objects (copy with immer's `current` when they need to).
 */
/** immer marks drafts with this registered symbol; reading it directly keeps the check inlinable. */
const DRAFT_STATE = Symbol.for('immer-state');

function detach<E extends SimEventBase>(event: E): E {
  return (event as unknown as Record<symbol, unknown>)[DRAFT_STATE] !== undefined ? (current(event as Draft<E>) as E) : event;
}
