import { checkInvariants as checkModelInvariants, formatViolation } from '../../models/invariants/index.ts';
import type { SimState } from '../../models/state.ts';

/**
 * Invariant checks a run can switch on (`--check-invariants`): the models' suites
 * (models/invariants) plus the workload's own bookkeeping. Each returns one-line messages.
 */

/** `--check <mode>`: invariants on what each event changed (incremental), or on the whole state after every event (full, slow). */
export const CHECK_MODES = ['incremental', 'full'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];

/** Workload bookkeeping: per-generator counts add up to the per-type totals; held allocations belong to a generator. */
export function workloadInvariants(state: SimState): string[] {
  const w = state.workload;
  const out: string[] = [];
  const perGen = Object.values(w.generators).reduce((a, g) => a + g.emitted, 0);
  const perType = Object.values(w.emitted).reduce((a, b) => a + b, 0);
  if (perGen !== perType) out.push(`invariant workload.counts violated: generators emitted ${perGen} events but the per-type counts sum to ${perType}`);
  for (const [req, gen] of Object.entries(w.held)) {
    if (!Object.hasOwn(w.generators, gen)) out.push(`invariant workload.held violated: request ${req} belongs to unknown generator '${gen}'`);
    if (Number(req) >= state.cma.nextRequestId) out.push(`invariant workload.held violated: request ${req} was never issued (next is ${state.cma.nextRequestId})`);
  }
  return out;
}

/**
 * Violations after the event with this seq (`prev`: the state before it, for transition checks;
 * when it passed, the models check only what changed since). `full`: walk every state in full.
 */
export function checkInvariants(next: SimState, prev?: SimState, seq?: number, full = false): string[] {
  const v = checkModelInvariants(next, { prev, seq, full });
  return [...(v ? [formatViolation(v)] : []), ...workloadInvariants(next).map((m) => (seq === undefined ? m : `${m} (seq ${seq})`))];
}
