import { Rng, seedRng } from '../../../lib/engine/prng.ts';
import type { Ctx } from '../../../models/context.ts';
import type { Out, Sink } from '../../../models/workload/emit.ts';

/** A reducer context over a real seeded PRNG that records what is scheduled. */
export function fakeCtx(seed: number, now = 0): Ctx & { scheduled: { event: { type: string }; delay: number }[] } {
  const rng = new Rng(seedRng(seed));
  const scheduled: { event: { type: string }; delay: number }[] = [];
  return {
    now, seq: 1, scheduled,
    schedule: (event, delay = 0) => { scheduled.push({ event, delay }); },
    random: () => rng.next(),
    randomInt: (lo, hi) => rng.int(lo, hi),
    onCommit: () => {},
  };
}

/** A sink that accepts everything and records it with its delay. */
export function recordingSink(): Sink & { events: { ev: Out; delay: number }[] } {
  const events: { ev: Out; delay: number }[] = [];
  const sink = ((ev: Out, delay = 0) => { events.push({ ev, delay }); return true; }) as Sink & { events: typeof events };
  sink.events = events;
  return sink;
}
