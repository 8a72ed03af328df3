import type { SimEventBase } from '../engine/types.ts';
import { History } from '../history/history.ts';
import { runEngine } from './runEngine.ts';
import { RUNNABLE_MAX_EVENTS, type Runnable } from './runnable.ts';
import { startEngine } from './startEngine.ts';

/** Run a Runnable to its bounds (in its own order of ties, if it carries one) and keep its whole history. */
export function runToHistory<S, E extends SimEventBase>(r: Runnable<S, E>, snapshotEvery = r.snapshotEvery ?? 1024): History<S, E> {
  const e = startEngine(r, snapshotEvery);
  runEngine(e, { until: r.until, maxEvents: r.maxEvents ?? RUNNABLE_MAX_EVENTS, choose: r.choose, window: r.window });
  return new History(e);
}
