import type { SimEventBase } from '../engine/types.ts';
import { runChoices } from './trace.ts';
import type { ChoiceRecord, ExploreScenario, RunReport } from './types.ts';

export interface ShrinkResult<S, E extends SimEventBase> {
  readonly run: RunReport<S, E>;
  /** Candidate runs tried. */
  readonly attempts: number;
}

/** Shorter is better: fewer non-default choices, then smaller picks, then an earlier failure. */
function better<S, E extends SimEventBase>(a: RunReport<S, E>, b: RunReport<S, E>): boolean {
  if (a.choices.length !== b.choices.length) return a.choices.length < b.choices.length;
  const pa = a.choices.reduce((n, c) => n + c.pick, 0), pb = b.choices.reduce((n, c) => n + c.pick, 0);
  if (pa !== pb) return pa < pb;
  return (a.failure?.seq ?? Infinity) < (b.failure?.seq ?? Infinity);
}

/**
 * Minimise a failing choice list while it keeps failing the same check: drop choices one at a
 * time (the run then takes the default there), then lower the remaining picks, until no single
 * change helps. Each accepted candidate is re-recorded from the run it produced, so the result
 * replays strictly.
 */
export function shrink<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, failing: RunReport<S, E>, window: number, maxAttempts = 2000): ShrinkResult<S, E> {
  const check = failing.failure?.check;
  if (!check) throw new Error('shrink: the run does not fail');
  let best = failing;
  let attempts = 0;
  const tryOne = (cs: readonly ChoiceRecord[]): boolean => {
    attempts++;
    const r = runChoices(scn, cs, window, false);
    if (r.failure?.check === check && better(r, best)) { best = r; return true; }
    return false;
  };
  let progress = true;
  while (progress && attempts < maxAttempts) {
    progress = false;
    for (let i = 0; i < best.choices.length && attempts < maxAttempts; i++) {
      if (tryOne(best.choices.filter((_, j) => j !== i))) { progress = true; i--; }
    }
    for (let i = 0; i < best.choices.length && attempts < maxAttempts; i++) {
      const c = best.choices[i];
      for (let p = 1; p < c.pick && attempts < maxAttempts; p++) {
        if (tryOne(best.choices.map((x, j) => (j === i ? { ...x, pick: p } : x)))) { progress = true; break; }
      }
    }
  }
  return { run: best, attempts };
}
