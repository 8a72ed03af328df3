import type { SimEventBase } from '../engine/types.ts';
import { runChoices, traceScenario } from './trace.ts';
import type { ChoiceRecord, ChoiceTrace, ExploreScenario, FaultPick, PerturbPick } from './types.ts';

/** Every combination of the declared faults: each absent or at one of its instants; the empty one first. */
export function faultCombinations<S, E extends SimEventBase>(scn: ExploreScenario<S, E>): FaultPick[][] {
  let out: FaultPick[][] = [[]];
  for (const f of scn.faults ?? []) out = out.flatMap((c) => [c, ...f.at.map((time) => [...c, { name: f.name, time }])]);
  return out;
}

export const fmtFaults = (picks: readonly FaultPick[]): string => picks.map((p) => `${p.name}@${p.time}ns`).join(', ');

export const fmtPerturb = (picks: readonly PerturbPick[]): string => picks.map((p) => `${p.name}=${p.value}ns`).join(', ');

/**
 * Drop each fault, then each changed timing, that the failure does not need (the run still fails
 * the same check without it, the timing back at the scenario's own value).
 */
export function shrinkFaults<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, t: Pick<ChoiceTrace, 'faults' | 'perturb'>, choices: readonly ChoiceRecord[], window: number, check: string): { faults: FaultPick[]; perturb: PerturbPick[] } {
  let kept = { faults: [...(t.faults ?? [])], perturb: [...(t.perturb ?? [])] };
  const fails = (k: typeof kept): boolean => runChoices(traceScenario(scn, k), choices, window, false).failure?.check === check;
  for (const f of t.faults ?? []) { const fewer = { ...kept, faults: kept.faults.filter((x) => x !== f) }; if (fails(fewer)) kept = fewer; }
  for (const p of t.perturb ?? []) { const fewer = { ...kept, perturb: kept.perturb.filter((x) => x !== p) }; if (fails(fewer)) kept = fewer; }
  return kept;
}
