import { performance } from 'node:perf_hooks';
import type { SimEventBase } from '../engine/types.ts';
import { faultCombinations, fmtFaults } from './faults.ts';
import { outcomeOf } from './runner.ts';
import { newCache, runTask, type RunRec, type SearchOptions, type Strategy, type Task, type TaskPlan } from './tasks.ts';
import { scenarioHash } from './trace.ts';
import type { ChoiceRecord, ChoiceTrace, ExploreScenario } from './types.ts';

export type { Strategy };

export interface ExploreOptions extends SearchOptions {
  readonly maxRuns: number;
  /** Stop at the first failing run. */
  readonly first?: boolean;
  /** Called every `progressEvery` runs, every `progressEvents` events inside a run, and at the end. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
  /** Events between progress calls inside a run (default PROGRESS_EVERY of lib/run). */
  readonly progressEvents?: number;
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
  private doneWeight = 0;
  /** Exhaustive: whether every task so far ran all it stands for. */
  private allComplete = true;
  /** Random and pct: the orderings run so far, per fault combination, and the combinations whose orderings have all run. */
  private readonly trees = new Map<number, OrderNode>();
  private readonly exhausted = new Set<number>();
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

  /** Whether every ordering of fault combination `combo` has run (random, pct): its later runs are not counted. */
  isExhausted(combo: number): boolean {
    return this.exhausted.has(combo);
  }

  /** A task is done (called in task order): its share of the tree, and whether it ran all it stands for. */
  finish(task: Task, r: { readonly complete: boolean; readonly weight: number }): void {
    if (this.plan.strategy === 'exhaustive') {
      if (r.complete) this.doneWeight += r.weight / this.plan.combos.length;
      this.allComplete &&= r.complete;
    } else if (task.kind === 'root' && r.complete) this.exhausted.add(task.combo); // no choice point: one ordering
  }

  /** Count one run of fault combination `combo`; returns whether more runs of it are wanted. */
  add(r: RunRec<S>, combo: number): boolean {
    if (!this.more() || this.exhausted.has(combo)) return false;
    if (this.plan.strategy === 'random' || this.plan.strategy === 'pct') {
      const tree = this.trees.get(combo) ?? this.trees.set(combo, newNode()).get(combo)!;
      if (addPath(tree, r.path)) this.exhausted.add(combo);
    }
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
    return this.more() && !this.exhausted.has(combo);
  }

  progress(inRun?: { seq: number; now: number }): Progress {
    return {
      runs: this.runs, elapsedMs: performance.now() - this.t0, outcomes: this.outcomes.size, failures: this.failures.size,
      ...(this.o.strategy === 'exhaustive' ? { done: Math.min(1, this.doneWeight) } : {}), inRun,
    };
  }

  /** The result; `cut`: the search stopped before its last task (max runs, first failure). */
  result(cut: boolean): ExploreResult {
    const complete = this.plan.strategy === 'exhaustive' ? this.allComplete && !cut : this.plan.combos.every((_, c) => this.exhausted.has(c));
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

/** A node of the tree of orderings random and pct runs have taken: its alternatives, the children run, whether all below it ran. */
interface OrderNode { n: number; readonly kids: Map<number, OrderNode>; done: boolean }

const newNode = (): OrderNode => ({ n: 0, kids: new Map(), done: false });

/** Add a run's decisions to the tree; returns whether every ordering has now run. */
function addPath(root: OrderNode, path: readonly number[]): boolean {
  const seen: OrderNode[] = [root];
  let node = root;
  for (let i = 0; i < path.length; i += 2) {
    node.n = path[i];
    node = node.kids.get(path[i + 1]) ?? node.kids.set(path[i + 1], newNode()).get(path[i + 1])!;
    seen.push(node);
  }
  node.done = true; // the run ended: nothing below
  for (let i = seen.length - 2; i >= 0; i--) {
    const x = seen[i];
    x.done = x.kids.size === x.n && [...x.kids.values()].every((k) => k.done);
    if (!x.done) break;
  }
  return root.done;
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
  let cut = false;
  for (let i = 0; i < queue.length; i++) {
    if (!m.more()) { cut = true; break; }
    const t = queue[i];
    if (m.isExhausted(t.combo)) continue;
    const r = runTask(scn, plan, t, (run) => m.add(run, t.combo), cache, { onEvents, progressEvents: o.progressEvents });
    m.finish(t, r);
    queue.splice(i + 1, 0, ...r.children);
  }
  return m.result(cut);
}
