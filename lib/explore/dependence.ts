import { dependent, type EventFootprint as Footprint } from '../../models/footprint.ts';

/**
 * The candidates worth trying first at a choice point: the dependence closure of the default
 * candidate (index 0). A candidate independent of all of them commutes with them, so running it
 * first gives the same state as running it later; exploring only this set (a persistent set in
 * the partial-order-reduction sense, computed from the footprints in the current state) prunes
 * orderings of independent events. Indices ascending.
 *
 * Approximation: only the candidates are considered, not events they will schedule. If a
 * candidate's follow-up could run before an excluded candidate (a follow-up at the same time with
 * a lower priority number) and conflict with it, that ordering is not explored. The CMA and memory
 * models schedule everything at priority 0, where this cannot happen: a follow-up at the same
 * instant joins a later choice point together with the excluded candidate.
 */
export function persistentSet(fps: readonly Footprint[]): number[] {
  const inSet = new Array<boolean>(fps.length).fill(false);
  inSet[0] = true;
  const work = [0];
  while (work.length) {
    const i = work.pop()!;
    for (let j = 0; j < fps.length; j++) {
      if (!inSet[j] && dependent(fps[i], fps[j])) { inSet[j] = true; work.push(j); }
    }
  }
  const out: number[] = [];
  for (let j = 0; j < fps.length; j++) if (inSet[j]) out.push(j);
  return out;
}
