import { Engine } from '../engine/engine.ts';
import type { SimEventBase } from '../engine/types.ts';
import type { Runnable } from './runnable.ts';

/** A fresh engine for `r`, with its injections queued and nothing dispatched yet. */
export function startEngine<S, E extends SimEventBase>(r: Runnable<S, E>, snapshotEvery = r.snapshotEvery): Engine<S, E> {
  const e = new Engine<S, E>(r.model, r.initial, { seed: r.seed, snapshotEvery });
  for (const inj of r.inject) e.inject(inj.event, inj.time, inj.priority ?? 0, inj.tie);
  return e;
}
