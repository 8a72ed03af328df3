import type { SimEventBase } from '../engine/types.ts';
import { explore, type ExploreOptions, type ExploreResult, type FailureSummary, type OutcomeSummary } from './explore.ts';
import { runChoices, scenarioHash, withFaults } from './trace.ts';
import type { ChoiceRecord, ExploreScenario, FaultPick } from './types.ts';

/** Every combination of the declared faults: each absent or at one of its instants; the empty one first. */
export function faultCombinations<S, E extends SimEventBase>(scn: ExploreScenario<S, E>): FaultPick[][] {
  let out: FaultPick[][] = [[]];
  for (const f of scn.faults ?? []) out = out.flatMap((c) => [c, ...f.at.map((time) => [...c, { name: f.name, time }])]);
  return out;
}

export const fmtFaults = (picks: readonly FaultPick[]): string => picks.map((p) => `${p.name}@${p.time}ns`).join(', ');

/**
 * Explore the orderings under every combination of the scenario's named faults (none first), so
 * a failure says which faults it needed; traces record them and replay injects them again.
 */
export function exploreWithFaults<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, o: Partial<ExploreOptions> = {}): ExploreResult {
  const combos = faultCombinations(scn);
  if (combos.length === 1) return explore(scn, o);
  const maxRuns = o.maxRuns ?? 10_000;
  const base = { scenario: scn.name, scenarioHash: scenarioHash(scn) };
  let runs = 0, dispatched = 0, elapsedMs = 0, complete = true;
  const outcomes = new Map<string, OutcomeSummary>();
  const failures = new Map<string, FailureSummary>();
  const missed = new Set((scn.checks ?? []).filter((c) => c.kind === 'sometimes').map((c) => c.name));
  for (const picks of combos) {
    if (runs >= maxRuns || (o.first && failures.size)) { complete = false; break; }
    // Exhaustive search takes what it needs in turn; sampling strategies share the runs evenly.
    const share = (o.strategy ?? 'exhaustive') === 'exhaustive' ? maxRuns - runs : Math.min(maxRuns - runs, Math.ceil(maxRuns / combos.length));
    const r = explore(withFaults(scn, picks), { ...o, maxRuns: share });
    const tag = picks.length ? ` [faults: ${fmtFaults(picks)}]` : '';
    for (const oc of r.outcomes) {
      const key = oc.outcome + tag;
      const had = outcomes.get(key);
      outcomes.set(key, had ? { ...had, runs: had.runs + oc.runs } : { ...oc, outcome: key });
    }
    // The same failure under more faults counts as more runs of the first (fewest faults) one.
    for (const f of r.failures) {
      const key = `${f.trace.failure!.check}\u0000${f.trace.failure!.message}`;
      const had = failures.get(key);
      if (had) failures.set(key, { ...had, runs: had.runs + f.runs });
      else failures.set(key, { ...f, firstRun: f.firstRun + runs, firstMs: f.firstMs + elapsedMs, trace: { ...f.trace, ...base, ...(picks.length ? { faults: picks } : {}) } });
    }
    const held = new Set(r.sometimesMissed);
    for (const m of [...missed]) if (!held.has(m)) missed.delete(m);
    runs += r.runs; dispatched += r.dispatched; elapsedMs += r.elapsedMs; complete &&= r.complete;
  }
  return { runs, dispatched, elapsedMs, complete, outcomes: [...outcomes.values()], failures: [...failures.values()], sometimesMissed: [...missed] };
}

/** Drop each fault that the failure does not need (the run still fails the same check without it). */
export function shrinkFaults<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, picks: readonly FaultPick[], choices: readonly ChoiceRecord[], window: number, check: string): FaultPick[] {
  let kept = [...picks];
  for (const p of picks) {
    const fewer = kept.filter((x) => x !== p);
    if (runChoices(withFaults(scn, fewer), choices, window, false).failure?.check === check) kept = fewer;
  }
  return kept;
}
