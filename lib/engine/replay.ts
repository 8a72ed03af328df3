import { createDraft, finishDraft, type Draft, type Patch } from 'immer';
import { applyEvent, BatchContext, writeBackRng } from './reduceContext.ts';
import type { Model, Nanos, SimEventBase, World } from './types.ts';

export interface LoggedEvent<E> {
  readonly seq: number;
  readonly time: Nanos;
  readonly event: E;
}

/**
 * Fold logged events into a world without scheduling anything: the log already holds every
 * follow-up. Live dispatch and replay run the same reducers, which is what makes replay exact.
 */
export function replayEvents<S, E extends SimEventBase>(
  model: Model<S, E>,
  world: World<S>,
  events: Iterable<LoggedEvent<E>>,
  onPatches?: (patches: Patch[], inverse: Patch[]) => void,
): World<S> {
  const draft = createDraft(world) as Draft<World<S>>;
  const dm = draft.model as Draft<S>;
  const ctx = new BatchContext<E>(world.rng, false);
  let any = false;
  for (const e of events) {
    ctx.now = e.time;
    ctx.seq = e.seq;
    applyEvent(model, dm, e.event, ctx);
    any = true;
  }
  ctx.runCommitHooks();
  if (any) writeBackRng(draft, ctx);
  return finishDraft(draft, onPatches) as World<S>;
}
