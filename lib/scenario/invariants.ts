import type { SimState } from '../../models/state.ts';

/**
 * Invariant checks a run can switch on (`--check-invariants`): each returns the violations it
 * finds as one-line messages. Model aggregates add theirs here as they publish them.
 */
export type InvariantCheck = (state: SimState) => string[];

/** Workload bookkeeping: per-generator counts add up to the per-type totals; held allocations belong to a generator. */
export function workloadInvariants(state: SimState): string[] {
  const w = state.workload;
  const out: string[] = [];
  const perGen = Object.values(w.generators).reduce((a, g) => a + g.emitted, 0);
  const perType = Object.values(w.emitted).reduce((a, b) => a + b, 0);
  if (perGen !== perType) out.push(`workload: generators emitted ${perGen} events but the per-type counts sum to ${perType}`);
  for (const [req, gen] of Object.entries(w.held)) {
    if (!Object.hasOwn(w.generators, gen)) out.push(`workload: held request ${req} belongs to unknown generator '${gen}'`);
    if (Number(req) >= w.nextRequest) out.push(`workload: held request ${req} was never issued (next is ${w.nextRequest})`);
  }
  return out;
}

export const INVARIANTS: readonly InvariantCheck[] = [workloadInvariants];

export function checkInvariants(state: SimState): string[] {
  return INVARIANTS.flatMap((c) => c(state));
}
