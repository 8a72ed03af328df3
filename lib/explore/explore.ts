import { performance } from 'node:perf_hooks';
import { Rng, seedRng } from '../engine/prng.ts';
import type { SimEventBase } from '../engine/types.ts';
import { pctDecider } from './pct.ts';
import { runOnce, type ChoicePoint, type Decide, type RunOptions, type Snap } from './runner.ts';
import { makeTrace } from './trace.ts';
import type { ChoiceRecord, ChoiceTrace, ExploreScenario, RunReport } from './types.ts';

export type Strategy = 'exhaustive' | 'random' | 'pct';

export interface ExploreOptions {
  readonly strategy: Strategy;
  readonly maxRuns: number;
  /** Most non-default choices per run (exhaustive). */
  readonly preemptionBound: number;
  /** Seed of the explorer's own choices (random, pct); the simulation keeps the scenario's seed. */
  readonly seed: number;
  /** PCT bug depth d: d - 1 priority change points per run. */
  readonly depth: number;
  /** Partial-order reduction with the scenario's footprints. */
  readonly por: boolean;
  readonly window: number;
  /** Called every `progressEvery` runs and at the end. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
}

export interface Progress {
  readonly runs: number;
  readonly elapsedMs: number;
  readonly outcomes: number;
  readonly failures: number;
}

export interface OutcomeSummary {
  readonly outcome: string;
  readonly runs: number;
  /** The non-default choices of the first run that reached it. */
  readonly example: readonly ChoiceRecord[];
}

export interface FailureSummary {
  readonly runs: number;
  readonly trace: ChoiceTrace;
}

export interface ExploreResult {
  readonly runs: number;
  /** Events dispatched over all runs (runs resumed from snapshots do not repeat their prefix). */
  readonly dispatched: number;
  readonly elapsedMs: number;
  /** True when the exhaustive search finished within its bounds (every ordering it allows was run). */
  readonly complete: boolean;
  readonly outcomes: readonly OutcomeSummary[];
  /** One per distinct (check, message), with the first failing run's trace. */
  readonly failures: readonly FailureSummary[];
  /** `sometimes` checks that held in no explored run. */
  readonly sometimesMissed: readonly string[];
}

export const DEFAULT_EXPLORE: ExploreOptions = { strategy: 'exhaustive', maxRuns: 10_000, preemptionBound: 3, seed: 1, depth: 3, por: true, window: 0 };

interface Frame<S, E> { readonly snap: Snap<S, E>; readonly alts: readonly number[]; next: number }

/**
 * Search the orderings of concurrent events. Every run after the first resumes from a snapshot
 * taken at a choice point (its world and pending queue), never from time 0.
 */
export function explore<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, options: Partial<ExploreOptions> = {}): ExploreResult {
  const o: ExploreOptions = { ...DEFAULT_EXPLORE, window: scn.window ?? 0, ...options };
  const runOpts: RunOptions = { por: o.por, window: o.window };
  const t0 = performance.now();
  const outcomes = new Map<string, { runs: number; example: readonly ChoiceRecord[] }>();
  const failures = new Map<string, FailureSummary & { runs: number }>();
  const sometimes = new Set<string>();
  let runs = 0;
  let dispatched = 0;
  const every = o.progressEvery ?? 500;
  const progress = (): Progress => ({ runs, elapsedMs: performance.now() - t0, outcomes: outcomes.size, failures: failures.size });
  const record = (r: RunReport<S, E>): void => {
    runs++;
    dispatched += r.dispatched;
    const oc = outcomes.get(r.outcome);
    if (oc) oc.runs++; else outcomes.set(r.outcome, { runs: 1, example: r.choices });
    for (const n of r.sometimes) sometimes.add(n);
    if (r.failure) {
      const key = `${r.failure.check}\u0000${r.failure.message}`;
      const f = failures.get(key);
      if (f) f.runs++; else failures.set(key, { runs: 1, trace: makeTrace(scn, o.window, r) });
    }
    if (o.onProgress && runs % every === 0) o.onProgress(progress());
  };

  let complete = false;
  if (o.strategy === 'exhaustive') {
    const stack: Frame<S, E>[] = [];
    const dfs: Decide<S, E> = (cp) => {
      const alts = cp.alternatives();
      if (alts.length > 1 && cp.preemptions < o.preemptionBound) stack.push({ snap: cp.snapshot(), alts, next: 1 });
      return alts[0];
    };
    record(runOnce(scn, null, dfs, runOpts));
    while (runs < o.maxRuns) {
      const top = stack[stack.length - 1];
      if (!top) { complete = true; break; }
      if (top.next >= top.alts.length) { stack.pop(); continue; }
      const pick = top.alts[top.next++];
      let first = true;
      record(runOnce(scn, top.snap, (cp) => { if (first) { first = false; return pick; } return dfs(cp); }, runOpts));
    }
  } else {
    // Runs share the deterministic prefix up to the first choice point: resume from there.
    const rng = new Rng(seedRng(o.seed));
    let root: Snap<S, E> | null = null;
    let firstRunPoints = 0;
    const first = runOnce(scn, null, (cp) => { firstRunPoints++; if (!root) root = cp.snapshot(); return 0; }, runOpts);
    record(first);
    if (root === null) complete = true; // no choice point at all: one ordering exists
    while (root !== null && runs < o.maxRuns) {
      const decide: Decide<S, E> = o.strategy === 'random'
        ? (cp: ChoicePoint<S, E>) => { const a = cp.alternatives(); return a[rng.int(0, a.length - 1)]; }
        : pctDecider<S, E>(rng, o.depth, firstRunPoints);
      record(runOnce(scn, root, decide, runOpts));
    }
  }
  o.onProgress?.(progress());
  const missed = scn.checks.filter((c) => c.kind === 'sometimes' && !sometimes.has(c.name)).map((c) => c.name);
  return {
    runs, dispatched, elapsedMs: performance.now() - t0, complete,
    outcomes: [...outcomes].map(([outcome, v]) => ({ outcome, runs: v.runs, example: v.example })),
    failures: [...failures.values()],
    sometimesMissed: missed,
  };
}
