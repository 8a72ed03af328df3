import type { Rng } from '../engine/prng.ts';
import type { SimEventBase } from '../engine/types.ts';
import type { Decide } from './runner.ts';

/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010) adapted to events: every
 * event gets a random priority when it is first offered, the highest-priority candidate runs, and
 * at d - 1 randomly placed choice points the candidate that would run drops below all others.
 * `points` estimates how many choice points a run has (taken from the default run).
 */
export function pctDecider<S, E extends SimEventBase>(rng: Rng, depth: number, points: number): Decide<S, E> {
  const prio = new WeakMap<object, number>();
  const changeAt = new Map<number, number>();
  for (let j = 1; j < depth; j++) changeAt.set(rng.int(1, Math.max(1, points)), j);
  let k = 0;
  return (cp) => {
    k++;
    const alts = cp.alternatives();
    const p = (i: number): number => {
      const ev = cp.candidates[i].event as object;
      let v = prio.get(ev);
      if (v === undefined) { v = depth + rng.next(); prio.set(ev, v); }
      return v;
    };
    let best = alts[0];
    for (const i of alts) if (p(i) > p(best)) best = i;
    const j = changeAt.get(k);
    if (j !== undefined) {
      prio.set(cp.candidates[best].event as object, depth - j);
      for (const i of alts) if (p(i) > p(best)) best = i;
    }
    return best;
  };
}
