import { performance } from 'node:perf_hooks';
import type { SimEventBase } from '../engine/types.ts';
import { faultCombinations, fmtFaults } from './faults.ts';
import { outcomeOf } from './runner.ts';
import { newCache, runTask, type RunRec, type Strategy, type Task, type TaskPlan } from './tasks.ts';
import { scenarioHash } from './trace.ts';
import type { ChoiceRecord, ChoiceTrace, ExploreScenario } from './types.ts';

export type { Strategy };

export interface ExploreOptions {
  readonly strategy: Strategy;
  readonly maxRuns: number;
  /** Most non-default choices per run (exhaustive). */
  readonly preemptionBound: number;
  /** Seed of the explorer's own choices (random, pct, swarm); the simulation keeps the scenario's seed. */
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
  /** Exhaustive search: the share of the ordering tree done (each finished subtree weighted as Knuth's estimator does). */
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
  /** True when the search finished within its bounds (exhaustive: every ordering it allows was run). */
  readonly complete: boolean;
  readonly outcomes: readonly OutcomeSummary[];
  /** One per distinct (check, message), with the first failing run's trace. */
  readonly failures: readonly FailureSummary[];
  /** `sometimes` checks that held in no explored run. */
  readonly sometimesMissed: readonly string[];
}

export const DEFAULT_EXPLORE: ExploreOptions = { strategy: 'exhaustive', maxRuns: 10_000, preemptionBound: 3, seed: 1, depth: 3, por: true, window: 0 };

/** The plain-data plan every task of an exploration shares. */
export function planOf<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, o: ExploreOptions): TaskPlan {
  const combos = faultCombinations(scn);
  return {
    strategy: o.strategy, preemptionBound: o.preemptionBound, seed: o.seed, depth: o.depth, por: o.por, window: o.window,
    first: o.first ?? false, combos, share: Math.ceil(o.maxRuns / combos.length),
  };
}

/**
 * Merges runs, in task order, into outcomes and failures: the one place where results are
 * counted, so the sequential and the parallel explorer report the same. Outcomes under faults are
 * tagged with them; a failure is keyed by (check, message) and keeps its first run's trace.
 */
export class Merge<S, E extends SimEventBase> {
  runs = 0;
  dispatched = 0;
  /** Share of the exhaustive ordering tree finished. */
  doneWeight = 0;
  private readonly outcomes = new Map<string, { runs: number; example: readonly ChoiceRecord[]; final: unknown }>();
  private readonly failures = new Map<string, FailureSummary & { runs: number }>();
  private readonly sometimes = new Set<string>();
  private failed = false;
  private readonly base: { scenario: string; scenarioHash: string; seed: number };
  readonly t0 = performance.now();

  constructor(private readonly scn: ExploreScenario<S, E>, private readonly o: ExploreOptions, private readonly plan: TaskPlan) {
    this.base = { scenario: scn.name, scenarioHash: scenarioHash(scn), seed: scn.seed };
  }

  /** Whether more runs are wanted. */
  more(): boolean {
    return this.runs < this.o.maxRuns && !(this.o.first && this.failed);
  }

  /** Count one run of fault combination `combo`; returns whether more runs are wanted. */
  add(r: RunRec<S>, combo: number): boolean {
    if (!this.more()) return false;
    this.runs++;
    this.dispatched += r.dispatched;
    const picks = this.plan.combos[combo];
    const outcome = (r.outcome ?? outcomeOf(this.scn, r.final)) + (picks.length ? ` [faults: ${fmtFaults(picks)}]` : '');
    const oc = this.outcomes.get(outcome);
    if (oc) oc.runs++; else this.outcomes.set(outcome, { runs: 1, example: r.choices, final: r.final });
    for (const n of r.sometimes) this.sometimes.add(n);
    if (r.failure) {
      this.failed = true;
      const key = `${r.failure.check}\u0000${r.failure.message}`;
      const f = this.failures.get(key);
      if (f) f.runs++;
      else {
        const trace: ChoiceTrace = {
          format: 'cma-sim-choices', version: 1, ...this.base, window: this.o.window, choices: r.choices,
          ...(picks.length ? { faults: picks } : {}), ...(r.perturb.length ? { perturb: r.perturb } : {}),
          failure: r.failure, outcome: r.outcome ?? outcomeOf(this.scn, r.final),
        };
        this.failures.set(key, { runs: 1, trace, firstRun: this.runs, firstMs: performance.now() - this.t0 });
      }
    }
    if (this.o.onProgress && this.runs % (this.o.progressEvery ?? 500) === 0) this.o.onProgress(this.progress());
    return this.more();
  }

  progress(inRun?: { seq: number; now: number }): Progress {
    return {
      runs: this.runs, elapsedMs: performance.now() - this.t0, outcomes: this.outcomes.size, failures: this.failures.size,
      ...(this.o.strategy === 'exhaustive' ? { done: Math.min(1, this.doneWeight) } : {}), inRun,
    };
  }

  result(complete: boolean): ExploreResult {
    if (complete) this.doneWeight = 1;
    this.o.onProgress?.(this.progress());
    return {
      runs: this.runs, dispatched: this.dispatched, elapsedMs: performance.now() - this.t0, complete,
      outcomes: [...this.outcomes].map(([outcome, v]) => ({ outcome, runs: v.runs, example: v.example, final: v.final })),
      failures: [...this.failures.values()],
      sometimesMissed: this.scn.checks.filter((c) => c.kind === 'sometimes' && !this.sometimes.has(c.name)).map((c) => c.name),
    };
  }
}

/** The options an exploration of `scn` runs with. */
export const optionsFor = <S, E extends SimEventBase>(scn: ExploreScenario<S, E>, options: Partial<ExploreOptions>): ExploreOptions => ({ ...DEFAULT_EXPLORE, window: scn.window ?? 0, ...options });

/**
 * Search the orderings of concurrent events under every combination of the scenario's named
 * faults (none first), in this process. Exhaustive runs after the first resume from a snapshot
 * taken at their choice point (its world and pending queue), never from time 0. The same tasks
 * run on worker threads give the same result (exploreParallel).
 */
export function explore<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, options: Partial<ExploreOptions> = {}): ExploreResult {
  const o = optionsFor(scn, options);
  const plan = planOf(scn, o);
  const m = new Merge(scn, o, plan);
  const cache = newCache<S, E>();
  const onEvents = o.onProgress ? (seq: number, now: number) => o.onProgress!(m.progress({ seq, now })) : undefined;
  // Task order: each task's children right after it, then the next fault combination's root.
  const queue: Task[] = plan.combos.map((_, combo) => ({ kind: 'root', combo }));
  let complete = true;
  for (let i = 0; i < queue.length; i++) {
    if (!m.more()) { complete = false; break; }
    const t = queue[i];
    const r = runTask(scn, plan, t, (run) => m.add(run, t.combo), cache, { onEvents });
    if (r.complete) m.doneWeight += r.weight / plan.combos.length;
    complete &&= r.complete;
    queue.splice(i + 1, 0, ...r.children);
  }
  return m.result(complete);
}
