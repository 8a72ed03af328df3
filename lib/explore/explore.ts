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
  /** Stop at the first failing run. */
  readonly first?: boolean;
  /** Called every `progressEvery` runs, every PROGRESS_EVERY events inside a run (lib/run), and at the end. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
}

export interface Progress {
  readonly runs: number;
  readonly elapsedMs: number;
  readonly outcomes: number;
  readonly failures: number;
  /** Inside a run: the events it has dispatched (seq) and its simulated clock. */
  readonly inRun?: { readonly seq: number; readonly now: number };
  /** Exhaustive search: estimated fraction of the ordering tree done (Knuth's estimator over the DFS stack). */
  readonly done?: number;
}

export interface OutcomeSummary {
  readonly outcome: string;
  readonly runs: number;
  /** The non-default choices of the first run that reached it. */
  readonly example: readonly ChoiceRecord[];
  /** Final state of that run (for describing how outcomes differ). */
  readonly final: unknown;
}

export interface FailureSummary {
  readonly runs: number;
  readonly trace: ChoiceTrace;
  /** Which run (1-based) first failed this way, and after how long. */
  readonly firstRun: number;
  readonly firstMs: number;
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
  const t0 = performance.now();
  const outcomes = new Map<string, { runs: number; example: readonly ChoiceRecord[]; final: unknown }>();
  const failures = new Map<string, FailureSummary & { runs: number }>();
  const sometimes = new Set<string>();
  let runs = 0;
  let dispatched = 0;
  const every = o.progressEvery ?? 500;
  const stack: Frame<S, E>[] = [];
  /** Knuth's estimate of the share of the DFS tree done: each frame's finished branches, scaled by the branching above it. */
  const doneShare = (): number | undefined => {
    if (o.strategy !== 'exhaustive') return undefined;
    if (stack.length === 0) return runs > 0 ? 1 : 0; // after the first run, an empty stack is a finished search
    let share = 0, weight = 1;
    for (const f of stack) {
      share += (weight * Math.max(0, f.next - 1)) / f.alts.length;
      weight /= f.alts.length;
    }
    return Math.min(1, share);
  };
  const progress = (inRun?: { seq: number; now: number }): Progress => ({ runs, elapsedMs: performance.now() - t0, outcomes: outcomes.size, failures: failures.size, done: doneShare(), inRun });
  const onEvents = o.onProgress ? (seq: number, now: number) => o.onProgress!(progress({ seq, now })) : undefined;
  const runOpts: RunOptions = { por: o.por, window: o.window, onEvents };
  let failed = false;
  const record = (r: RunReport<S, E>): void => {
    runs++;
    dispatched += r.dispatched;
    const oc = outcomes.get(r.outcome);
    if (oc) oc.runs++; else outcomes.set(r.outcome, { runs: 1, example: r.choices, final: r.final });
    for (const n of r.sometimes) sometimes.add(n);
    if (r.failure) {
      failed = true;
      const key = `${r.failure.check}\u0000${r.failure.message}`;
      const f = failures.get(key);
      if (f) f.runs++; else failures.set(key, { runs: 1, trace: makeTrace(scn, o.window, r), firstRun: runs, firstMs: performance.now() - t0 });
    }
    if (o.onProgress && runs % every === 0) o.onProgress(progress());
  };
  const more = (): boolean => runs < o.maxRuns && !(o.first && failed);

  let complete = false;
  if (o.strategy === 'exhaustive') {
    const dfs: Decide<S, E> = (cp) => {
      const alts = cp.alternatives();
      if (alts.length > 1 && cp.preemptions < o.preemptionBound) stack.push({ snap: cp.snapshot(), alts, next: 1 });
      return alts[0];
    };
    record(runOnce(scn, null, dfs, runOpts));
    while (more()) {
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
    while (root !== null && more()) {
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
    outcomes: [...outcomes].map(([outcome, v]) => ({ outcome, runs: v.runs, example: v.example, final: v.final })),
    failures: [...failures.values()],
    sometimesMissed: missed,
  };
}
